package io.cellgate.opcua.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.pki.Verdict;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.Test;

class VerdictCodesTest {

    @Test
    void of_everyRefusal_isABadCertificateCode() {
        for (Verdict v : Verdict.values()) {
            if (v != Verdict.OK) {
                assertThat(StatusCodes.lookup(VerdictCodes.of(v))).as(v.name())
                        .hasValueSatisfying(names -> assertThat(names[0]).startsWith("Bad_Certificate"));
            }
        }
    }

    @Test
    void of_verdicts_mapAsDocumentedInPkiMd() {
        assertThat(VerdictCodes.of(Verdict.UNTRUSTED)).isEqualTo(StatusCodes.Bad_CertificateUntrusted);
        assertThat(VerdictCodes.of(Verdict.EXPIRED)).isEqualTo(StatusCodes.Bad_CertificateTimeInvalid);
        assertThat(VerdictCodes.of(Verdict.NOT_YET_VALID)).isEqualTo(StatusCodes.Bad_CertificateTimeInvalid);
        assertThat(VerdictCodes.of(Verdict.REVOKED)).isEqualTo(StatusCodes.Bad_CertificateRevoked);
        assertThat(VerdictCodes.of(Verdict.APPLICATION_URI_MISMATCH)).isEqualTo(StatusCodes.Bad_CertificateUriInvalid);
        assertThat(VerdictCodes.of(Verdict.KEY_USAGE_MISSING)).isEqualTo(StatusCodes.Bad_CertificateUseNotAllowed);
    }
}
