package io.cellgate.identity;

import java.util.Optional;

/**
 * The outcome of a login. Every failure is the one value {@link #FAILED}, whatever the cause (unknown
 * user, wrong password, locked, disabled): the reason is written to the audit trail only, so that a
 * caller cannot learn which user names exist or whether one is locked.
 *
 * @param identity           present exactly on success
 * @param mustChangePassword the user logged in with a one-time password and must set a new one before
 *                           doing anything else (the console enforces it; other channels should refuse)
 * @param message            for the person logging in
 */
public record AuthResult(Optional<Identity> identity, boolean mustChangePassword, String message) {

    /** The message of every failed login. */
    public static final String FAILED_MESSAGE = "invalid user name or password";

    /** Every failed login. */
    public static final AuthResult FAILED = new AuthResult(Optional.empty(), false, FAILED_MESSAGE);

    public static AuthResult success(Identity identity, boolean mustChangePassword) {
        return new AuthResult(Optional.of(identity), mustChangePassword,
                mustChangePassword ? "password must be changed" : "ok");
    }

    public boolean success() {
        return identity.isPresent();
    }
}
