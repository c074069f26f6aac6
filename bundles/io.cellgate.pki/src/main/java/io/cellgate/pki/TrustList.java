package io.cellgate.pki;

/** The certificate lists of the trust store (OPC UA Part 12 directory layout). */
public enum TrustList {
    /** {@code trusted/certs}: certificates (end entities or CAs) trusted directly. */
    TRUSTED,
    /** {@code issuers/certs}: CA certificates that complete chains but are not trusted by themselves. */
    ISSUER,
    /** {@code rejected}: certificates that failed the trust check, kept for an admin to trust. */
    REJECTED
}
