package io.cellgate.opcua.internal;

import io.cellgate.pki.CertificateEntry;
import io.cellgate.pki.TrustList;
import io.cellgate.pki.TrustStore;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.milo.opcua.stack.core.security.CertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.TrustListManager;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;

/**
 * Milo's trust list and quarantine as views of the PKI bundle's {@link TrustStore}: one set of files
 * ({@code <state>/pki}), re-read on every call, so the PKI tool's changes apply to the next connection.
 * Validation does not go through here (see {@link PkiCertificateValidator}); Milo reads these lists only
 * for its address-space view of the trust list.
 */
final class TrustStoreTrustListManager implements TrustListManager, CertificateQuarantine {

    private final TrustStore store;

    TrustStoreTrustListManager(TrustStore store) {
        this.store = store;
    }

    @Override
    public List<X509CRL> getIssuerCrls() {
        return store.issuerCrls();
    }

    @Override
    public List<X509CRL> getTrustedCrls() {
        return store.trustedCrls();
    }

    @Override
    public List<X509Certificate> getIssuerCertificates() {
        return store.issuerCertificates();
    }

    @Override
    public List<X509Certificate> getTrustedCertificates() {
        return store.trustedCertificates();
    }

    // The TrustStore can add CRLs but not delete them: replacing the CRL lists is the PKI tool's job.
    @Override
    public void setIssuerCrls(List<X509CRL> issuerCrls) {
        throw new UnsupportedOperationException("CRLs are managed with the PKI tool (issuers/crl)");
    }

    @Override
    public void setTrustedCrls(List<X509CRL> trustedCrls) {
        throw new UnsupportedOperationException("CRLs are managed with the PKI tool (trusted/crl)");
    }

    @Override
    public void setIssuerCertificates(List<X509Certificate> certificates) {
        replace(TrustList.ISSUER, certificates);
    }

    @Override
    public void setTrustedCertificates(List<X509Certificate> certificates) {
        replace(TrustList.TRUSTED, certificates);
    }

    @Override
    public void addIssuerCertificate(X509Certificate certificate) {
        store.add(TrustList.ISSUER, certificate);
    }

    @Override
    public void addTrustedCertificate(X509Certificate certificate) {
        store.add(TrustList.TRUSTED, certificate);
    }

    @Override
    public boolean removeIssuerCertificate(ByteString thumbprint) {
        return removeFrom(TrustList.ISSUER, hex(thumbprint));
    }

    @Override
    public boolean removeTrustedCertificate(ByteString thumbprint) {
        return removeFrom(TrustList.TRUSTED, hex(thumbprint));
    }

    @Override
    public DateTime getLastUpdateTime() {
        return new DateTime(store.lastUpdate());
    }

    // --- quarantine: the rejected list ---

    @Override
    public List<X509Certificate> getRejectedCertificates() {
        return store.rejectedCertificates();
    }

    @Override
    public void addRejectedCertificate(X509Certificate certificate) {
        store.add(TrustList.REJECTED, certificate);
    }

    @Override
    public void removeRejectedCertificate(X509Certificate certificate) {
        removeFrom(TrustList.REJECTED, hex(ByteString.of(sha1(certificate))));
    }

    private void replace(TrustList list, List<X509Certificate> wanted) {
        Set<String> keep = wanted.stream().map(c -> hex(ByteString.of(sha1(c)))).collect(Collectors.toSet());
        for (CertificateEntry e : store.list(list)) {
            if (!keep.contains(e.thumbprint())) {
                removeFrom(list, e.thumbprint());
            }
        }
        wanted.forEach(c -> store.add(list, c));
    }

    /** TrustStore.remove deletes from every list; the other lists' copies are put back. */
    private synchronized boolean removeFrom(TrustList list, String thumbprint) {
        if (store.list(list).stream().noneMatch(e -> e.thumbprint().equals(thumbprint))) {
            return false;
        }
        for (CertificateEntry removed : store.remove(thumbprint)) {
            if (removed.list() != list) {
                store.add(removed.list(), removed.certificate());
            }
        }
        return true;
    }

    private static byte[] sha1(X509Certificate certificate) {
        try {
            return CertificateUtil.thumbprint(certificate).bytesOrEmpty();
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot encode " + certificate.getSubjectX500Principal(), e);
        }
    }

    private static String hex(ByteString thumbprint) {
        return HexFormat.of().formatHex(thumbprint.bytesOrEmpty());
    }
}
