package io.cellgate.audit.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.preflight.AuditPreflight;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes events into the audit inbox {@code <state>/audit/inbox}, for a process that does not hold the trail's
 * lock (an administration command). One file per sink, {@code <UTC time>-<pid>-<random>.jsonl}, one JSON line per
 * event, fsynced before {@link #record} returns true. Each append holds an exclusive lock on the file, which the
 * importer also takes: it never reads half a line, and a file it imported and removed meanwhile is noticed here
 * (the event then goes to a new file). A command calls {@link #preflight} before it changes anything, so that a
 * change whose record could not be written is refused rather than applied unrecorded.
 */
final class InboxSink implements AuditPreflight {

    static final String SUBDIR = "inbox";
    static final String SUFFIX = ".jsonl";
    /** Not {@link #SUFFIX}: the importer never sees a probe, not even one left behind by a crash. */
    static final String PROBE_PREFIX = ".probe-";

    private static final Logger LOG = LoggerFactory.getLogger(InboxSink.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int ATTEMPTS = 3;

    private final Path auditDir;
    private final Path dir;
    // guarded by this
    private Path file;

    /** @param auditDir {@code <state>/audit} */
    InboxSink(Path auditDir) {
        this.auditDir = auditDir;
        this.dir = auditDir.resolve(SUBDIR);
    }

    Path directory() {
        return dir;
    }

    @Override
    public synchronized boolean record(AuditEvent event) {
        byte[] line = (RecordFormat.inboxLine(event) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            createDirectories();
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                if (append(line)) {
                    return true;
                }
            }
            throw new IOException("the inbox file was taken away " + ATTEMPTS + " times in a row");
        } catch (IOException | RuntimeException e) {
            LOG.error("AUDIT EVENT NOT RECORDED in the audit inbox {}: {} ({} {} identity={})", dir, e.toString(),
                    event.action(), event.result(), HashChainAuditSink.clean(event.identity()));
            return false;
        }
    }

    /** @return false when the file was imported (removed) meanwhile: try again with a new one */
    private boolean append(byte[] line) throws IOException {
        boolean fresh = file == null;
        if (fresh) {
            file = dir.resolve(TIME.format(Instant.now()) + "-" + ProcessHandle.current().pid() + "-"
                    + String.format("%08x", ThreadLocalRandom.current().nextInt()) + SUFFIX);
        }
        try (FileChannel ch = fresh
                ? FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(TrailFiles.FILE_MODE))
                : FileChannel.open(file, StandardOpenOption.WRITE);
                FileLock lock = ch.lock()) {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                file = null; // imported and removed between our open and our lock
                return false;
            }
            ByteBuffer b = ByteBuffer.wrap(line);
            long position = ch.size();
            while (b.hasRemaining()) {
                position += ch.write(b, position);
            }
            ch.force(false);
        } catch (NoSuchFileException e) {
            file = null;
            return false;
        }
        if (fresh) {
            syncDirectory(dir); // the new name must survive a crash with the record in it
        }
        return true;
    }

    private void createDirectories() throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(auditDir, PosixFilePermissions.asFileAttribute(TrailFiles.DIR_MODE));
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(TrailFiles.DIR_MODE));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (!Files.isDirectory(dir)) {
                    throw new java.nio.file.NotDirectoryException(dir.toString());
                }
                // another command created it just now
            }
        }
    }

    /**
     * Does what a record does, with a probe instead of a record: creates the inbox if it is missing, creates a file
     * in it, writes, fsyncs the file and the directory, and removes the probe. A permission check instead would say
     * yes to root whatever the mode, and only a write shows a full disk or an I/O error.
     */
    @Override
    public void preflight() throws IOException {
        try {
            createDirectories();
            Path probe = dir.resolve(PROBE_PREFIX + ProcessHandle.current().pid() + "-"
                    + String.format("%08x", ThreadLocalRandom.current().nextInt()));
            try (FileChannel ch = FileChannel.open(probe, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(TrailFiles.FILE_MODE))) {
                ch.write(ByteBuffer.wrap("{}\n".getBytes(StandardCharsets.UTF_8)));
                ch.force(false);
                syncDirectory(dir);
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException("the audit inbox " + dir + " cannot be written (" + cause(e) + ")", e);
        }
    }

    /** The exception's type, and its message when that says more than a path. */
    private static String cause(Exception e) {
        String message = e.getMessage();
        boolean onlyAPath = message == null || message.startsWith("/");
        return e.getClass().getSimpleName() + (onlyAPath ? message == null ? "" : " on " + message : ": " + message);
    }

    /** Whether the inbox can be written now ({@link #preflight}); the reason is logged. */
    @Override
    public boolean writable() {
        try {
            preflight();
            return true;
        } catch (IOException e) {
            LOG.warn("{}", e.getMessage());
            return false;
        }
    }

    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
