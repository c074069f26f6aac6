package io.cellgate.outbox.internal;

import io.cellgate.outbox.Outbox;
import io.cellgate.outbox.OutboxEntry;
import io.cellgate.outbox.OutboxException;
import io.cellgate.outbox.OutboxFullException;
import io.cellgate.outbox.OutboxOptions;
import io.cellgate.outbox.OutboxStats;
import io.cellgate.outbox.OverflowPolicy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox on an H2 MVStore: map {@code entries} (seq → 8-byte append time + record) and map
 * {@code counters} (name → long), changed together and made durable by one MVStore commit followed by
 * an fsync. Appenders and acknowledgers change the maps under {@link #mutex} (memory only), then meet
 * at {@link #makeDurable}: one of them commits and syncs everything changed so far, the others that
 * arrived meanwhile find their change already durable (group commit). {@link #appendAll} puts a whole batch
 * under one mutex hold, so it costs one commit and one fsync; {@link #acknowledgeLazily} changes the maps only
 * and rides on the next commit.
 */
public final class MvStoreOutbox implements Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(MvStoreOutbox.class);

    static final String STORE_FILE = "outbox.mv.db";
    static final String QUARANTINE_INFIX = ".corrupt-";
    static final int FORMAT = 1;
    private static final int HEADER = Long.BYTES;

    private static final String C_FORMAT = "format";
    private static final String C_LAST_SEQ = "lastSeq";
    private static final String C_BYTES = "bytes";
    private static final String C_APPENDED = "appended";
    private static final String C_ACKNOWLEDGED = "acknowledged";
    private static final String C_DROPPED_OVERFLOW = "droppedOverflow";
    private static final String C_DROPPED_AGE = "droppedAge";
    private static final String C_REJECTED = "rejected";
    private static final String C_QUARANTINED = "quarantined";

    /** Commits between two compaction passes: often enough that churn cannot grow the file far. */
    private static final int COMPACT_EVERY_COMMITS = 512;
    /** Chunks less full than this are rewritten by a compaction pass. */
    private static final int COMPACT_TARGET_FILL_RATE = 60;
    /** At most this many bytes rewritten per pass, so one append never pays for a big compaction. */
    private static final int COMPACT_WRITE_BYTES = 1 << 20;
    /** Time close() may spend moving chunks to shrink the file. */
    private static final int CLOSE_COMPACT_MILLIS = 200;

    private final OutboxOptions options;
    private final Path storeFile;
    private final boolean fsync;
    private final LongSupplier clock;
    private final DirectoryLock directoryLock;
    private final MVStore store;
    private final MVMap<Long, byte[]> entries;
    private final MVMap<String, Long> counters;

    /** Guards the maps and the counters below; held only for in-memory work, never during fsync. */
    private final Object mutex = new Object();
    /** Serialises commit + sync; whoever holds it commits for everyone waiting behind it. */
    private final ReentrantLock syncLock = new ReentrantLock();

    // Under mutex.
    private long lastSeq;
    private long bytes;
    private long appended;
    private long acknowledged;
    private long droppedOverflow;
    private long droppedAge;
    private long rejected;
    private long quarantined;
    /** Number of map changes so far; a change is durable once {@link #durableChanges} reaches it. */
    private long changes;
    /** Entries removed by acknowledgeLazily and not yet covered by a commit. */
    private long lazyPending;
    private boolean closed;

    // Under syncLock.
    private long commits;
    private volatile long durableChanges;

    private MvStoreOutbox(OutboxOptions options, boolean fsync, LongSupplier clock, DirectoryLock directoryLock,
            Path storeFile, MVStore store, long quarantinedNow) {
        this.options = options;
        this.fsync = fsync;
        this.clock = clock;
        this.directoryLock = directoryLock;
        this.storeFile = storeFile;
        this.store = store;
        this.entries = store.openMap("entries", new MVMap.Builder<Long, byte[]>()
                .keyType(LongDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
        this.counters = store.openMap("counters", new MVMap.Builder<String, Long>()
                .keyType(StringDataType.INSTANCE).valueType(LongDataType.INSTANCE));
        long format = counters.getOrDefault(C_FORMAT, 0L);
        if (format > FORMAT) {
            throw new OutboxException("the outbox store " + storeFile + " has format " + format
                    + ", newer than this software understands (" + FORMAT + "); refusing to touch it");
        }
        lastSeq = counter(C_LAST_SEQ);
        bytes = counter(C_BYTES);
        appended = counter(C_APPENDED);
        acknowledged = counter(C_ACKNOWLEDGED);
        droppedOverflow = counter(C_DROPPED_OVERFLOW);
        droppedAge = counter(C_DROPPED_AGE);
        rejected = counter(C_REJECTED);
        quarantined = Math.max(counter(C_QUARANTINED), quarantinedNow);
        if (format == 0 || quarantinedNow > 0) {
            counters.put(C_FORMAT, (long) FORMAT);
            counters.put(C_QUARANTINED, quarantined);
            commitAndSync();
        }
    }

    /** Opens with fsync on every commit, as the {@link Outbox} contract requires. */
    public static Outbox open(OutboxOptions options) {
        return open(options, true, System::currentTimeMillis);
    }

    /**
     * Opens with a choice of fsync and clock. {@code fsync=false} keeps the crash-consistency of
     * MVStore's copy-on-write chunks but loses the power-loss guarantee; only for tests and
     * measurements.
     */
    public static MvStoreOutbox open(OutboxOptions options, boolean fsync, LongSupplier clock) {
        Objects.requireNonNull(options, "options");
        Path directory = options.directory().toAbsolutePath();
        try {
            Permissions.ownerOnlyDirectory(directory);
        } catch (IOException e) {
            throw new OutboxException("cannot create the outbox directory " + directory + " (mode 0700): " + e, e);
        }
        DirectoryLock lock = DirectoryLock.acquire(directory);
        try {
            Path storeFile = directory.resolve(STORE_FILE);
            long quarantinedNow = 0;
            MVStore store;
            try {
                store = openStore(storeFile, options);
            } catch (MVStoreException e) {
                if (!isCorruption(e)) {
                    throw new OutboxException("cannot open the outbox store " + storeFile + ": " + e.getMessage(), e);
                }
                Path aside = quarantine(storeFile, e);
                quarantinedNow = countQuarantined(directory);
                try {
                    store = openStore(storeFile, options);
                } catch (MVStoreException again) {
                    throw new OutboxException("cannot create a new outbox store " + storeFile + " after moving the corrupt one to "
                            + aside + ": " + again.getMessage(), again);
                }
            }
            try {
                MvStoreOutbox outbox = new MvStoreOutbox(options, fsync, clock, lock, storeFile, store, quarantinedNow);
                LOG.info("Outbox {} open: {} entries, {} bytes, last seq {}", storeFile, outbox.entries.sizeAsLong(),
                        outbox.bytes, outbox.lastSeq);
                return outbox;
            } catch (RuntimeException e) {
                store.closeImmediately();
                throw e instanceof OutboxException oe ? oe
                        : new OutboxException("cannot read the outbox store " + storeFile + ": " + e.getMessage(), e);
            }
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static MVStore openStore(Path storeFile, OutboxOptions options) {
        try {
            // Created 0600 before MVStore opens it (an empty file is a new store), so it is never readable by others.
            Permissions.ownerOnlyFile(storeFile);
        } catch (IOException e) {
            throw new OutboxException("cannot create the outbox store " + storeFile + " (mode 0600): " + e, e);
        }
        // No background writer: commits happen only where the outbox decides (and then fsyncs).
        MVStore store = new MVStore.Builder()
                .fileName(storeFile.toString())
                .autoCommitDisabled()
                .cacheSize(options.cacheSizeMb())
                .open();
        // Every commit is fsynced before the next one can reuse freed space, so the 45 s safety margin
        // MVStore keeps by default (for unsynced writes) is not needed; with it, churn grows the file
        // by everything written in 45 s (measured: 160 MB after 10,000 append+ack cycles).
        store.setRetentionTime(0);
        return store;
    }

    private static boolean isCorruption(MVStoreException e) {
        int code = e.getErrorCode();
        return code == DataUtils.ERROR_FILE_CORRUPT
                || code == DataUtils.ERROR_CHUNK_NOT_FOUND
                || code == DataUtils.ERROR_BLOCK_NOT_FOUND
                || code == DataUtils.ERROR_UNSUPPORTED_FORMAT
                || code == DataUtils.ERROR_UNKNOWN_DATA_TYPE
                || code == DataUtils.ERROR_SERIALIZATION;
    }

    private static Path quarantine(Path storeFile, MVStoreException cause) {
        Path aside = storeFile.resolveSibling(STORE_FILE + QUARANTINE_INFIX + Instant.now().toEpochMilli());
        try {
            Files.move(storeFile, aside);
        } catch (IOException e) {
            throw new OutboxException("the outbox store " + storeFile + " is corrupt (" + cause.getMessage()
                    + ") and cannot be moved aside to " + aside + ": " + e, e);
        }
        // A gateway must keep running and buffering: start empty, but say loudly what was lost.
        LOG.error("OUTBOX DATA LOST: the outbox store {} is corrupt ({}); moved it to {} and started an empty outbox."
                + " Its unacknowledged records will not be published.", storeFile, cause.getMessage(), aside);
        return aside;
    }

    private static long countQuarantined(Path directory) {
        try (var files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().startsWith(STORE_FILE + QUARANTINE_INFIX)).count();
        } catch (IOException e) {
            return 1;
        }
    }

    private long counter(String name) {
        return counters.getOrDefault(name, 0L);
    }

    @Override
    public long append(byte[] record) {
        Objects.requireNonNull(record, "Outbox.append: record is null");
        long now = clock.getAsLong();
        long seq;
        long myChange;
        synchronized (mutex) {
            checkOpen();
            try {
                dropExpired(now);
                seq = add(record, now);
                myChange = changes;
            } catch (MVStoreException e) {
                throw storeFailure("append", e);
            }
        }
        makeDurable(myChange);
        return seq;
    }

    @Override
    public long[] appendAll(List<byte[]> records) {
        Objects.requireNonNull(records, "Outbox.appendAll: records is null");
        for (int i = 0; i < records.size(); i++) {
            Objects.requireNonNull(records.get(i), "Outbox.appendAll: record " + i + " is null");
        }
        long[] seqs = new long[records.size()];
        if (seqs.length == 0) {
            return seqs;
        }
        long now = clock.getAsLong();
        long myChange;
        int refused = 0;
        String firstRefusal = null;
        synchronized (mutex) {
            checkOpen();
            try {
                dropExpired(now);
                for (int i = 0; i < seqs.length; i++) {
                    try {
                        seqs[i] = add(records.get(i), now);
                    } catch (OutboxFullException e) {
                        // Per record, like append: the rest of the batch may still fit.
                        refused++;
                        if (firstRefusal == null) {
                            firstRefusal = e.getMessage();
                        }
                    }
                }
                myChange = changes;
            } catch (MVStoreException e) {
                throw storeFailure("appendAll", e);
            }
        }
        if (refused > 0) {
            LOG.warn("Outbox {}: {} of {} records of a batch refused; first: {}", storeFile, refused, seqs.length,
                    firstRefusal);
        }
        makeDurable(myChange);
        return seqs;
    }

    /** Puts one record (policy applied) into the maps; returns its seq. Under mutex, not yet durable. */
    private long add(byte[] record, long now) {
        long size = record.length;
        if (size > options.maxBytes()) {
            rejected++;
            counters.put(C_REJECTED, rejected);
            changes++;
            throw new OutboxFullException("Outbox.append: a record of " + size
                    + " bytes is larger than the whole outbox (maxBytes " + options.maxBytes() + ") in " + storeFile);
        }
        if (bytes + size > options.maxBytes()) {
            if (options.overflow() == OverflowPolicy.REJECT_NEW) {
                rejected++;
                counters.put(C_REJECTED, rejected);
                changes++;
                throw new OutboxFullException("Outbox.append: the outbox " + storeFile + " is full (" + bytes + " of "
                        + options.maxBytes() + " bytes in " + entries.sizeAsLong() + " entries; a record of " + size
                        + " bytes does not fit) and the overflow policy is REJECT_NEW");
            }
            dropOldestUntil(options.maxBytes() - size);
        }
        long seq = lastSeq + 1;
        byte[] value = new byte[HEADER + record.length];
        ByteBuffer.wrap(value).putLong(now).put(record);
        entries.put(seq, value);
        lastSeq = seq;
        bytes += size;
        appended++;
        counters.put(C_LAST_SEQ, lastSeq);
        counters.put(C_BYTES, bytes);
        counters.put(C_APPENDED, appended);
        changes++;
        return seq;
    }

    @Override
    public List<OutboxEntry> read(long afterSeq, int maxEntries, long maxBytes) {
        if (afterSeq < 0) {
            throw new IllegalArgumentException("Outbox.read: afterSeq must be >= 0, was " + afterSeq);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("Outbox.read: maxEntries must be >= 1, was " + maxEntries);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("Outbox.read: maxBytes must be >= 1, was " + maxBytes);
        }
        try {
            synchronized (mutex) {
                checkOpen();
                // Not synced: if the drop is lost in a crash, the next read drops the same entries again.
                dropExpired(clock.getAsLong());
            }
            // MVMap cursors read a consistent snapshot without the mutex; an entry acknowledged
            // meanwhile may still be returned, which a publisher must tolerate anyway (at least once).
            List<OutboxEntry> result = new ArrayList<>(Math.min(maxEntries, 256));
            long total = 0;
            Cursor<Long, byte[]> cursor = entries.cursor(afterSeq + 1);
            while (result.size() < maxEntries && cursor.hasNext()) {
                long seq = cursor.next();
                byte[] value = cursor.getValue();
                int size = value.length - HEADER;
                if (!result.isEmpty() && total + size > maxBytes) {
                    break;
                }
                total += size;
                result.add(new OutboxEntry(seq, ByteBuffer.wrap(value).getLong(), Arrays.copyOfRange(value, HEADER, value.length)));
            }
            return result;
        } catch (MVStoreException e) {
            throw storeFailure("read", e);
        }
    }

    @Override
    public void acknowledge(long... seqs) {
        Objects.requireNonNull(seqs, "Outbox.acknowledge: seqs is null");
        long myChange;
        synchronized (mutex) {
            myChange = remove("acknowledge", seqs);
        }
        if (myChange > 0) {
            makeDurable(myChange);
        }
    }

    @Override
    public void acknowledgeLazily(long... seqs) {
        Objects.requireNonNull(seqs, "Outbox.acknowledgeLazily: seqs is null");
        long flushAt = 0;
        synchronized (mutex) {
            long before = acknowledged;
            long change = remove("acknowledgeLazily", seqs);
            if (change > 0) {
                lazyPending += acknowledged - before;
                if (lazyPending >= LAZY_ACK_FLUSH_ENTRIES) {
                    // Bounds the duplicates after a crash (and the unsaved pages in memory) by count.
                    flushAt = change;
                }
            }
        }
        if (flushAt > 0) {
            makeDurable(flushAt);
        }
    }

    @Override
    public void flush() {
        long target;
        synchronized (mutex) {
            checkOpen();
            target = changes;
        }
        if (target > 0) {
            makeDurable(target);
        }
    }

    @Override
    public long pendingLazyAcknowledgements() {
        synchronized (mutex) {
            return lazyPending;
        }
    }

    /** Removes the entries in memory; returns the change number to make durable, 0 if nothing changed. Under mutex. */
    private long remove(String operation, long[] seqs) {
        checkOpen();
        long myChange = 0;
        try {
            for (long seq : seqs) {
                byte[] removed = entries.remove(seq);
                if (removed != null) {
                    bytes -= removed.length - HEADER;
                    acknowledged++;
                    myChange = ++changes;
                }
            }
            if (myChange > 0) {
                counters.put(C_BYTES, bytes);
                counters.put(C_ACKNOWLEDGED, acknowledged);
            }
        } catch (MVStoreException e) {
            throw storeFailure(operation, e);
        }
        return myChange;
    }

    @Override
    public long sweep() {
        long dropped;
        synchronized (mutex) {
            checkOpen();
            try {
                dropped = dropExpired(clock.getAsLong());
            } catch (MVStoreException e) {
                throw storeFailure("sweep", e);
            }
        }
        return dropped;
    }

    @Override
    public long lastSeq() {
        synchronized (mutex) {
            return lastSeq;
        }
    }

    @Override
    public OutboxStats stats() {
        synchronized (mutex) {
            long oldestSeq = 0;
            long oldestAt = 0;
            if (!closed) {
                Long first = entries.firstKey();
                if (first != null) {
                    oldestSeq = first;
                    oldestAt = ByteBuffer.wrap(entries.get(first)).getLong();
                }
            }
            long fileBytes;
            try {
                fileBytes = Files.size(storeFile);
            } catch (IOException e) {
                fileBytes = -1;
            }
            return new OutboxStats(closed ? 0 : entries.sizeAsLong(), bytes, options.maxBytes(), options.maxAge().toMillis(),
                    oldestSeq, oldestAt, lastSeq, appended, acknowledged, droppedOverflow, droppedAge, rejected, quarantined,
                    fileBytes);
        }
    }

    @Override
    public void close() {
        syncLock.lock();
        try {
            synchronized (mutex) {
                if (closed) {
                    return;
                }
                closed = true;
                try {
                    if (!store.isClosed()) {
                        store.commit();
                        if (fsync) {
                            store.sync();
                        }
                        store.close(CLOSE_COMPACT_MILLIS);
                    }
                } catch (MVStoreException e) {
                    LOG.warn("Outbox {}: closing the store failed; entries committed before are kept: {}", storeFile, e.toString());
                    store.closeImmediately();
                } finally {
                    directoryLock.close();
                }
                LOG.info("Outbox {} closed: {} bytes pending, last seq {}", storeFile, bytes, lastSeq);
            }
        } finally {
            syncLock.unlock();
        }
    }

    /** Removes entries older than the maximum age from the head; returns how many. Under mutex. */
    private long dropExpired(long now) {
        long limit = now - options.maxAge().toMillis();
        long dropped = 0;
        Long first;
        // Entries are in append order, so their times ascend (unless the wall clock was set back, in
        // which case an expired entry waits behind a younger one until that one expires too).
        while ((first = entries.firstKey()) != null) {
            byte[] value = entries.get(first);
            if (ByteBuffer.wrap(value).getLong() >= limit) {
                break;
            }
            entries.remove(first);
            bytes -= value.length - HEADER;
            dropped++;
        }
        if (dropped > 0) {
            droppedAge += dropped;
            counters.put(C_BYTES, bytes);
            counters.put(C_DROPPED_AGE, droppedAge);
            changes++;
            LOG.warn("Outbox {}: dropped {} entries older than {} (total dropped by age: {})", storeFile, dropped,
                    options.maxAge(), droppedAge);
        }
        return dropped;
    }

    /** Removes the oldest entries until at most {@code target} bytes remain. Under mutex. */
    private void dropOldestUntil(long target) {
        long dropped = 0;
        Long first;
        while (bytes > target && (first = entries.firstKey()) != null) {
            byte[] value = entries.remove(first);
            bytes -= value.length - HEADER;
            dropped++;
        }
        if (dropped > 0) {
            droppedOverflow += dropped;
            counters.put(C_BYTES, bytes);
            counters.put(C_DROPPED_OVERFLOW, droppedOverflow);
            // One line per overflow burst would flood the log at thousands of appends per second; the
            // counter carries the total and the health metrics publish it.
            if (Long.bitCount(droppedOverflow) == 1 || dropped > 1) {
                LOG.warn("Outbox {} full ({} bytes): dropped {} oldest entries (total dropped by overflow: {})", storeFile,
                        options.maxBytes(), dropped, droppedOverflow);
            }
        }
    }

    /**
     * Returns once change number {@code myChange} is on stable storage. Whoever gets the sync lock
     * commits every change made so far and fsyncs once; callers queued behind it usually find their
     * change already covered (group commit).
     */
    private void makeDurable(long myChange) {
        if (durableChanges >= myChange) {
            return;
        }
        syncLock.lock();
        try {
            if (durableChanges >= myChange) {
                return;
            }
            long target;
            synchronized (mutex) {
                checkOpen();
                target = changes;
                try {
                    store.commit();
                } catch (MVStoreException e) {
                    throw storeFailure("commit", e);
                }
                // Covered by this commit (a failed sync closes the store; reopening replays them).
                lazyPending = 0;
            }
            try {
                // Outside the mutex: appenders keep adding changes while the disk flushes.
                if (fsync) {
                    store.sync();
                }
            } catch (MVStoreException e) {
                throw storeFailure("sync", e);
            }
            durableChanges = target;
            if (++commits % COMPACT_EVERY_COMMITS == 0) {
                compact();
            }
        } finally {
            syncLock.unlock();
        }
    }

    /** Rewrites sparse chunks so out-of-order acknowledgements do not leave the file mostly empty. Under syncLock. */
    private void compact() {
        try {
            synchronized (mutex) {
                if (store.getFillRate() < COMPACT_TARGET_FILL_RATE) {
                    // Rewritten pages become durable with the next commit; until then the old copies stay valid.
                    store.compact(COMPACT_TARGET_FILL_RATE, COMPACT_WRITE_BYTES);
                    changes++;
                }
            }
        } catch (MVStoreException e) {
            LOG.warn("Outbox {}: compaction failed, will retry: {}", storeFile, e.toString());
        }
    }

    /**
     * Tests only: releases the file and the lock without committing anything, as a killed process would
     * leave it (what was committed and synced stays, in-memory changes are lost).
     */
    void closeWithoutCommit() {
        syncLock.lock();
        try {
            synchronized (mutex) {
                if (closed) {
                    return;
                }
                closed = true;
                store.closeImmediately();
                directoryLock.close();
            }
        } finally {
            syncLock.unlock();
        }
    }

    private void commitAndSync() {
        store.commit();
        if (fsync) {
            store.sync();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the outbox " + storeFile + " is closed");
        }
    }

    private OutboxException storeFailure(String operation, MVStoreException e) {
        return new OutboxException("Outbox." + operation + " failed on " + storeFile + " (the store is "
                + (store.isClosed() ? "closed after this error; reopen the outbox" : "still open") + "): " + e.getMessage(), e);
    }
}
