package io.cellgate.outbox;

/**
 * A snapshot of the outbox: fill level and counters. The counters (appended, acknowledged, dropped,
 * quarantined) are stored with the data and survive restarts.
 *
 * @param entries unacknowledged entries
 * @param bytes total record bytes of those entries
 * @param maxBytes the configured bound on {@code bytes}
 * @param maxAgeMillis the configured maximum age of an entry
 * @param oldestSeq sequence number of the oldest unacknowledged entry (0 if empty)
 * @param oldestAppendedAtMillis append time of the oldest entry (0 if empty)
 * @param lastSeq highest sequence number ever appended (0 if none)
 * @param appended records appended since the store was created
 * @param acknowledged entries removed by {@link Outbox#acknowledge}
 * @param droppedOverflow entries dropped by {@link OverflowPolicy#DROP_OLDEST}
 * @param droppedAge entries dropped because they were older than the maximum age
 * @param rejected appends refused by {@link OverflowPolicy#REJECT_NEW} (or too large to ever fit)
 * @param quarantined how many times an unreadable store file was moved aside and replaced by an empty
 *     one (its entries are lost and not counted elsewhere)
 * @param storeFileBytes size of the store file on disk
 */
public record OutboxStats(
        long entries,
        long bytes,
        long maxBytes,
        long maxAgeMillis,
        long oldestSeq,
        long oldestAppendedAtMillis,
        long lastSeq,
        long appended,
        long acknowledged,
        long droppedOverflow,
        long droppedAge,
        long rejected,
        long quarantined,
        long storeFileBytes) {

    /** {@code bytes / maxBytes}, between 0 and 1. */
    public double fillRatio() {
        return maxBytes <= 0 ? 0 : Math.min(1.0, (double) bytes / maxBytes);
    }

    /** Entries lost without being acknowledged: overflow plus age drops. */
    public long dropped() {
        return droppedOverflow + droppedAge;
    }
}
