package io.cellgate.api.health;

import java.time.Instant;
import java.util.Objects;

/**
 * A deviation from the cell's learned normal behaviour. Occurrences of the same kind and subject within one
 * aggregation interval are one event with a count.
 *
 * @param kind        what deviated, e.g. {@code new.client}, {@code login.burst}, {@code write.rate},
 *                    {@code device.exception}, {@code poll.drift}
 * @param subject     who or what (an identity, a source address, a device)
 * @param severity    how urgent
 * @param explanation why this is unusual, against the baseline, for an operator
 * @param first       the first occurrence in this event
 * @param last        the latest occurrence in this event
 * @param count       occurrences aggregated into this event (1 or more)
 */
public record SecurityEvent(String kind, String subject, Severity severity, String explanation, Instant first,
        Instant last, long count) {

    public SecurityEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(explanation, "explanation");
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
        if (count < 1) {
            throw new IllegalArgumentException("security event " + kind + "/" + subject + ": count " + count + " < 1");
        }
    }
}
