package io.cellgate.outbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How an outbox is opened. Start from {@link #defaults(Path)} and change what differs with the
 * {@code with...} methods; the constructor validates and names the offending option.
 *
 * @param directory the outbox's own directory (created 0700 if missing, locked while open)
 * @param maxBytes bound on the total size of unacknowledged records, at least 1 KiB
 * @param maxAge entries older than this are dropped; positive
 * @param overflow what an append does when the record would exceed {@code maxBytes}
 * @param cacheSizeMb MVStore page cache in MiB, 1..256 (a gateway runs with ~160 MB heap)
 */
public record OutboxOptions(Path directory, long maxBytes, Duration maxAge, OverflowPolicy overflow, int cacheSizeMb) {

    /** 256 MiB: about a day of a busy cell's changes at ~100 bytes per batched record. */
    public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;
    /** Seven days: long enough for a weekend outage; older process data is rarely wanted. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);
    public static final OverflowPolicy DEFAULT_OVERFLOW = OverflowPolicy.DROP_OLDEST;
    /** The outbox reads sequentially; a small cache is enough. */
    public static final int DEFAULT_CACHE_SIZE_MB = 4;

    public OutboxOptions {
        Objects.requireNonNull(directory, "OutboxOptions.directory is null");
        Objects.requireNonNull(maxAge, "OutboxOptions.maxAge is null");
        Objects.requireNonNull(overflow, "OutboxOptions.overflow is null");
        if (maxBytes < 1024) {
            throw new IllegalArgumentException("OutboxOptions.maxBytes must be at least 1024, was " + maxBytes);
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("OutboxOptions.maxAge must be positive, was " + maxAge);
        }
        if (cacheSizeMb < 1 || cacheSizeMb > 256) {
            throw new IllegalArgumentException("OutboxOptions.cacheSizeMb must be 1..256, was " + cacheSizeMb);
        }
    }

    /** The defaults: 256 MiB, 7 days, {@link OverflowPolicy#DROP_OLDEST}, 4 MiB cache. */
    public static OutboxOptions defaults(Path directory) {
        return new OutboxOptions(directory, DEFAULT_MAX_BYTES, DEFAULT_MAX_AGE, DEFAULT_OVERFLOW, DEFAULT_CACHE_SIZE_MB);
    }

    public OutboxOptions withMaxBytes(long value) {
        return new OutboxOptions(directory, value, maxAge, overflow, cacheSizeMb);
    }

    public OutboxOptions withMaxAge(Duration value) {
        return new OutboxOptions(directory, maxBytes, value, overflow, cacheSizeMb);
    }

    public OutboxOptions withOverflow(OverflowPolicy value) {
        return new OutboxOptions(directory, maxBytes, maxAge, value, cacheSizeMb);
    }

    public OutboxOptions withCacheSizeMb(int value) {
        return new OutboxOptions(directory, maxBytes, maxAge, overflow, value);
    }
}
