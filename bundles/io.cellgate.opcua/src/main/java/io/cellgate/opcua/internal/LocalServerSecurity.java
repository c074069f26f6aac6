package io.cellgate.opcua.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Period;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.security.CertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultServerCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.FileBasedCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.FileBasedTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.validation.ValidationCheck;

/**
 * Interim {@link ServerSecurity}: a self-signed RSA-2048/SHA-256 certificate generated at start (in memory),
 * and Milo's file trust store under {@code pki_dir} ({@code trusted/}, {@code issuer/}, {@code rejected/})
 * with every optional validation check on. Replaced by the PKI bundle (persistent key, CSR, chain).
 */
final class LocalServerSecurity implements ServerSecurity {

    private final FileBasedTrustListManager trustList;
    private final CertificateManager manager;
    private final KeyPair keyPair;
    private final X509Certificate certificate;

    LocalServerSecurity(Path pkiDir, String applicationUri, String hostname) throws Exception {
        trustList = FileBasedTrustListManager.createAndInitialize(pkiDir);
        try {
            var quarantine = FileBasedCertificateQuarantine.create(pkiDir.resolve("rejected"));
            var validator = new DefaultServerCertificateValidator(trustList, ValidationCheck.ALL_OPTIONAL_CHECKS,
                    quarantine);
            var factory = new RsaSha256CertificateFactory() {
                @Override
                protected X509Certificate[] createRsaSha256CertificateChain(KeyPair keyPair) throws Exception {
                    var builder = new SelfSignedCertificateBuilder(keyPair)
                            .setCommonName("CellGate")
                            .setOrganization("CellGate")
                            .setApplicationUri(applicationUri)
                            .setValidityPeriod(Period.ofYears(2))
                            .addDnsName(hostname)
                            .addDnsName("localhost")
                            .addIpAddress("127.0.0.1");
                    return new X509Certificate[] {builder.build()};
                }
            };
            var group = DefaultApplicationGroup.createAndInitialize(trustList, new MemoryCertificateStore(), factory,
                    validator);
            manager = new DefaultCertificateManager(quarantine, group);
            keyPair = group.getKeyPair(NodeIds.RsaSha256ApplicationCertificateType).orElseThrow();
            certificate = group.getCertificateChain(NodeIds.RsaSha256ApplicationCertificateType).orElseThrow()[0];
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    @Override
    public CertificateManager certificateManager() {
        return manager;
    }

    @Override
    public KeyPair keyPair() {
        return keyPair;
    }

    @Override
    public X509Certificate certificate() {
        return certificate;
    }

    @Override
    public void close() {
        try {
            trustList.close();
        } catch (IOException e) {
            // Only the directory watcher is stopped here; nothing to recover.
        }
    }
}
