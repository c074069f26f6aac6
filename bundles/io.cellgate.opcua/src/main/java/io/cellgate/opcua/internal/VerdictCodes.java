package io.cellgate.opcua.internal;

import io.cellgate.pki.Verdict;
import org.eclipse.milo.opcua.stack.core.StatusCodes;

/** The OPC UA status code a client is refused with, per PKI verdict (the mapping docs/pki.md gives). */
final class VerdictCodes {

    private VerdictCodes() {
    }

    static long of(Verdict verdict) {
        return switch (verdict) {
            case OK -> StatusCodes.Good;
            case INVALID -> StatusCodes.Bad_CertificateInvalid;
            case CHAIN_INCOMPLETE -> StatusCodes.Bad_CertificateChainIncomplete;
            case UNTRUSTED -> StatusCodes.Bad_CertificateUntrusted;
            case EXPIRED, NOT_YET_VALID -> StatusCodes.Bad_CertificateTimeInvalid;
            case ISSUER_TIME_INVALID -> StatusCodes.Bad_CertificateIssuerTimeInvalid;
            case REVOKED -> StatusCodes.Bad_CertificateRevoked;
            case ISSUER_REVOKED -> StatusCodes.Bad_CertificateIssuerRevoked;
            case REVOCATION_UNKNOWN -> StatusCodes.Bad_CertificateRevocationUnknown;
            case ISSUER_REVOCATION_UNKNOWN -> StatusCodes.Bad_CertificateIssuerRevocationUnknown;
            case KEY_USAGE_MISSING -> StatusCodes.Bad_CertificateUseNotAllowed;
            case APPLICATION_URI_MISMATCH -> StatusCodes.Bad_CertificateUriInvalid;
            case HOST_NAME_MISMATCH -> StatusCodes.Bad_CertificateHostNameInvalid;
        };
    }
}
