package io.cellgate.pki.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cellgate.pki.GatewayPki;
import io.cellgate.pki.PkiException;

/**
 * The gateway's key and certificate chain in {@code own/gateway.p12} (PKCS#12), protected by a random
 * password kept in {@code own/gateway.pass}. Both files 0600. The password and the key are never
 * logged; the thumbprint and expiry are.
 */
final class OwnCertificate {

    static final String KEYSTORE_FILE = "gateway.p12";
    static final String PASSWORD_FILE = "gateway.pass";
    /** The certificate alone (public), for handing to OPC UA clients to trust. */
    static final String CERTIFICATE_FILE = "gateway.der";
    static final String ALIAS = GatewayPki.KEY_ALIAS;
    static final String SIGNATURE_ALGORITHM = "SHA256withRSA";

    /** Key usages of an OPC UA application instance certificate (Part 6); keyCertSign only when self-signed. */
    static final int APPLICATION_KEY_USAGE = KeyUsage.digitalSignature | KeyUsage.nonRepudiation
            | KeyUsage.keyEncipherment | KeyUsage.dataEncipherment;

    private static final Logger LOG = LoggerFactory.getLogger(OwnCertificate.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Key and chain, replaced as a whole. */
    record State(PrivateKey key, X509Certificate[] chain) {
        X509Certificate certificate() {
            return chain[0];
        }
    }

    private final Path ownDir;
    private final char[] password;
    private volatile State state;

    private OwnCertificate(Path ownDir, char[] password, State state) {
        this.ownDir = ownDir;
        this.password = password;
        this.state = state;
    }

    /** Opens the existing key store, or generates key, certificate, password and key store on first start. */
    static OwnCertificate openOrCreate(PkiSettings settings) throws IOException {
        Path ownDir = SecureFiles.ensureDirectory(settings.ownDir());
        Path keystore = ownDir.resolve(KEYSTORE_FILE);
        if (Files.exists(keystore)) {
            OwnCertificate own = open(ownDir);
            String uri = Certs.applicationUri(own.state.certificate()).orElse("(none)");
            if (!uri.equals(settings.applicationUri())) {
                LOG.warn("The gateway certificate's application URI {} differs from the configured {}; the certificate's "
                        + "is used. Install a new certificate (or remove {} to generate one) to change it.",
                        uri, settings.applicationUri(), keystore);
            }
            own.logLoaded("Loaded");
            return own;
        }
        // first start (or a key store removed by the admin to regenerate): a fresh password and key
        char[] password = newPassword();
        SecureFiles.writeAtomically(ownDir.resolve(PASSWORD_FILE), new String(password).getBytes(StandardCharsets.US_ASCII));
        KeyPair keyPair = generateKeyPair(settings.keySize());
        X509Certificate certificate = selfSigned(settings, keyPair);
        OwnCertificate own = new OwnCertificate(ownDir, password, new State(keyPair.getPrivate(), new X509Certificate[] {certificate}));
        own.store(own.state);
        own.logLoaded("Generated");
        return own;
    }

    /** Opens an existing key store (the command-line tool; never generates). */
    static OwnCertificate open(Path ownDir) throws IOException {
        Path keystore = ownDir.resolve(KEYSTORE_FILE);
        Path passwordFile = ownDir.resolve(PASSWORD_FILE);
        if (!Files.exists(keystore)) {
            throw new PkiException(keystore + ": no gateway key store (the gateway creates it on its first start)");
        }
        if (!Files.exists(passwordFile)) {
            throw new PkiException(passwordFile + ": the key store password file is missing; remove " + keystore
                    + " to generate a new certificate");
        }
        char[] password = Files.readString(passwordFile, StandardCharsets.US_ASCII).trim().toCharArray();
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(new ByteArrayInputStream(Files.readAllBytes(keystore)), password);
            Key key = ks.getKey(ALIAS, password);
            Certificate[] chain = ks.getCertificateChain(ALIAS);
            if (!(key instanceof PrivateKey privateKey) || chain == null || chain.length == 0) {
                throw new PkiException(keystore + ": holds no key entry '" + ALIAS + "'");
            }
            X509Certificate[] x509 = Arrays.stream(chain).map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
            return new OwnCertificate(ownDir, password, new State(privateKey, x509));
        } catch (GeneralSecurityException | IOException e) {
            // the message of a wrong password names neither password nor key
            throw new PkiException(keystore + ": cannot be opened with the password in " + passwordFile + ": " + e.getMessage(), e);
        }
    }

    State state() {
        return state;
    }

    Path ownDir() {
        return ownDir;
    }

    /** PKCS#10 (PEM) for the current key, subject and subject alternative names, asking for an end-entity certificate. */
    String createCsr() {
        State s = state;
        X509Certificate cert = s.certificate();
        try {
            X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
            PublicKey publicKey = cert.getPublicKey();
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            byte[] san = cert.getExtensionValue(Extension.subjectAlternativeName.getId());
            if (san != null) {
                extensions.addExtension(Extension.subjectAlternativeName, false,
                        org.bouncycastle.asn1.ASN1OctetString.getInstance(san).getOctets());
            }
            extensions.addExtension(Extension.keyUsage, true, new KeyUsage(APPLICATION_KEY_USAGE));
            extensions.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            extensions.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(subject, publicKey)
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                    .build(signer(s.key()));
            return Certs.toPem(csr);
        } catch (IOException e) {
            throw new PkiException("cannot create the certificate signing request: " + e.getMessage(), e);
        }
    }

