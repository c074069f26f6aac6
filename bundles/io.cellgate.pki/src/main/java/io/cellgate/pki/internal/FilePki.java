package io.cellgate.pki.internal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;

import io.cellgate.pki.GatewayPki;
import io.cellgate.pki.PkiException;
import io.cellgate.pki.TrustStore;

/** The gateway PKI on its directory ({@code <state dir>/pki}), usable with or without OSGi. */
public final class FilePki implements GatewayPki {

    private final OwnCertificate own;
    private final FileTrustStore trustStore;

    private FilePki(OwnCertificate own, FileTrustStore trustStore) {
        this.own = own;
        this.trustStore = trustStore;
    }

    /** Creates the directories and, on first start, the gateway key and certificate. */
    public static FilePki openOrCreate(PkiSettings settings) throws IOException {
        FileTrustStore store = new FileTrustStore(settings.pkiDir());
        return new FilePki(OwnCertificate.openOrCreate(settings), store);
    }

    /** Opens an existing PKI directory; never generates (the command-line tool). */
    public static FilePki open(java.nio.file.Path pkiDir) throws IOException {
        FileTrustStore store = new FileTrustStore(pkiDir);
        return new FilePki(OwnCertificate.open(pkiDir.resolve("own")), store);
    }

    @Override
    public String applicationUri() {
        return Certs.applicationUri(certificate()).orElseThrow();
    }

    @Override
    public X509Certificate[] chain() {
        return own.state().chain().clone();
    }

    @Override
    public X509Certificate certificate() {
        return own.state().certificate();
    }

    @Override
    public PrivateKey privateKey() {
        return own.state().key();
    }

    @Override
    public KeyManager[] keyManagers() {
        char[] transientPassword = new char[] {'k'};
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(own.keyStore(transientPassword), transientPassword);
            return kmf.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot create key managers: " + e.getMessage(), e);
        } finally {
            Arrays.fill(transientPassword, '\0');
        }
    }

    @Override
    public KeyStore keyStore(char[] password) {
        return own.keyStore(password);
    }

    @Override
    public String thumbprint() {
        return Certs.thumbprint(certificate());
    }

    @Override
    public Instant notAfter() {
        return certificate().getNotAfter().toInstant();
    }

    @Override
    public long daysUntilExpiry() {
        return Duration.between(Instant.now(), notAfter()).toDays();
    }

    @Override
    public String createCsr() {
        return own.createCsr();
    }

    @Override
    public void installSignedCertificate(String pemChain) {
        installFrom(pemChain, "the signed certificate");
    }

    /** As {@link #installSignedCertificate(String)}, naming the file in errors. */
    public void installFrom(String pemChain, String source) {
        checkComplete(Certs.parseCertificates(pemChain.getBytes(java.nio.charset.StandardCharsets.US_ASCII), source), source);
        own.install(pemChain, source);
    }

    /**
     * A chain must reach a root: its last certificate is self-issued, or its issuer is in the issuers or trusted list
     * (where OPC UA clients and TLS peers of the gateway would find it too).
     */
    private void checkComplete(java.util.List<X509Certificate> chain, String source) {
        X509Certificate last = chain.get(chain.size() - 1);
        if (Certs.isSelfIssued(last)) {
            return;
        }
        for (X509Certificate ca : concat(trustStore.issuerCertificates(), trustStore.trustedCertificates())) {
            if (ca.getSubjectX500Principal().equals(last.getIssuerX500Principal()) && Certs.isSignedBy(last, ca)) {
                return;
            }
        }
        throw new PkiException(source + ": the chain is incomplete: certificate " + chain.size() + " "
                + Certs.describe(last) + " is issued by " + last.getIssuerX500Principal().getName()
                + ", which is neither in the chain nor in the issuers or trusted list (append the issuing CA "
                + "certificates to the PEM, up to the root)");
    }

    private static java.util.List<X509Certificate> concat(java.util.List<X509Certificate> a,
            java.util.List<X509Certificate> b) {
        java.util.List<X509Certificate> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Override
    public TrustStore trustStore() {
        return trustStore;
    }

    public FileTrustStore fileTrustStore() {
        return trustStore;
    }
}
