package io.cellgate.pki;

/**
 * The outcome of validating a peer certificate chain, one value per OPC UA Bad_Certificate... code.
 * The mapping is given on each constant.
 */
public enum Verdict {
    /** Good. */
    OK,
    /** The chain is empty or a certificate is malformed or its signature does not verify: Bad_CertificateInvalid. */
    INVALID,
    /** No issuer certificate for some certificate in the chain, in the chain or the trust lists: Bad_CertificateChainIncomplete. */
    CHAIN_INCOMPLETE,
    /** No certificate of the chain is in the trusted list: Bad_CertificateUntrusted. The certificate lands in rejected/. */
    UNTRUSTED,
    /** The certificate's validity period has ended: Bad_CertificateTimeInvalid. */
    EXPIRED,
    /** The certificate's validity period has not begun: Bad_CertificateTimeInvalid. */
    NOT_YET_VALID,
    /** An issuer's validity period does not include now: Bad_CertificateIssuerTimeInvalid. */
    ISSUER_TIME_INVALID,
    /** The certificate is on its issuer's CRL: Bad_CertificateRevoked. */
    REVOKED,
    /** An issuer certificate is on its issuer's CRL: Bad_CertificateIssuerRevoked. */
    ISSUER_REVOKED,
    /** No CRL of the certificate's issuer is in the trust store: Bad_CertificateRevocationUnknown. */
    REVOCATION_UNKNOWN,
    /** No CRL for an issuer certificate: Bad_CertificateIssuerRevocationUnknown. */
    ISSUER_REVOCATION_UNKNOWN,
    /** Key usage or extended key usage does not allow the use: Bad_CertificateUseNotAllowed (issuers: Bad_CertificateIssuerUseNotAllowed). */
    KEY_USAGE_MISSING,
    /** The certificate's URI does not match the application URI the peer announced: Bad_CertificateUriInvalid. */
    APPLICATION_URI_MISMATCH,
    /** No DNS name or IP address of the certificate matches the host connected to: Bad_CertificateHostNameInvalid. */
    HOST_NAME_MISMATCH
}
