package io.cellgate.pki.internal;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PublicKey;
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
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/** A certificate authority made in the test, issuing the certificates and CRLs the tests need. */
final class TestCa {

    private static final AtomicLong SERIAL = new AtomicLong(1000);

    final KeyPair keyPair = OwnCertificate.generateKeyPair(2048);
    final X509Certificate certificate;

    TestCa(String name) throws Exception {
        X500Name subject = new X500Name("CN=" + name + ",O=Test");
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))), subject, keyPair.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        certificate = new JcaX509CertificateConverter().getCertificate(b.build(OwnCertificate.signer(keyPair.getPrivate())));
    }

    /** Options of an issued certificate. */
    static final class Leaf {
        String cn = "client";
        String uri = "urn:test:client";
        String dns = "client.example";
        int keyUsage = KeyUsage.digitalSignature | KeyUsage.nonRepudiation | KeyUsage.keyEncipherment | KeyUsage.dataEncipherment;
        Instant notBefore = Instant.now().minus(Duration.ofDays(1));
        Instant notAfter = Instant.now().plus(Duration.ofDays(30));
        KeyPair keyPair;

        Leaf uri(String u) {
            uri = u;
            return this;
        }

        Leaf keyUsage(int ku) {
            keyUsage = ku;
            return this;
        }

        Leaf validity(Instant from, Instant until) {
            notBefore = from;
            notAfter = until;
            return this;
        }

        Leaf key(KeyPair kp) {
            keyPair = kp;
            return this;
        }

        Leaf cn(String name) {
            cn = name;
            return this;
        }
    }

    X509Certificate issue(Leaf leaf) throws Exception {
        return issue(leaf, X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()), keyPair);
    }

    /** A self-signed end-entity certificate (as OPC UA clients usually have). */
    static X509Certificate selfSigned(Leaf leaf) throws Exception {
        if (leaf.keyPair == null) {
            leaf.keyPair = OwnCertificate.generateKeyPair(2048);
        }
        return issue(leaf, new X500Name("CN=" + leaf.cn + ",O=Test"), leaf.keyPair);
    }

    private static X509Certificate issue(Leaf leaf, X500Name issuerDn, KeyPair signer) throws Exception {
        if (leaf.keyPair == null) {
            leaf.keyPair = OwnCertificate.generateKeyPair(2048);
        }
        PublicKey pub = leaf.keyPair.getPublic();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerDn,
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(leaf.notBefore), Date.from(leaf.notAfter),
                new X500Name("CN=" + leaf.cn + ",O=Test"), pub);
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.uniformResourceIdentifier, leaf.uri), new GeneralName(GeneralName.dNSName, leaf.dns),
            new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(leaf.keyUsage));
        b.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth}));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        return new JcaX509CertificateConverter().getCertificate(b.build(OwnCertificate.signer(signer.getPrivate())));
    }

    /** A current CRL revoking the given certificates (none: an empty CRL, needed for "not revoked"). */
    X509CRL crl(X509Certificate... revoked) throws Exception {
        Instant now = Instant.now();
        X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
                Date.from(now.minus(Duration.ofHours(1))));
        b.setNextUpdate(Date.from(now.plus(Duration.ofDays(7))));
        for (X509Certificate c : revoked) {
            b.addCRLEntry(c.getSerialNumber(), Date.from(now.minus(Duration.ofMinutes(5))), CRLReason.keyCompromise);
        }
        return new JcaX509CRLConverter().getCRL(b.build(OwnCertificate.signer(keyPair.getPrivate())));
    }
}
