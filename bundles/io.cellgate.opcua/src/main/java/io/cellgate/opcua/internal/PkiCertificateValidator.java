package io.cellgate.opcua.internal;

import io.cellgate.pki.CertificateUse;
import io.cellgate.pki.TrustStore;
import io.cellgate.pki.ValidationResult;
import java.security.cert.X509Certificate;
import java.util.List;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates client application certificates with the PKI bundle (chain, trust, validity, application URI,
 * key usage, revocation: every check, none optional). Milo calls it twice: at OpenSecureChannel (no
 * application URI yet) and at CreateSession (with the URI the client announces). A refusal carries the
 * verdict's Bad_Certificate... code; the detail (subject, thumbprint, paths) is logged here and never sent
 * to the client.
 */
final class PkiCertificateValidator implements CertificateValidator {

    private static final Logger LOG = LoggerFactory.getLogger(PkiCertificateValidator.class);

    private final TrustStore store;
    private final Runnable refused;

    PkiCertificateValidator(TrustStore store, Runnable refused) {
        this.store = store;
        this.refused = refused;
    }

    @Override
    public void validateCertificateChain(List<X509Certificate> chain, String applicationUri, String[] validHostnames)
            throws UaException {
        ValidationResult result = store.validate(chain, CertificateUse.CLIENT, applicationUri, List.of());
        if (!result.ok()) {
            LOG.warn("OPC UA client certificate refused ({}): {}", result.verdict(), result.detail());
            refused.run();
            throw new UaException(VerdictCodes.of(result.verdict()), "client certificate refused: " + result.verdict());
        }
    }
}
