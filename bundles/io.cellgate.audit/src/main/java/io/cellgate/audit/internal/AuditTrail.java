package io.cellgate.audit.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditRecord;
import io.cellgate.api.audit.AuditStatus;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writing side of the trail. {@link #append} returns only once the record is on disk (fsync); concurrent
 * appenders share one fsync (group commit: the first to reach the sync forces everything written so far).
 * Records are chained under one lock, so file order is chain order. The trail directory is locked against a
 * second writer (another gateway process on the same state directory would fork the chain).
 * <p>
 * Fail closed: any I/O error makes this and every following append return null until the trail can be opened
 * again (retried at the next append), logs an ERROR at most once a minute, and shows in {@link #status()}.
 */
final class AuditTrail implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
    private static final long ALARM_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final long STORAGE_CHECK_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** Below this a record may not fit: refuse before the disk is completely full (then nothing else works either). */
    static final long MIN_FREE_BYTES = 64 * 1024;

    /** Rotation size and storage warning thresholds. */
    record Options(long maxFileBytes, int warnFreePercent, long warnTrailBytes) {
        Options {
            if (maxFileBytes < 1024) {
                throw new IllegalArgumentException("audit max file size: " + maxFileBytes + " bytes is below 1024");
            }
            if (warnFreePercent < 0 || warnFreePercent > 100) {
                throw new IllegalArgumentException("audit warn free percent: " + warnFreePercent
                        + " is not within 0..100");
            }
        }
    }

    private final Path dir;
    private volatile Options options;
    private final Clock clock;

    private final Object appendLock = new Object();
    // guarded by appendLock
    private FileChannel channel;
    private FileChannel lockChannel;
    private FileLock lock;
    private int index;
    private long fileSize;
    private long fileRecords;
    private long closedFilesBytes;
    private long lastSeq;
    private String lastHash = RecordFormat.GENESIS;
    private long written;
    /** The identity (device, inode) of the file being appended to: a file removed or replaced is noticed. */
    private Object fileKey;
    private long lastStorageCheck;
    private boolean closed;

    private final Object syncLock = new Object();
    private final AtomicLong synced = new AtomicLong();
    /**
     * Changes at every failure and reopen. A record written in an earlier epoch and not yet confirmed is never
     * confirmed: after a failed fsync the kernel may have dropped its dirty pages, and a later fsync that succeeds
     * says nothing about them.
     */
    private final AtomicLong epoch = new AtomicLong();
    // guarded by syncLock (opened lazily there; closed with the trail)
    private volatile FileChannel headChannel;

    private volatile boolean broken = true;
    private volatile String problem = "not opened yet";
    private volatile boolean storageWarning;
    private volatile long usableBytes = -1;
    private volatile long lastAlarm = System.nanoTime() - ALARM_INTERVAL_NANOS;

    AuditTrail(Path dir, Options options, Clock clock) {
        this.dir = dir;
        this.options = options;
        this.clock = clock;
    }

    Path directory() {
        return dir;
    }

    /** New thresholds take effect at the next record (the directory cannot change while running). */
    void options(Options newOptions) {
        synchronized (appendLock) {
            options = newOptions;
            if (!broken) {
                checkStorage();
            }
        }
    }

    /** Opens (or recovers) the trail now, so that a problem shows at start rather than at the first event. */
    boolean open() {
        synchronized (appendLock) {
            try {
                if (broken) {
                    reopen();
                }
                return true;
            } catch (IOException | RuntimeException e) {
                fail("cannot open the audit trail in " + dir, e);
                return false;
            }
        }
    }

    /**
     * Whether a record can be appended now: reopens a broken trail, checks that the current file is still the one
     * written to (a removed or replaced directory or file is not an I/O error for an open channel) and that its disk
     * is not full. A stat and a statfs, no write: cheap enough for every write request to ask first.
     */
    boolean writable() {
        synchronized (appendLock) {
            if (closed) {
                return false;
            }
            try {
                if (broken) {
                    reopen();
                } else {
                    checkFile();
                }
                return true;
            } catch (IOException | RuntimeException e) {
                fail("cannot write the audit trail in " + dir, e);
                return false;
            }
        }
    }

    /** The current file is the one open for appending, and its file system has room for a record. */
    private void checkFile() throws IOException {
        Path file = dir.resolve(TrailFiles.name(index));
        Object key;
        try {
            key = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            throw new IOException(file + " was removed (" + e + ")", e);
        }
        if (fileKey != null && !fileKey.equals(key)) {
            throw new IOException(file + " was replaced by another file");
        }
        if (Files.getFileStore(file).getUsableSpace() < MIN_FREE_BYTES) {
            throw new IOException("the disk holding " + file + " is full (less than " + MIN_FREE_BYTES + " bytes free)");
        }
    }

    private Object fileKey() throws IOException {
        return Files.readAttributes(dir.resolve(TrailFiles.name(index)), java.nio.file.attribute.BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    /** @return the record as stored, or null when it could not be recorded (the caller must fail closed) */
    AuditRecord append(AuditEvent event) {
        AuditEvent e = RecordFormat.bounded(event);
        AuditRecord r;
        long end;
        long myEpoch;
        synchronized (appendLock) {
            if (closed) {
                return null;
            }
            try {
                if (broken) {
                    reopen();
                } else {
                    checkFile();
                }
                r = RecordFormat.seal(lastSeq + 1, e, lastHash);
                byte[] bytes = (RecordFormat.line(r) + "\n").getBytes(StandardCharsets.UTF_8);
                if (fileSize + bytes.length > options.maxFileBytes() && fileRecords > 0) {
                    rotate();
                    r = RecordFormat.seal(lastSeq + 1, e, lastHash);
                    bytes = (RecordFormat.line(r) + "\n").getBytes(StandardCharsets.UTF_8);
                }
                write(bytes, r);
                end = written;
                myEpoch = epoch.get();
                if (System.nanoTime() - lastStorageCheck > STORAGE_CHECK_NANOS) {
                    checkStorage();
                }
            } catch (IOException | RuntimeException ex) {
                fail("cannot write the audit trail in " + dir, ex);
                return null;
            }
        }
        return sync(end, myEpoch) ? r : null;
    }

    /** Group commit: whoever gets here first forces all bytes written so far; the others find theirs synced. */
    private boolean sync(long end, long myEpoch) {
        synchronized (syncLock) {
            if (epoch.get() != myEpoch) {
                return false;
            }
            if (synced.get() >= end) {
                return true;
            }
            long target;
            long headSeq;
            String headHash;
            FileChannel ch;
            synchronized (appendLock) {
                target = written;
                headSeq = lastSeq;
                headHash = lastHash;
                ch = channel;
            }
            try {
                if (ch == null) {
                    throw new ClosedChannelException();
                }
                ch.force(false);
            } catch (ClosedChannelException e) {
                if (synced.get() >= end) {
                    return true; // a rotation forced and closed the file meanwhile
                }
                fail("cannot sync the audit trail in " + dir, e);
                return false;
            } catch (IOException e) {
                fail("cannot sync the audit trail in " + dir, e);
                return false;
            }
            synced.accumulateAndGet(target, Math::max);
            writeHead(headSeq, headHash);
            problem = storageWarning ? problem : null;
            return true;
        }
    }

    private void write(byte[] bytes, AuditRecord r) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            try {
                channel.truncate(fileSize); // no half record; the chain state was not advanced
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        fileSize += bytes.length;
        fileRecords++;
        written += bytes.length;
        lastSeq = r.seq();
        lastHash = r.hash();
    }

    private void rotate() throws IOException {
        channel.force(false);
        synced.accumulateAndGet(written, Math::max);
        channel.close();
        closedFilesBytes += fileSize;
        String previous = TrailFiles.name(index);
        index++;
        channel = create(dir.resolve(TrailFiles.name(index)));
        fileKey = fileKey();
        fileSize = 0;
        fileRecords = 0;
        AuditRecord link = RecordFormat.seal(lastSeq + 1, RecordFormat.link(clock.instant(), previous), lastHash);
        write((RecordFormat.line(link) + "\n").getBytes(StandardCharsets.UTF_8), link);
        LOG.info("Audit trail continues in {} (after {})", TrailFiles.name(index), previous);
        checkStorage();
    }

    /** Opens the last file and takes seq and hash from its last record: a restart continues the chain. */
    private void reopen() throws IOException {
        closeQuietly();
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a directory");
        }
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(TrailFiles.DIR_MODE));
        Files.setPosixFilePermissions(dir, TrailFiles.DIR_MODE);
        lockChannel = FileChannel.open(dir.resolve(TrailFiles.LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new IOException("the audit trail in " + dir + " is in use by another writer");
        }
        TreeMap<Integer, Path> files = TrailFiles.list(dir);
        String recovered = null;
        closedFilesBytes = 0;
        if (files.isEmpty()) {
            index = 1;
            lastSeq = 0;
            lastHash = RecordFormat.GENESIS;
            channel = create(dir.resolve(TrailFiles.name(index)));
            fileKey = fileKey();
            fileSize = 0;
            fileRecords = 0;
        } else {
            index = files.lastKey();
            for (Path p : files.headMap(index).values()) {
                closedFilesBytes += Files.size(p);
            }
            Path file = files.get(index);
            List<String> lines = TrailFiles.lines(file);
            String torn = lines.get(lines.size() - 1);
            long size = Files.size(file);
            if (!torn.isEmpty()) {
                // a record whose write was cut by a crash (never acknowledged: the sync had not returned)
                size -= torn.getBytes(StandardCharsets.UTF_8).length;
                recovered = "a torn record at the end of " + file.getFileName() + " (line " + lines.size()
                        + ", " + torn.length() + " characters) was removed";
            }
            int complete = lines.size() - 1;
            channel = FileChannel.open(file, StandardOpenOption.WRITE);
            fileKey = fileKey();
            channel.truncate(size);
            channel.position(size);
            fileSize = size;
            fileRecords = complete;
            if (complete > 0) {
                last(file, lines.get(complete - 1), complete);
            } else if (index > 1 && files.containsKey(index - 1)) {
                Path previous = files.get(index - 1);
                List<String> previousLines = TrailFiles.lines(previous);
                last(previous, previousLines.get(previousLines.size() - 2 < 0 ? 0 : previousLines.size() - 2),
                        previousLines.size() - 1);
                AuditRecord link = RecordFormat.seal(lastSeq + 1,
                        RecordFormat.link(clock.instant(), previous.getFileName().toString()), lastHash);
                write((RecordFormat.line(link) + "\n").getBytes(StandardCharsets.UTF_8), link);
            } else if (index > 1) {
                throw new IOException("the audit trail in " + dir + " has an empty " + file.getFileName()
                        + " and no file before it; run 'cellgate audit verify'");
            } else {
                lastSeq = 0;
                lastHash = RecordFormat.GENESIS;
            }
        }
        TrailFiles.Head head = TrailFiles.Head.read(dir);
        if (head != null && head.seq() > lastSeq) {
            recovered = (recovered == null ? "" : recovered + "; ") + "the trail ends at seq " + lastSeq
                    + " but seq " + head.seq() + " had been written: records were removed";
        }
        epoch.incrementAndGet();
        broken = false;
        problem = null;
        checkStorage();
        if (recovered != null) {
            // the gap or the repair is itself recorded in the chain, so a later verify still shows it
            LOG.warn("Audit trail in {}: {}", dir, recovered);
            AuditRecord r = RecordFormat.seal(lastSeq + 1, new AuditEvent(clock.instant(), RecordFormat.SYSTEM,
                    null, "audit.recovered", TrailFiles.name(index), AuditEvent.Result.FAILED, recovered, null),
                    lastHash);
            write((RecordFormat.line(r) + "\n").getBytes(StandardCharsets.UTF_8), r);
        }
        LOG.info("Audit trail open in {}: {}, last seq {}", dir, TrailFiles.name(index), lastSeq);
    }

    private void last(Path file, String line, int lineNo) throws IOException {
        try {
            AuditRecord r = RecordFormat.parse(line);
            lastSeq = r.seq();
            lastHash = r.hash();
        } catch (RecordFormat.BadRecordException e) {
            throw new IOException("the last record of the audit trail (" + file.getFileName() + ":" + lineNo
                    + ") is damaged: " + e.getMessage() + "; run 'cellgate audit verify'");
        }
    }

    /** A new file, with its directory entry synced: a record in it must not vanish with its name after a crash. */
    private FileChannel create(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(TrailFiles.FILE_MODE));
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return ch;
    }

    /**
     * Overwrites the head file in place with a fixed-length line: no new file, no rename, no fsync, so it costs
     * next to nothing per commit (a rename per commit tripled the cost of a record). After a power loss it may
     * lag behind or be unreadable; the verifier then relies on the chain alone.
     */
    private void writeHead(long seq, String hash) {
        try {
            FileChannel h = headChannel;
            if (h == null) {
                h = FileChannel.open(dir.resolve(TrailFiles.HEAD), java.util.Set.of(StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(TrailFiles.FILE_MODE));
                headChannel = h;
            }
            ByteBuffer b = ByteBuffer.wrap(String.format("%020d %s%n", seq, hash).getBytes(StandardCharsets.US_ASCII));
            while (b.hasRemaining()) {
                h.write(b, b.position());
            }
        } catch (IOException | RuntimeException e) {
            // the records are safe; only the check for a truncated tail loses its anchor
            LOG.debug("Audit head file not written in {}: {}", dir, e.toString());
        }
    }

    private void checkStorage() {
        lastStorageCheck = System.nanoTime();
        try {
            FileStore store = Files.getFileStore(dir);
            long total = store.getTotalSpace();
            long usable = store.getUsableSpace();
            usableBytes = usable;
            long trail = closedFilesBytes + fileSize;
            String warning = null;
            if (total > 0 && usable * 100 < total * (long) options.warnFreePercent()) {
                warning = "only " + (usable * 100 / total) + " % of the disk holding the audit trail is free (warning"
                        + " below " + options.warnFreePercent() + " %)";
            } else if (options.warnTrailBytes() > 0 && trail > options.warnTrailBytes()) {
                warning = "the audit trail holds " + trail / (1024 * 1024) + " MB (warning above "
                        + options.warnTrailBytes() / (1024 * 1024) + " MB): archive old files";
            }
            if (warning != null && !storageWarning) {
                LOG.warn("Audit trail in {}: {}", dir, warning);
            }
            storageWarning = warning != null;
            if (warning != null) {
                problem = warning;
            }
        } catch (IOException e) {
            LOG.debug("Free space of {} unknown: {}", dir, e.toString());
        }
    }

    private void fail(String what, Exception e) {
        epoch.incrementAndGet();
        broken = true;
        problem = what + ": " + e;
        long now = System.nanoTime();
        if (now - lastAlarm >= ALARM_INTERVAL_NANOS) {
            lastAlarm = now;
            LOG.error("AUDIT TRAIL NOT WRITABLE: {}: {}. Audited actions are refused until it can be written again.",
                    what, e.toString());
        }
    }

    AuditStatus status() {
        synchronized (appendLock) {
            return new AuditStatus(!broken, storageWarning, problem, lastSeq, lastHash, closedFilesBytes + fileSize,
                    usableBytes);
        }
    }

    private void closeQuietly() {
        for (java.io.Closeable c : new java.io.Closeable[] {channel, lock == null ? null : lock::release,
            lockChannel}) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException | RuntimeException e) {
                    LOG.debug("Closing the audit trail: {}", e.toString());
                }
            }
        }
        channel = null;
        lock = null;
        lockChannel = null;
        FileChannel h = headChannel;
        headChannel = null;
        if (h != null) {
            try {
                h.close();
            } catch (IOException e) {
                LOG.debug("Closing the audit head file: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        synchronized (appendLock) {
            if (channel != null && !broken) {
                try {
                    channel.force(false);
                } catch (IOException e) {
                    LOG.warn("Audit trail in {}: last sync at close failed: {}", dir, e.toString());
                }
            }
            closed = true;
            broken = true;
            problem = "closed";
            closeQuietly();
        }
    }
}
