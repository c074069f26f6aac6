package io.cellgate.identity;

import java.security.cert.X509Certificate;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Authenticates people and applications. Every attempt is recorded through the audit sink.
 * Thread-safe.
 */
@ProviderType
public interface Authenticator {

    /**
     * Checks a user name and password. After repeated failures for a name (also an unknown one) the
     * name is locked for a while, and a source address that keeps failing must wait longer and longer
     * between attempts; in both cases even the right password fails. Fails, in the same way, for users
     * that are disabled, or that are applications (no password).
     *
     * @param user     the name as typed
     * @param password the password; not kept, and cleared by the caller when it likes
     * @param source   the client's address (host:port or host), for the per-source delay and the audit
     */
    AuthResult authenticate(String user, char[] password, String source);

    /**
     * The user or application a certificate is mapped to (by SHA-1 thumbprint or subject DN), if it is
     * enabled and the certificate is within its validity period. The caller must have verified the
     * certificate (chain, trust, signature over the session nonce) first: this maps, it does not trust.
     */
    Optional<Identity> forCertificate(X509Certificate certificate, String source);

    /** {@link #forCertificate(X509Certificate, String)} without a source address. */
    default Optional<Identity> forCertificate(X509Certificate certificate) {
        return forCertificate(certificate, null);
    }

    /**
     * A user changes their own password (also the one-time one): the old password is checked like a
     * login (failures count towards lockout), the new one against the password rules; clears
     * {@code mustChangePassword}.
     *
     * @throws PasswordRejectedException when the new password breaks a rule (the message says which)
     * @throws SecurityException          when the user name or old password is not right
     */
    void changeOwnPassword(String user, char[] oldPassword, char[] newPassword, String source);
}
