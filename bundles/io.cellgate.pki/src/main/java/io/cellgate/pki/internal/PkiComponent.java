package io.cellgate.pki.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;

import javax.net.ssl.KeyManager;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.config.ConfigKeys;
import io.cellgate.pki.GatewayPki;
import io.cellgate.pki.PkiException;
import io.cellgate.pki.TrustStore;

/**
 * The {@link GatewayPki} service. Configured from three PIDs, later ones overriding earlier ones:
 * {@code cellgate.runtime} (state.dir), {@code cellgate.cell} (cell.id) and {@code cellgate.pki}. All three
 * are required so that the certificate is never generated with a default cell id or in a default place.
 * The MetaType of {@code cellgate.pki} is published by {@link PkiMetaType} (bnd designates only single-PID
 * components). Key generation happens in activation: local CPU work, well under a second for RSA 2048.
 */
@Component(service = GatewayPki.class, configurationPid = {ConfigKeys.RUNTIME_PID, ConfigKeys.CELL_PID, PkiComponent.PID},
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class PkiComponent implements GatewayPki {

    static final String PID = "cellgate.pki";

    private final FilePki pki;
    private final TrustStore trustStore;

    /** Optional and dynamic: the PKI (and everything holding the gateway certificate) never restarts for it. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditSink audit;

    @Activate
    public PkiComponent(PkiConfig config) throws IOException {
        if (config.state_dir().isBlank()) {
            throw new PkiException("cellgate.pki state.dir: not set, and no cellgate.runtime state.dir");
        }
        PkiSettings settings = new PkiSettings(Path.of(config.state_dir()).resolve("pki"), config.cell_id(), config.organization(),
                config.application_uri(), Arrays.asList(config.dns_names()), Arrays.asList(config.ip_addresses()), config.key_size(),
                config.validity_days());
        this.pki = FilePki.openOrCreate(settings);
        // The service has no caller identity: changes through it are the gateway's ("system").
        this.trustStore = new AuditedTrustStore(pki.trustStore(), () -> audit, "system");
    }

    /**
     * A change of the cell configuration (an access rule, a device) must not restart the PKI and with it
     * every service that holds the gateway's certificate (the OPC UA server would drop its sessions).
     * The certificate stays as it is: clients trust it. New settings apply when a certificate is next
     * created (a CSR and a signed installation, or a new state directory).
     */
    @Modified
    void modified(PkiConfig config) {
        // deliberately nothing: see above
    }

    @Override
    public String applicationUri() {
        return pki.applicationUri();
    }

    @Override
    public X509Certificate[] chain() {
        return pki.chain();
    }

    @Override
    public X509Certificate certificate() {
        return pki.certificate();
    }

    @Override
    public PrivateKey privateKey() {
        return pki.privateKey();
    }

    @Override
    public KeyManager[] keyManagers() {
        return pki.keyManagers();
    }

    @Override
    public KeyStore keyStore(char[] password) {
        return pki.keyStore(password);
    }

    @Override
    public String thumbprint() {
        return pki.thumbprint();
    }

    @Override
    public Instant notAfter() {
        return pki.notAfter();
    }

    @Override
    public long daysUntilExpiry() {
        return pki.daysUntilExpiry();
    }

    @Override
    public String createCsr() {
        return pki.createCsr();
    }

    @Override
    public void installSignedCertificate(String pemChain) {
        installSignedCertificate(pemChain, "system");
    }

    @Override
    public void installSignedCertificate(String pemChain, String identity) {
        try {
            pki.installSignedCertificate(pemChain);
        } catch (PkiException e) {
            AuditedTrustStore.installFailed(() -> audit, identity, e.getMessage());
            throw e;
        }
        AuditedTrustStore.installed(() -> audit, identity, pki.thumbprint(),
                pki.certificate().getSubjectX500Principal().getName());
    }

    @Override
    public TrustStore trustStore() {
        return trustStore;
    }

    @Override
    public TrustStore trustStore(String identity) {
        return new AuditedTrustStore(pki.trustStore(), () -> audit, identity);
    }
}
