package io.cellgate.opcua.itest;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Client certificates, a CA and its CRL, made in the test with Bouncy Castle. */
final class TestCerts {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private TestCerts() {
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    /** A self-signed OPC UA client application certificate with the given URI and validity. */
    static X509Certificate selfSigned(KeyPair keys, String cn, String uri, Instant notBefore, Instant notAfter)
            throws Exception {
        X500Name name = new X500Name("CN=" + cn + ",O=CellGate tests");
        var b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(notBefore), Date.from(notAfter), name, keys.getPublic());
        leafExtensions(b, uri, keys, null);
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation
                | KeyUsage.keyEncipherment | KeyUsage.dataEncipherment | KeyUsage.keyCertSign));
        return sign(b, keys);
    }

    static X509Certificate selfSigned(KeyPair keys, String cn, String uri) throws Exception {
        Instant now = Instant.now();
        return selfSigned(keys, cn, uri, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)));
    }

    /** A CA certificate (self-signed, cA, keyCertSign and cRLSign). */
    static X509Certificate ca(KeyPair keys, String cn) throws Exception {
        X500Name name = new X500Name("CN=" + cn + ",O=CellGate tests");
        Instant now = Instant.now();
        var b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), name,
                keys.getPublic());
        var ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        return sign(b, keys);
    }

    /** A client certificate issued by the CA. */
    static X509Certificate issued(KeyPair keys, String cn, String uri, KeyPair caKeys, X509Certificate ca)
            throws Exception {
        Instant now = Instant.now();
        var b = new JcaX509v3CertificateBuilder(ca, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))),
                new X500Name("CN=" + cn + ",O=CellGate tests"), keys.getPublic());
        leafExtensions(b, uri, keys, ca);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation
                | KeyUsage.keyEncipherment | KeyUsage.dataEncipherment));
        return sign(b, caKeys);
    }

    /** A current CRL of the CA revoking the given certificates. */
    static X509CRL crl(KeyPair caKeys, X509Certificate ca, X509Certificate... revoked) throws Exception {
        Instant now = Instant.now();
        var b = new X509v2CRLBuilder(X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
                Date.from(now.minus(Duration.ofMinutes(10))));
        b.setNextUpdate(Date.from(now.plus(Duration.ofDays(7))));
        for (X509Certificate c : revoked) {
            b.addCRLEntry(c.getSerialNumber(), Date.from(now.minus(Duration.ofMinutes(5))), CRLReason.keyCompromise);
        }
        b.addExtension(Extension.authorityKeyIdentifier, false,
                new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca));
        return new JcaX509CRLConverter().getCRL(b.build(signer(caKeys)));
    }

    private static void leafExtensions(X509v3CertificateBuilder b, String uri, KeyPair keys, X509Certificate ca)
            throws Exception {
        var ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.uniformResourceIdentifier, uri),
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth}));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        if (ca != null) {
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(b.build(signer(signer)));
    }

    private static ContentSigner signer(KeyPair keys) throws Exception {
        return new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate());
    }
}
