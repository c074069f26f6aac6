package io.cellgate.console.internal;

import io.cellgate.identity.Identity;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.nio.charset.StandardCharsets;

/**
 * The console's sessions, in memory only: a restart logs everybody out, and nothing on disk can be stolen. Sessions
 * end after an idle time and after a maximum length; the number is bounded (the oldest is dropped). Thread-safe.
 */
final class SessionStore {

    private final Clock clock;
    private final SecureRandom random;
    private final Duration idle;
    private final Duration maxAge;
    private final int maxSessions;
    private final Map<String, Session> sessions = new LinkedHashMap<>();

    SessionStore(Clock clock, SecureRandom random, Duration idle, Duration maxAge, int maxSessions) {
        this.clock = clock;
        this.random = random;
        this.idle = idle;
        this.maxAge = maxAge;
        this.maxSessions = maxSessions;
    }

    /** A new session with new id and token: a login never reuses an id a browser brought (no session fixation). */
    synchronized Session open(Identity identity, boolean mustChangePassword, String source) {
        Instant now = clock.instant();
        expire(now);
        while (sessions.size() >= maxSessions) {
            sessions.values().stream().min(Comparator.comparing(Session::lastUsed))
                    .ifPresent(oldest -> sessions.remove(oldest.id()));
        }
        Session s = new Session(token(), token(), identity, mustChangePassword, source, now, now);
        sessions.put(s.id(), s);
        return s;
    }

    /** The live session with this id, marked as used now; empty when unknown, ended or expired. */
    synchronized Optional<Session> use(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Session s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        if (expired(s, now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        Session touched = s.touched(now);
        sessions.put(id, touched);
        return Optional.of(touched);
    }

    synchronized void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** Ends every session of a user (after a password change elsewhere the old sessions must not live on). */
    synchronized void closeAll(String user) {
        sessions.values().removeIf(s -> s.identity().name().equalsIgnoreCase(user));
    }

    synchronized int size() {
        expire(clock.instant());
        return sessions.size();
    }

    /** A 256-bit random value, URL-safe. */
    String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Compares tokens in constant time, so that the time of a refusal does not reveal how much of a guess was right. */
    static boolean sameToken(String expected, String given) {
        if (expected == null || given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
    }

    private boolean expired(Session s, Instant now) {
        return !now.isBefore(s.lastUsed().plus(idle)) || !now.isBefore(s.created().plus(maxAge));
    }

    private void expire(Instant now) {
        sessions.values().removeIf(s -> expired(s, now));
    }
}