    /**
     * Checks and installs a CA-signed chain for the current key; on any failure nothing changes.
     */
    synchronized X509Certificate[] install(String pemChain, String source) {
        List<X509Certificate> chain = Certs.parseCertificates(pemChain.getBytes(StandardCharsets.US_ASCII), source);
        X509Certificate leaf = chain.get(0);
        State current = state;
        if (!Arrays.equals(leaf.getPublicKey().getEncoded(), current.certificate().getPublicKey().getEncoded())) {
            throw new PkiException(source + ": the first certificate " + Certs.describe(leaf)
                    + " is not for the gateway's key (was it issued for this gateway's CSR?)");
        }
        for (int i = 0; i + 1 < chain.size(); i++) {
            if (!Certs.isSignedBy(chain.get(i), chain.get(i + 1))) {
                throw new PkiException(source + ": certificate " + (i + 1) + " " + Certs.describe(chain.get(i))
                        + " is not signed by certificate " + (i + 2) + " " + Certs.describe(chain.get(i + 1))
                        + " (the gateway certificate must come first, then each issuer in order)");
            }
        }
        X509Certificate last = chain.get(chain.size() - 1);
        if (Certs.isSelfIssued(last) && !Certs.isSignedBy(last, last)) {
            throw new PkiException(source + ": the self-issued certificate " + Certs.describe(last) + " has an invalid signature");
        }
        Date now = new Date();
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            try {
                c.checkValidity(now);
            } catch (CertificateExpiredException e) {
                throw new PkiException(source + ": certificate " + (i + 1) + " " + Certs.describe(c) + " expired on "
                        + c.getNotAfter().toInstant());
            } catch (CertificateNotYetValidException e) {
                throw new PkiException(source + ": certificate " + (i + 1) + " " + Certs.describe(c) + " is not valid before "
                        + c.getNotBefore().toInstant());
            }
        }
        if (Certs.applicationUri(leaf).isEmpty()) {
            throw new PkiException(source + ": the certificate " + Certs.describe(leaf)
                    + " has no URI subject alternative name (the OPC UA application URI)");
        }
        boolean[] ku = leaf.getKeyUsage();
        if (ku != null && !(ku[0] && ku[2])) {
            throw new PkiException(source + ": the certificate " + Certs.describe(leaf)
                    + " lacks key usage digitalSignature or keyEncipherment (both needed for OPC UA and TLS)");
        }
        State next = new State(current.key(), chain.toArray(X509Certificate[]::new));
        try {
            store(next);
        } catch (IOException e) {
            throw new PkiException(ownDir.resolve(KEYSTORE_FILE) + ": cannot write: " + e.getMessage(), e);
        }
        state = next;
        logLoaded("Installed");
        return next.chain();
    }

    /** An in-memory key store over the current key and chain with a caller-chosen password. */
    KeyStore keyStore(char[] storePassword) {
        try {
            return keyStoreOf(state, storePassword);
        } catch (GeneralSecurityException | IOException e) {
            throw new PkiException("cannot build an in-memory key store: " + e.getMessage(), e);
        }
    }

    private static KeyStore keyStoreOf(State s, char[] storePassword) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(ALIAS, s.key(), storePassword, s.chain());
        return ks;
    }

    private void store(State s) throws IOException {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            keyStoreOf(s, password).store(out, password);
            SecureFiles.writeAtomically(ownDir.resolve(KEYSTORE_FILE), out.toByteArray());
            SecureFiles.writeAtomically(ownDir.resolve(CERTIFICATE_FILE), s.certificate().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encode the key store: " + e.getMessage(), e);
        }
    }

    private void logLoaded(String what) {
        X509Certificate c = state.certificate();
        LOG.info("{} the gateway certificate {}: thumbprint {}, application URI {}, valid until {}, {} in chain, {}",
                what, c.getSubjectX500Principal().getName(), Certs.thumbprint(c), Certs.applicationUri(c).orElse("(none)"),
                c.getNotAfter().toInstant(), state.chain().length,
                Certs.isSelfIssued(c) ? "self-signed" : "issued by " + c.getIssuerX500Principal().getName());
    }

    private static char[] newPassword() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
    }

    static KeyPair generateKeyPair(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot generate an RSA " + bits + " key: " + e.getMessage(), e);
        }
    }

    /** The self-signed application instance certificate (OPC UA Part 6 profile). */
    static X509Certificate selfSigned(PkiSettings settings, KeyPair keyPair) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, "CellGate " + settings.cellId())
                .addRDN(BCStyle.O, settings.organization())
                .build();
        // an hour back: clients with a slightly slow clock must not see a not-yet-valid certificate
        Instant notBefore = Instant.now().minus(Duration.ofHours(1));
        Instant notAfter = notBefore.plus(Duration.ofHours(1)).plus(Duration.ofDays(settings.validityDays()));
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(159, RANDOM).add(BigInteger.ONE),
                    Date.from(notBefore), Date.from(notAfter), subject, keyPair.getPublic());
            List<GeneralName> names = new ArrayList<>();
            names.add(new GeneralName(GeneralName.uniformResourceIdentifier, settings.applicationUri()));
            settings.dnsNames().forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
            settings.ipAddresses().forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            // self-signed: it is its own issuer, so keyCertSign and cA (RFC 5280 ties the two together)
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(APPLICATION_KEY_USAGE | KeyUsage.keyCertSign));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keyPair.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(keyPair.getPublic()));
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer(keyPair.getPrivate())));
        } catch (IOException | GeneralSecurityException e) {
            throw new PkiException("cannot create the gateway certificate: " + e.getMessage(), e);
        }
    }

    static ContentSigner signer(PrivateKey key) {
        try {
            return new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(key);
        } catch (OperatorCreationException e) {
            throw new PkiException("no " + SIGNATURE_ALGORITHM + " signer: " + e.getMessage(), e);
        }
    }
}
