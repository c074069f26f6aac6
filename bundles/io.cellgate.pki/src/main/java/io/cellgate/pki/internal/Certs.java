package io.cellgate.pki.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** Certificate helpers: thumbprints, names, PEM and DER parsing. */
public final class Certs {

    /** GeneralName tags as returned by {@link X509Certificate#getSubjectAlternativeNames()}. */
    static final int SAN_DNS = 2;
    static final int SAN_URI = 6;
    static final int SAN_IP = 7;

    private Certs() {
    }

    /** SHA-1 over the DER encoding, lower-case hex: the OPC UA thumbprint (what UaExpert and Milo show). */
    public static String thumbprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot compute the thumbprint of " + certificate.getSubjectX500Principal(), e);
        }
    }

    /** Accepts a thumbprint as typed by an admin: any case, with or without colons or spaces. */
    public static String normaliseThumbprint(String thumbprint) {
        String t = thumbprint.replace(":", "").replace(" ", "").toLowerCase(Locale.ROOT);
        if (!t.matches("[0-9a-f]{40}")) {
            throw new io.cellgate.pki.PkiException("not a certificate thumbprint (40 hex digits, SHA-1): '" + thumbprint + "'");
        }
        return t;
    }

    public static Optional<String> applicationUri(X509Certificate certificate) {
        return subjectAltNames(certificate, SAN_URI).stream().findFirst();
    }

    static List<String> subjectAltNames(X509Certificate certificate, int type) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (((Integer) san.get(0)) == type && san.get(1) instanceof String s) {
                        names.add(s);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // a malformed SAN extension means no usable names
        }
        return names;
    }

    /** The CN of the subject, or the whole subject when it has none. */
    static String commonName(X509Certificate certificate) {
        String dn = certificate.getSubjectX500Principal().getName();
        try {
            for (Rdn rdn : new LdapName(dn).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdn.getValue());
                }
            }
        } catch (InvalidNameException e) {
            // fall through to the full name
        }
        return dn;
    }

    static boolean isSelfIssued(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
    }

    static boolean isSignedBy(X509Certificate certificate, X509Certificate issuer) {
        if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static String describe(X509Certificate certificate) {
        return "'" + certificate.getSubjectX500Principal().getName() + "' (thumbprint " + thumbprint(certificate) + ")";
    }

    /** Every certificate in DER or PEM data (PEM may hold several). */
    public static List<X509Certificate> parseCertificates(byte[] data, String source) {
        try {
            List<X509Certificate> certs = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(data))) {
                certs.add((X509Certificate) c);
            }
            if (certs.isEmpty()) {
                throw new io.cellgate.pki.PkiException(source + ": no certificate found (expected DER or PEM)");
            }
            return certs;
        } catch (CertificateException e) {
            throw new io.cellgate.pki.PkiException(source + ": not a certificate (expected DER or PEM): " + e.getMessage(), e);
        }
    }

    /** Every CRL in DER or PEM data. */
    public static List<X509CRL> parseCrls(byte[] data, String source) {
        try {
            List<X509CRL> crls = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCRLs(new ByteArrayInputStream(data))) {
                crls.add((X509CRL) c);
            }
            if (crls.isEmpty()) {
                throw new io.cellgate.pki.PkiException(source + ": no CRL found (expected DER or PEM)");
            }
            return crls;
        } catch (CertificateException | CRLException e) {
            throw new io.cellgate.pki.PkiException(source + ": not a CRL (expected DER or PEM): " + e.getMessage(), e);
        }
    }

    static String toPem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException("PEM encoding failed", e);
        }
        return out.toString();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static StringReader reader(String s) {
        return new StringReader(s);
    }
}
