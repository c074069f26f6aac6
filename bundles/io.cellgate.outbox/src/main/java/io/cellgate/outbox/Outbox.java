package io.cellgate.outbox;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A durable, bounded queue of opaque records, each identified by a sequence number. Thread-safe:
 * concurrent appenders share one commit and one fsync (group commit).
 *
 * <p>All methods throw {@link OutboxException} when the store cannot be read or written, and
 * {@link IllegalStateException} after {@link #close()}.
 */
@ProviderType
public interface Outbox extends AutoCloseable {

    /**
     * Durably stores one record. When this returns, the record survives {@code kill -9} and power
     * loss (see docs/outbox.md for the exact guarantee).
     *
     * @param record the bytes to store; copied, the caller may reuse the array
     * @return the record's sequence number: strictly increasing, never reused, also across restarts
     * @throws OutboxFullException if the policy is {@link OverflowPolicy#REJECT_NEW} and the record
     *     does not fit, or if the record alone is larger than {@link OutboxOptions#maxBytes()}
     * @throws OutboxException if the store cannot write: the record is then NOT accepted
     */
    long append(byte[] record);

    /**
     * Up to {@code maxEntries} unacknowledged entries with {@code seq > afterSeq}, ascending, whose
     * total record size stays {@code <= maxBytes}; at least one entry if any exists (even if that one
     * alone is larger than {@code maxBytes}). Entries older than the maximum age are dropped first.
     *
     * @param afterSeq exclusive lower bound; 0 reads from the oldest entry
     * @param maxEntries at least 1
     * @param maxBytes at least 1
     */
    List<OutboxEntry> read(long afterSeq, int maxEntries, long maxBytes);

    /**
     * Removes acknowledged entries, in any order; unknown or already removed sequence numbers are
     * ignored. Durable like {@link #append}: when this returns, the removal survives a crash.
     */
    void acknowledge(long... seqs);

    /** The highest sequence number ever appended (0 if none), also across restarts. */
    long lastSeq();

    /** Fill level, counters and file size; cheap (no I/O except the file size). */
    OutboxStats stats();

    /**
     * Drops entries older than the maximum age now (append and read do it too); returns how many
     * were dropped. For a publisher that is idle while the broker is away.
     */
    long sweep();

    /** Commits, compacts moderately and releases the file and its lock. Idempotent. */
    @Override
    void close();
}
