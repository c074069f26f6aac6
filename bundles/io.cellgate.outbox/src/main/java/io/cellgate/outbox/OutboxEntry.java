package io.cellgate.outbox;

import java.util.Arrays;

/**
 * One stored record.
 *
 * @param seq the sequence number {@link Outbox#append} returned
 * @param appendedAtMillis wall-clock time of the append (epoch milliseconds)
 * @param record the stored bytes (a copy owned by the caller)
 */
public record OutboxEntry(long seq, long appendedAtMillis, byte[] record) {

    public OutboxEntry {
        if (record == null) {
            throw new NullPointerException("OutboxEntry.record of seq " + seq + " is null");
        }
    }

    /** Size of the record in bytes. */
    public int size() {
        return record.length;
    }

    // Records compare arrays by reference; entries are values, so compare the content.
    @Override
    public boolean equals(Object o) {
        return o instanceof OutboxEntry e
                && e.seq == seq
                && e.appendedAtMillis == appendedAtMillis
                && Arrays.equals(e.record, record);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq) * 31 + Arrays.hashCode(record);
    }

    @Override
    public String toString() {
        return "OutboxEntry[seq=" + seq + ", appendedAtMillis=" + appendedAtMillis + ", size=" + record.length + "]";
    }
}
