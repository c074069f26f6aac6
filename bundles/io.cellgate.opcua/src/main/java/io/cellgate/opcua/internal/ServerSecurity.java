package io.cellgate.opcua.internal;

import io.cellgate.pki.GatewayPki;
import java.security.cert.X509Certificate;
import org.eclipse.milo.opcua.stack.core.security.CertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;

/**
 * The server's own certificate and its trust decisions, all from the PKI bundle: the key pair and chain
 * of {@link GatewayPki}, the application URI from the certificate, Milo's trust list and quarantine over
 * {@link GatewayPki#trustStore()}, and {@link PkiCertificateValidator}.
 */
final class ServerSecurity {

    private final CertificateManager manager;
    private final X509Certificate certificate;
    private final String applicationUri;
    private final TrustStoreTrustListManager trustList;

    /** @param refused counts a client certificate refused */
    ServerSecurity(GatewayPki pki, Runnable refused) {
        trustList = new TrustStoreTrustListManager(pki.trustStore());
        var group = new PkiCertificateGroup(pki, trustList, new PkiCertificateValidator(pki.trustStore(), refused));
        manager = new DefaultCertificateManager(trustList, group);
        certificate = group.getCertificateEntries().get(0).certificateChain[0];
        applicationUri = pki.applicationUri();
    }

    CertificateManager certificateManager() {
        return manager;
    }

    X509Certificate certificate() {
        return certificate;
    }

    /** The URI subject alternative name of the certificate: the server's application URI must equal it. */
    String applicationUri() {
        return applicationUri;
    }
}
