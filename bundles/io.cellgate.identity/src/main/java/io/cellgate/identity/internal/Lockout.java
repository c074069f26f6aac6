package io.cellgate.identity.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Failed-login bookkeeping, in memory. Per user name (known or not, so that locking says nothing about
 * who exists): after {@code threshold} consecutive failures the name is locked for {@code initial};
 * every further failure before a success locks it again for twice as long, up to {@code max}. Per
 * source host: after {@code sourceThreshold} consecutive failures the next attempt is refused until
 * {@code sourceInitial} has passed, doubling per further failure up to {@code sourceMax}. Attempts refused
 * this way are answered at once and do not extend anything: no thread waits, and a user whose name an
 * attacker locked is back after the lock expires. A success clears both. The tables are bounded (least
 * recently touched entries go first), so a flood of made-up names cannot exhaust memory.
 */
final class Lockout {

    enum Verdict {
        OPEN, USER_LOCKED, SOURCE_THROTTLED
    }

    record Settings(int threshold, Duration initial, Duration max, int sourceThreshold, Duration sourceInitial,
            Duration sourceMax, int maxEntries) {
    }

    private static final class State {
        int failures;
        int lockLevel;
        Instant until = Instant.MIN;
    }

    private final Clock clock;
    private final Settings s;
    private final Map<String, State> users;
    private final Map<String, State> sources;

    Lockout(Clock clock, Settings settings) {
        this.clock = clock;
        this.s = settings;
        this.users = bounded(settings.maxEntries());
        this.sources = bounded(settings.maxEntries());
    }

    private static Map<String, State> bounded(int max) {
        return new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, State> eldest) {
                return size() > max;
            }
        };
    }

    /** Whether an attempt for {@code user} from {@code source} may be checked at all. */
    synchronized Verdict check(String user, String source) {
        Instant now = clock.instant();
        State u = users.get(userKey(user));
        if (u != null && now.isBefore(u.until)) {
            return Verdict.USER_LOCKED;
        }
        State src = source == null ? null : sources.get(sourceKey(source));
        if (src != null && now.isBefore(src.until)) {
            return Verdict.SOURCE_THROTTLED;
        }
        return Verdict.OPEN;
    }

    /**
     * Counts a failed check.
     *
     * @return how long the user name is now locked, or null when this failure did not lock it
     */
    synchronized Duration failure(String user, String source) {
        Instant now = clock.instant();
        State u = users.computeIfAbsent(userKey(user), k -> new State());
        u.failures++;
        Duration locked = null;
        if (u.failures >= s.threshold()) {
            locked = doubled(s.initial(), u.lockLevel++, s.max());
            u.until = now.plus(locked);
        }
        if (source != null) {
            State src = sources.computeIfAbsent(sourceKey(source), k -> new State());
            src.failures++;
            if (src.failures >= s.sourceThreshold()) {
                src.until = now.plus(doubled(s.sourceInitial(), src.failures - s.sourceThreshold(), s.sourceMax()));
            }
        }
        return locked;
    }

    synchronized void success(String user, String source) {
        users.remove(userKey(user));
        if (source != null) {
            sources.remove(sourceKey(source));
        }
    }

    /** Until when the name is locked, or null. */
    synchronized Instant lockedUntil(String user) {
        State u = users.get(userKey(user));
        return u != null && clock.instant().isBefore(u.until) ? u.until : null;
    }

    private static Duration doubled(Duration base, int times, Duration max) {
        Duration d = base;
        for (int i = 0; i < times && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }

    /** Names are unique ignoring case, so their lockout is too. */
    static String userKey(String user) {
        String u = user == null ? "" : user.trim().toLowerCase(Locale.ROOT);
        return u.length() > 128 ? u.substring(0, 128) : u;
    }

    /** The host of {@code host:port}, {@code [v6]:port}, a bare IPv6 address or a host: ports change per connection. */
    static String sourceKey(String source) {
        String s = source.trim();
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            return end > 0 ? s.substring(1, end) : s;
        }
        int colon = s.indexOf(':');
        if (colon > 0 && colon == s.lastIndexOf(':')) {
            s = s.substring(0, colon);
        }
        if (s.startsWith("/")) {
            s = s.substring(1);
        }
        return s.toLowerCase(Locale.ROOT);
    }
}
