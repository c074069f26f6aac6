package io.cellgate.identity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;

/**
 * How a certificate is recognised as a user's: by its SHA-1 thumbprint (one certificate; a renewed
 * certificate must be mapped again) or by its subject DN (any certificate with that subject, so only as
 * safe as the CA that issues them).
 *
 * @param type  what {@code value} is
 * @param value the thumbprint as 40 hex digits (upper case), or the subject DN in RFC 2253 form
 */
public record CertificateMapping(Type type, String value) {

    public enum Type {
        THUMBPRINT, SUBJECT
    }

    public CertificateMapping {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if (type == Type.THUMBPRINT) {
            value = value.replace(":", "").trim().toUpperCase(Locale.ROOT);
            if (!value.matches("[0-9A-F]{40}")) {
                throw new IllegalArgumentException("a SHA-1 thumbprint is 40 hex digits, got '" + value + "'");
            }
        } else {
            try {
                value = new X500Principal(value.trim()).getName(X500Principal.RFC2253);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + value + "' is not a distinguished name: " + e.getMessage(), e);
            }
        }
    }

    public static CertificateMapping thumbprint(String sha1Hex) {
        return new CertificateMapping(Type.THUMBPRINT, sha1Hex);
    }

    public static CertificateMapping subject(String dn) {
        return new CertificateMapping(Type.SUBJECT, dn);
    }

    /** Maps exactly this certificate. */
    public static CertificateMapping thumbprintOf(X509Certificate certificate) {
        return thumbprint(sha1(certificate));
    }

    /** Whether {@code certificate} is the one (or has the subject) this mapping names. */
    public boolean matches(X509Certificate certificate) {
        if (type == Type.THUMBPRINT) {
            return MessageDigest.isEqual(value.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    sha1(certificate).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        // X500Principal.equals compares canonical forms (case and spacing of attribute values ignored).
        return new X500Principal(value).equals(certificate.getSubjectX500Principal());
    }

    /** SHA-1 over the DER encoding, 40 upper-case hex digits (the OPC UA thumbprint). */
    public static String sha1(X509Certificate certificate) {
        try {
            return HexFormat.of().withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot compute the thumbprint: " + e, e);
        }
    }

    @Override
    public String toString() {
        return (type == Type.THUMBPRINT ? "sha1:" : "subject:") + value;
    }

    /** Parses {@link #toString()}: {@code sha1:<hex>} or {@code subject:<DN>}. */
    public static CertificateMapping parse(String s) {
        if (s.startsWith("sha1:")) {
            return thumbprint(s.substring(5));
        }
        if (s.startsWith("subject:")) {
            return subject(s.substring(8));
        }
        throw new IllegalArgumentException("'" + s + "' is not a certificate mapping: write sha1:<hex> or subject:<DN>");
    }
}
