package io.cellgate.pki.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditSink;
import io.cellgate.pki.CertificateEntry;
import io.cellgate.pki.CertificateUse;
import io.cellgate.pki.PkiException;
import io.cellgate.pki.TrustList;
import io.cellgate.pki.TrustStore;
import io.cellgate.pki.ValidationResult;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trust store whose changes (add, CRL, trust, reject, remove) are audit records: {@code certificate.add},
 * {@code certificate.crl}, {@code certificate.trust}, {@code certificate.reject}, {@code certificate.remove}, with the
 * thumbprint and subject as resource; a refused change is recorded as FAILED with the reason. Reads and
 * validations pass through. Used by the gateway's PKI service and by {@code cellgate pki}.
 */
final class AuditedTrustStore implements TrustStore {

    private static final Logger LOG = LoggerFactory.getLogger(AuditedTrustStore.class);

    private final TrustStore store;
    private final Supplier<AuditSink> audit;
    private final String identity;

    /**
     * @param audit    the sink at the time of the change (null: none, the change is only logged)
     * @param identity who changes the lists ({@code system} for the service, {@code cli:<user>} for the command)
     */
    AuditedTrustStore(TrustStore store, Supplier<AuditSink> audit, String identity) {
        this.store = store;
        this.audit = audit;
        this.identity = identity;
    }

    @Override
    public Path baseDir() {
        return store.baseDir();
    }

    @Override
    public List<CertificateEntry> list(TrustList list) {
        return store.list(list);
    }

    @Override
    public List<X509Certificate> trustedCertificates() {
        return store.trustedCertificates();
    }

    @Override
    public List<X509Certificate> issuerCertificates() {
        return store.issuerCertificates();
    }

    @Override
    public List<X509Certificate> rejectedCertificates() {
        return store.rejectedCertificates();
    }

    @Override
    public List<X509CRL> trustedCrls() {
        return store.trustedCrls();
    }

    @Override
    public List<X509CRL> issuerCrls() {
        return store.issuerCrls();
    }

    @Override
    public String add(TrustList list, X509Certificate certificate) {
        String what = name(list) + " " + certificate.getSubjectX500Principal().getName();
        try {
            String thumbprint = store.add(list, certificate);
            record("certificate.add", "sha1:" + thumbprint + " " + what, AuditEvent.Result.SUCCESS, null);
            return thumbprint;
        } catch (PkiException e) {
            record("certificate.add", what, AuditEvent.Result.FAILED, e.getMessage());
            throw e;
        }
    }

    @Override
    public void addCrl(TrustList list, X509CRL crl) {
        String what = name(list) + " CRL of " + crl.getIssuerX500Principal().getName();
        try {
            store.addCrl(list, crl);
            record("certificate.crl", what, AuditEvent.Result.SUCCESS, null);
        } catch (PkiException e) {
            record("certificate.crl", what, AuditEvent.Result.FAILED, e.getMessage());
            throw e;
        }
    }

    @Override
    public CertificateEntry trust(String thumbprint) {
        return move("certificate.trust", thumbprint, () -> store.trust(thumbprint));
    }

    @Override
    public CertificateEntry reject(String thumbprint) {
        return move("certificate.reject", thumbprint, () -> store.reject(thumbprint));
    }

    @Override
    public List<CertificateEntry> remove(String thumbprint) {
        List<CertificateEntry> removed;
        try {
            removed = store.remove(thumbprint);
        } catch (PkiException e) {
            record("certificate.remove", "sha1:" + thumbprint, AuditEvent.Result.FAILED, e.getMessage());
            throw e;
        }
        if (removed.isEmpty()) {
            record("certificate.remove", "sha1:" + thumbprint, AuditEvent.Result.FAILED, "in no list");
        }
        for (CertificateEntry e : removed) {
            record("certificate.remove", resource(e), AuditEvent.Result.SUCCESS, null);
        }
        return removed;
    }

    private CertificateEntry move(String action, String thumbprint, Supplier<CertificateEntry> change) {
        try {
            CertificateEntry e = change.get();
            record(action, resource(e), AuditEvent.Result.SUCCESS, null);
            return e;
        } catch (PkiException e) {
            record(action, "sha1:" + thumbprint, AuditEvent.Result.FAILED, e.getMessage());
            throw e;
        }
    }

    @Override
    public Instant lastUpdate() {
        return store.lastUpdate();
    }

    @Override
    public ValidationResult validate(List<X509Certificate> chain, CertificateUse use, String expectedApplicationUri,
            Collection<String> hostNames) {
        return store.validate(chain, use, expectedApplicationUri, hostNames);
    }

    /** The gateway's own certificate was replaced ({@code certificate.install}). */
    static void installed(Supplier<AuditSink> audit, String identity, String thumbprint, String subject) {
        new AuditedTrustStore(null, audit, identity).record("certificate.install", "sha1:" + thumbprint + " own "
                + subject, AuditEvent.Result.SUCCESS, null);
    }

    /** An installation of the gateway's certificate was refused ({@code certificate.install}, FAILED). */
    static void installFailed(Supplier<AuditSink> audit, String identity, String reason) {
        new AuditedTrustStore(null, audit, identity).record("certificate.install", "own", AuditEvent.Result.FAILED,
                reason);
    }

    static String resource(CertificateEntry e) {
        return "sha1:" + e.thumbprint() + " " + name(e.list()) + " " + e.subject();
    }

    private static String name(TrustList list) {
        return list.name().toLowerCase(Locale.ROOT);
    }

    private void record(String action, String resource, AuditEvent.Result result, String reason) {
        AuditSink sink = audit.get();
        AuditEvent event = new AuditEvent(Instant.now(), identity, null, action, resource, result, reason, null);
        if (sink == null || !sink.record(event)) {
            LOG.warn("certificate change NOT recorded in the audit trail: {} {} {} by {} ({})", action, result, resource,
                    identity, reason);
        }
    }
}
