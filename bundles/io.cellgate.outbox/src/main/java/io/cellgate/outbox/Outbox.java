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
     * Durably stores several records with one commit and one fsync (the cheap way to store what arrived
     * since the last call). Each record is handled as by {@link #append}, in list order: a record the
     * overflow policy refuses ({@link OverflowPolicy#REJECT_NEW} when full, or larger than the whole
     * outbox) gets sequence number 0 in the result and is counted in {@code rejected}; the others are
     * accepted, with ascending sequence numbers, and survive {@code kill -9} once this returns. With
     * {@link OverflowPolicy#DROP_OLDEST} a batch larger than the outbox may drop its own first records.
     *
     * @param records the records; copied, the caller may reuse the arrays
     * @return one sequence number per record, in the same order, 0 for a refused record
     * @throws OutboxException if the store cannot write: then NONE of the batch is accepted (some may
     *     still have reached the disk and be replayed: duplicates, never losses)
     */
    long[] appendAll(List<byte[]> records);

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

    /**
     * Removes acknowledged entries like {@link #acknowledge}, but without a commit of its own: the removal
     * is visible at once ({@link #read} no longer returns them) and becomes durable with the next commit
     * of this outbox: an {@link #append}/{@link #appendAll}, a durable {@link #acknowledge}, {@link #flush},
     * {@link #close}, or automatically once {@value io.cellgate.outbox.Outbox#LAZY_ACK_FLUSH_ENTRIES}
     * lazily removed entries are pending. After a crash, entries removed lazily since the last commit are
     * back (whole and unchanged, never corrupt): the caller gets them again, i.e. duplicates bounded by what
     * was acknowledged since the last commit.
     */
    void acknowledgeLazily(long... seqs);

    /**
     * Makes every change so far durable (commit + fsync) if any is pending, e.g. lazy acknowledgements; a
     * no-op otherwise. A publisher calls it periodically to bound the duplicates after a crash in time.
     */
    void flush();

    /** Lazily acknowledged entries pending at most before the outbox commits them on its own. */
    int LAZY_ACK_FLUSH_ENTRIES = 4096;

    /** Lazily acknowledged entries not yet durable (health, tests). */
    long pendingLazyAcknowledgements();

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
