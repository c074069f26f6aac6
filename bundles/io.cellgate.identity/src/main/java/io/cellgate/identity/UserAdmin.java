package io.cellgate.identity;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Manages users and applications. Every change is made by an {@code actor}, who must hold
 * {@link Roles#SECURITY_ADMIN} (or be {@link Identity#SYSTEM}); every change is written to disk before
 * the call returns and recorded in the audit trail. Bad input gets an {@link IllegalArgumentException}
 * naming the field; a password that breaks a rule a {@link PasswordRejectedException}; an actor without
 * the role a {@link SecurityException}. At least one enabled user keeps SecurityAdmin: a change that
 * would leave none is refused.
 */
@ProviderType
public interface UserAdmin {

    List<UserInfo> users();

    Optional<UserInfo> user(String name);

    /** A person with a password. */
    void createUser(Identity actor, String name, Set<String> roles, char[] password);

    /** An application (or a certificate-only person): no password; map a certificate to let it in. */
    void createApplication(Identity actor, String name, Set<String> roles);

    /**
     * Sets a user's password. With {@code mustChange} the user has to replace it at the next login
     * (an admin resetting someone's password).
     */
    void setPassword(Identity actor, String name, char[] password, boolean mustChange);

    void setRoles(Identity actor, String name, Set<String> roles);

    void setEnabled(Identity actor, String name, boolean enabled);

    void remove(Identity actor, String name);

    /** @throws IllegalArgumentException when another user already has this mapping */
    void mapCertificate(Identity actor, String name, CertificateMapping mapping);

    void unmapCertificate(Identity actor, String name, CertificateMapping mapping);

    /**
     * Creates user {@code name} with {@code roles} and a generated password when it does not exist yet
     * (the launcher's demo operator), and returns that password: the caller prints it once and clears
     * it. Empty when the user exists already (its password and roles are left alone).
     */
    Optional<char[]> ensureUser(String name, Set<String> roles);

    /**
     * Until when a user name is locked after repeated failed logins, or empty when it is not locked.
     *
     * @since 1.2
     */
    default Optional<java.time.Instant> lockedUntil(String name) {
        return Optional.empty();
    }

    /**
     * Lifts the lockout of a user name (after repeated failed logins) at once; audited as {@code user.unlock}.
     *
     * @throws IllegalArgumentException when there is no such user
     * @since 1.2
     */
    default void unlock(Identity actor, String name) {
        throw new UnsupportedOperationException("this identity service cannot unlock users");
    }

    /**
     * Gives a user a generated one-time password that must be changed at the next login, lifts a lockout, and
     * returns the password: the caller shows it once and clears it. Audited as {@code user.password.reset}
     * (the password itself never).
     *
     * @since 1.2
     */
    default char[] resetPassword(Identity actor, String name) {
        throw new UnsupportedOperationException("this identity service cannot generate passwords");
    }
}
