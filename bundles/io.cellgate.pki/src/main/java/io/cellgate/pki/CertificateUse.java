package io.cellgate.pki;

/** What the peer's certificate is validated for: it decides the extended key usage and the host name check. */
public enum CertificateUse {
    /** A client connecting to the gateway (extended key usage clientAuth when present). */
    CLIENT,
    /** A server the gateway connects to (extended key usage serverAuth when present; host name checked). */
    SERVER
}
