package io.cellgate.pki.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cellgate.pki.PkiException;

class FilePkiTest {

    @TempDir
    Path state;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        logs.start();
        root().addAppender(logs);
    }

    @AfterEach
    void stopCapture() {
        root().detachAppender(logs);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private PkiSettings settings() {
        return new PkiSettings(state.resolve("pki"), "press-7", "ACME Plant", null, List.of("gw-press-7", "gw-press-7.plant.example"),
                List.of("192.168.10.5", "::1"), 2048, 730);
    }

    @Test
    void openOrCreate_firstStart_keystoreAndPasswordFile0600Directories0700() throws Exception {
        FilePki.openOrCreate(settings());

        Path own = state.resolve("pki/own");
        for (String f : List.of("gateway.p12", "gateway.pass", "gateway.der")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(own.resolve(f)))).as(f).isEqualTo("rw-------");
        }
        for (String d : List.of("pki", "pki/own", "pki/trusted/certs", "pki/rejected")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve(d)))).as(d).isEqualTo("rwx------");
        }
        try (var files = Files.list(own)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactlyInAnyOrder("gateway.p12", "gateway.pass", "gateway.der");
        }
    }

    @Test
    void openOrCreate_firstStart_certificateProfileForOpcUa() throws Exception {
        FilePki pki = FilePki.openOrCreate(settings());
        X509Certificate c = pki.certificate();

        assertThat(c.getSubjectX500Principal().getName()).isEqualTo("O=ACME Plant,CN=CellGate press-7");
        assertThat(c.getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(((RSAPublicKey) c.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(pki.applicationUri()).isEqualTo("urn:cellgate:press-7");
        assertThat(Certs.subjectAltNames(c, Certs.SAN_DNS)).containsExactly("gw-press-7", "gw-press-7.plant.example");
        assertThat(Certs.subjectAltNames(c, Certs.SAN_IP)).hasSize(2).contains("192.168.10.5");
        // digitalSignature, nonRepudiation, keyEncipherment, dataEncipherment, keyAgreement, keyCertSign
        assertThat(c.getKeyUsage()).startsWith(true, true, true, true, false, true);
        assertThat(c.getCriticalExtensionOIDs()).contains(Extension.keyUsage.getId(), Extension.basicConstraints.getId());
        assertThat(c.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(c.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        c.verify(c.getPublicKey());
        assertThat(pki.daysUntilExpiry()).isBetween(728L, 730L);
    }

    @Test
    void openOrCreate_secondStart_reusesKeyAndCertificate() throws Exception {
        FilePki first = FilePki.openOrCreate(settings());
        byte[] keystore = Files.readAllBytes(state.resolve("pki/own/gateway.p12"));

        FilePki second = FilePki.openOrCreate(settings());

        assertThat(second.thumbprint()).isEqualTo(first.thumbprint());
        assertThat(second.privateKey().getEncoded()).isEqualTo(first.privateKey().getEncoded());
        assertThat(Files.readAllBytes(state.resolve("pki/own/gateway.p12"))).isEqualTo(keystore);
    }

    @Test
    void logs_generationCsrInstallAndReload_neverContainPasswordOrKey() throws Exception {
        FilePki pki = FilePki.openOrCreate(settings());
        String generated = pki.thumbprint();
        TestCa ca = new TestCa("Enterprise CA");
        pki.installSignedCertificate(pem(signCsr(ca, pki), ca.certificate));
        FilePki.openOrCreate(settings());

        String password = Files.readString(state.resolve("pki/own/gateway.pass"), StandardCharsets.US_ASCII).trim();
        String keyBase64 = Base64.getEncoder().encodeToString(pki.privateKey().getEncoded());
        String keyMime = Base64.getMimeEncoder().encodeToString(pki.privateKey().getEncoded());
        assertThat(password).hasSizeGreaterThanOrEqualTo(40);
        assertThat(logs.list).as("something was logged").isNotEmpty();
        for (ILoggingEvent e : logs.list) {
            String line = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage());
            assertThat(line).doesNotContain(password).doesNotContain(keyBase64.substring(100, 160))
                    .doesNotContain(keyMime.substring(100, 160)).doesNotContain("PRIVATE KEY");
        }
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m).startsWith("Generated the gateway certificate").contains(generated));
    }

    @Test
    void createCsr_parsedWithBouncyCastle_subjectSansAndSignature() throws Exception {
        FilePki pki = FilePki.openOrCreate(settings());

        PKCS10CertificationRequest csr = parseCsr(pki.createCsr());

        assertThat(csr.getSubject()).isEqualTo(X500Name.getInstance(pki.certificate().getSubjectX500Principal().getEncoded()));
        assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo()))).isTrue();
        assertThat(csr.getSubjectPublicKeyInfo().getEncoded()).isEqualTo(pki.certificate().getPublicKey().getEncoded());
        Extensions ext = Extensions.getInstance(csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0]
                .getAttrValues().getObjectAt(0));
        GeneralNames sans = GeneralNames.fromExtensions(ext, Extension.subjectAlternativeName);
        assertThat(sans.getNames()).extracting(GeneralName::toString)
                .contains("6: urn:cellgate:press-7", "2: gw-press-7", "2: gw-press-7.plant.example");
    }

    @Test
    void installSignedCertificate_chainFromTestCa_replacesCertificateKeepsKeyAndPersists() throws Exception {
        FilePki pki = FilePki.openOrCreate(settings());
        String selfSigned = pki.thumbprint();
        TestCa ca = new TestCa("Enterprise CA");
        X509Certificate signed = signCsr(ca, pki);

        pki.installSignedCertificate(pem(signed, ca.certificate));

        assertThat(pki.chain()).containsExactly(signed, ca.certificate);
        assertThat(pki.thumbprint()).isNotEqualTo(selfSigned);
        FilePki reopened = FilePki.openOrCreate(settings());
        assertThat(reopened.chain()).containsExactly(signed, ca.certificate);
        assertThat(reopened.privateKey().getEncoded()).isEqualTo(pki.privateKey().getEncoded());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("pki/own/gateway.p12"))))
                .isEqualTo("rw-------");
        assertThat(reopened.keyManagers()).isNotEmpty();
    }

    @Test
    void installSignedCertificate_otherKey_refusedAndNothingChanged() throws Exception {
        FilePki pki = FilePki.openOrCreate(settings());
        byte[] before = Files.readAllBytes(state.resolve("pki/own/gateway.p12"));
        TestCa ca = new TestCa("Enterprise CA");
        X509Certificate other = ca.issue(new TestCa.Leaf().uri("urn:cellgate:press-7"));

        assertThatThrownBy(() -> pki.installSignedCertificate(pem(other, ca.certificate))).isInstanceOf(PkiException.class)
                .hasMessageContaining("not for the gateway's key");
        assertThat(Files.readAllBytes(state.resolve("pki/own/gateway.p12"))).isEqualTo(before);
        assertThat(pki.chain()).hasSize(1);
    }

    @Test
    void installSignedCertificate_expired_refused() throws Exception {
        FilePki pki = FilePki.openOrCreate(settings());
        TestCa ca = new TestCa("Enterprise CA");
        X509Certificate expired = ca.issue(new TestCa.Leaf().key(new java.security.KeyPair(pki.certificate().getPublicKey(),
                pki.privateKey())).validity(Instant.now().minus(Duration.ofDays(10)), Instant.now().minus(Duration.ofDays(1))));

        assertThatThrownBy(() -> pki.installSignedCertificate(pem(expired, ca.certificate))).isInstanceOf(PkiException.class)
                .hasMessageContaining("expired");
        assertThat(pki.chain()).hasSize(1);
    }

    @Test
    void installSignedCertificate_issuerFirst_refusedAsOutOfOrder() throws Exception {
        FilePki pki = FilePki.openOrCreate(settings());
        TestCa ca = new TestCa("Enterprise CA");
        X509Certificate signed = signCsr(ca, pki);
        TestCa other = new TestCa("Other CA");

        assertThatThrownBy(() -> pki.installSignedCertificate(pem(signed, other.certificate))).isInstanceOf(PkiException.class)
                .hasMessageContaining("is not signed by certificate 2");
    }

    @Test
    void installSignedCertificate_chainWithoutItsRoot_refusedAsIncompleteUntilTheCaIsAnIssuer() throws Exception {
        FilePki pki = FilePki.openOrCreate(settings());
        TestCa ca = new TestCa("Enterprise CA");
        X509Certificate signed = signCsr(ca, pki);

        assertThatThrownBy(() -> pki.installSignedCertificate(pem(signed))).isInstanceOf(PkiException.class)
                .hasMessageContaining("the chain is incomplete: certificate 1")
                .hasMessageContaining("is issued by O=Test,CN=Enterprise CA");
        assertThat(pki.chain()).hasSize(1);

        pki.trustStore().add(io.cellgate.pki.TrustList.ISSUER, ca.certificate);
        pki.installSignedCertificate(pem(signed));
        assertThat(pki.chain()).containsExactly(signed);
    }

    @Test
    void settings_badValues_errorsNameTheSetting() {
        assertThatThrownBy(() -> new PkiSettings(state, "press-7", null, null, List.of(), List.of(), 1024, 730))
                .hasMessageContaining("key.size");
        assertThatThrownBy(() -> new PkiSettings(state, "press 7", null, null, List.of(), List.of(), 2048, 730))
                .hasMessageContaining("cell.id");
        assertThatThrownBy(() -> new PkiSettings(state, "p", null, null, List.of(), List.of("300.1.1.1"), 2048, 730))
                .hasMessageContaining("ip.addresses");
    }

    /** Plays the enterprise CA: issues a certificate for the CSR's key, subject and SANs. */
    private static X509Certificate signCsr(TestCa ca, FilePki pki) throws Exception {
        PKCS10CertificationRequest csr = parseCsr(pki.createCsr());
        java.security.PublicKey key = pki.certificate().getPublicKey();
        assertThat(csr.getSubjectPublicKeyInfo().getEncoded()).isEqualTo(key.getEncoded());
        return ca.issue(new TestCa.Leaf().uri("urn:cellgate:press-7").cn("CellGate press-7")
                .key(new java.security.KeyPair(key, null)));
    }

    private static PKCS10CertificationRequest parseCsr(String pem) throws Exception {
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            return (PKCS10CertificationRequest) parser.readObject();
        }
    }

    private static String pem(X509Certificate... chain) {
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : chain) {
            sb.append(Certs.toPem(c));
        }
        return sb.toString();
    }
}
