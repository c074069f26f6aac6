package io.cellgate.console.internal;

import io.cellgate.identity.Identity;
import java.time.Instant;

/**
 * One logged-in browser. The id is the cookie value, the CSRF token is echoed by every form and state-changing
 * API call; both are 256-bit random values. Immutable: a changed state (password changed) is a new session.
 *
 * @param mustChangePassword the user logged in with a one-time password: only the password page and logout work
 */
record Session(String id, String csrfToken, Identity identity, boolean mustChangePassword, String source,
        Instant created, Instant lastUsed) {

    Session touched(Instant now) {
        return new Session(id, csrfToken, identity, mustChangePassword, source, created, now);
    }
}
