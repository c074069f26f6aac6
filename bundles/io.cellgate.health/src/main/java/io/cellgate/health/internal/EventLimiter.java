package io.cellgate.health.internal;

import io.cellgate.api.health.SecurityEvent;
import io.cellgate.api.health.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Aggregates and rate-limits security events so that an attack never becomes a flood: per kind and subject, the
 * first occurrence is reported at once and the repeats within {@code interval} are counted into it; across all
 * subjects at most {@code maxPerInterval} new events are reported per interval, the rest are counted into one
 * {@code events.suppressed} event. Keeps the most recent {@link #RECENT} events for the console and the metrics.
 */
final class EventLimiter {

    static final int RECENT = 100;
    static final String SUPPRESSED = "events.suppressed";

    /** What {@link #offer} did with an occurrence. */
    record Outcome(SecurityEvent reported, boolean aggregated) {
    }

    private static final class Open {
        SecurityEvent event;
        final Instant until;

        Open(SecurityEvent event, Instant until) {
            this.event = event;
            this.until = until;
        }
    }

    private final Duration interval;
    private final int maxPerInterval;
    private final Map<String, Open> open = new HashMap<>();
    private final Deque<SecurityEvent> recent = new ArrayDeque<>();
    private Instant budgetStart;
    private int budgetUsed;
    private long reported;

    EventLimiter(Duration interval, int maxPerInterval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("event interval " + interval + " must be positive");
        }
        this.interval = interval;
        this.maxPerInterval = maxPerInterval;
    }

    /**
     * An occurrence at {@code now}.
     *
     * @return the event to report now (audit, publish), or an outcome without one when it was counted into an
     *         open event
     */
    synchronized Outcome offer(String kind, String subject, Severity severity, String explanation, Instant now) {
        String key = kind + '\0' + subject;
        Open o = open.get(key);
        if (o != null && now.isBefore(o.until)) {
            replace(o, new SecurityEvent(kind, subject, max(o.event.severity(), severity), o.event.explanation(),
                    o.event.first(), now, o.event.count() + 1));
            return new Outcome(null, true);
        }
        if (budgetStart == null || !now.isBefore(budgetStart.plus(interval))) {
            budgetStart = now;
            budgetUsed = 0;
        }
        if (budgetUsed >= maxPerInterval) {
            return offerSuppressed(kind, subject, now);
        }
        budgetUsed++;
        SecurityEvent e = new SecurityEvent(kind, subject, severity, explanation, now, now, 1);
        open.put(key, new Open(e, now.plus(interval)));
        add(e);
        return new Outcome(e, false);
    }

    private Outcome offerSuppressed(String kind, String subject, Instant now) {
        String key = SUPPRESSED + '\0' + "*";
        Open o = open.get(key);
        if (o != null && now.isBefore(o.until)) {
            replace(o, new SecurityEvent(SUPPRESSED, "*", Severity.HIGH, o.event.explanation(), o.event.first(), now,
                    o.event.count() + 1));
            return new Outcome(null, true);
        }
        SecurityEvent e = new SecurityEvent(SUPPRESSED, "*", Severity.HIGH, "more than " + maxPerInterval
                + " security events within " + interval.toSeconds() + " s; further ones (first: " + kind + " "
                + subject + ") are only counted here", now, now, 1);
        open.put(key, new Open(e, now.plus(interval)));
        add(e);
        return new Outcome(e, false);
    }

    /** Closes the intervals that ended before {@code now}; returns their events that aggregated repeats. */
    synchronized List<SecurityEvent> close(Instant now) {
        List<SecurityEvent> closed = new ArrayList<>();
        Iterator<Open> it = open.values().iterator();
        while (it.hasNext()) {
            Open o = it.next();
            if (!now.isBefore(o.until)) {
                if (o.event.count() > 1) {
                    closed.add(o.event);
                }
                it.remove();
            }
        }
        return closed;
    }

    synchronized List<SecurityEvent> recent() {
        return List.copyOf(recent);
    }

    /** Events reported (each aggregated event once). */
    synchronized long reported() {
        return reported;
    }

    private void add(SecurityEvent e) {
        reported++;
        recent.addLast(e);
        while (recent.size() > RECENT) {
            recent.removeFirst();
        }
    }

    private void replace(Open o, SecurityEvent updated) {
        // The recent list shows the aggregated count: swap the old instance for the updated one.
        SecurityEvent old = o.event;
        o.event = updated;
        List<SecurityEvent> copy = new ArrayList<>(recent);
        int i = copy.lastIndexOf(old);
        if (i >= 0) {
            copy.set(i, updated);
            recent.clear();
            recent.addAll(copy);
        }
    }

    private static Severity max(Severity a, Severity b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
