package io.cellgate.audit.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditFilter;
import io.cellgate.api.audit.AuditPage;
import io.cellgate.api.audit.AuditRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the audit inbox ({@link InboxSink}) into the chain: at start and then every second, file by file in name
 * (time) order, each line becomes one record with its original time and identity, and the source
 * {@code cli inbox <file>:<line>}; a line that cannot be read becomes a FAILED {@code audit.inbox} record naming
 * file and line, and its file is moved to {@code inbox/rejected}. A file is removed only after its records are
 * committed.
 * <p>
 * No double import after a crash between commit and removal: before a file is imported, its name and the chain's
 * last seq are written (fsynced) to {@code <audit>/inbox.importing}; finding that file again, the importer looks
 * at the records after that seq and continues after the last line already in the chain.
 */
final class InboxImporter {

    static final String STATE = "inbox.importing";
    static final String REJECTED = "rejected";
    static final String SOURCE = "cli inbox ";
    static final String ACTION = "audit.inbox";

    private static final Logger LOG = LoggerFactory.getLogger(InboxImporter.class);

    private final HashChainAuditSink sink;
    private final Clock clock;
    /** Not guarded by this: stop() must not wait for the monitor an import holds. */
    private volatile ScheduledExecutorService executor;

    InboxImporter(HashChainAuditSink sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cellgate-audit-inbox");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::importQuietly, 0, 1, TimeUnit.SECONDS);
    }

    void stop() {
        ScheduledExecutorService e = executor;
        if (e != null) {
            e.shutdownNow();
            try {
                e.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }

    private void importQuietly() {
        try {
            importAll();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Audit inbox not imported now (next try in a second): {}", e.toString());
        }
    }

    /** Imports every complete inbox file; stops at a file being written or when the trail cannot be written. */
    synchronized int importAll() throws IOException {
        Path audit = sink.directory();
        int imported = 0;
        for (Path f : files(audit.resolve(InboxSink.SUBDIR))) {
            int n = importFile(audit, f);
            if (n < 0) {
                break; // later files wait, so that the chain keeps the inbox's order
            }
            imported += n;
        }
        return imported;
    }

    /** The inbox files in name order (the name starts with the UTC time). */
    static List<Path> files(Path inbox) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(inbox)) {
            return files;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(inbox, "*" + InboxSink.SUFFIX)) {
            for (Path p : s) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    files.add(p);
                }
            }
        }
        files.sort(null);
        return files;
    }

    /** @return the records added, or -1 when the file must wait (being written, or the trail not writable) */
    private int importFile(Path audit, Path f) throws IOException {
        String name = f.getFileName().toString();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // a sink of this process is appending right now
            }
            if (lock == null) {
                return -1;
            }
            try {
                List<String> lines = lines(ch);
                int done = alreadyImported(audit, name);
                boolean malformed = false;
                List<AuditEvent> events = new ArrayList<>(lines.size());
                for (int i = 0; i < lines.size(); i++) {
                    String where = name + ":" + (i + 1);
                    try {
                        AuditEvent in = RecordFormat.parseInbox(lines.get(i));
                        events.add(new AuditEvent(in.time(), in.identity(), SOURCE + where
                                + (in.source() == null ? "" : " from " + in.source()), in.action(), in.resource(),
                                in.result(), in.reason(), in.rule()));
                    } catch (RecordFormat.BadRecordException e) {
                        malformed = true;
                        events.add(new AuditEvent(clock.instant(), RecordFormat.SYSTEM, SOURCE + where, ACTION, where,
                                AuditEvent.Result.FAILED, "malformed inbox line (" + e.getMessage() + "); the file is"
                                        + " kept in inbox/" + REJECTED, null));
                    }
                }
                for (int i = done; i < events.size(); i++) {
                    if (!sink.record(events.get(i))) {
                        LOG.warn("Audit inbox: {} imported up to line {}; the rest when the trail can be written",
                                name, i);
                        return -1;
                    }
                }
                if (malformed) {
                    Path rejected = f.resolveSibling(REJECTED);
                    Files.createDirectories(rejected, PosixFilePermissions.asFileAttribute(TrailFiles.DIR_MODE));
                    Files.move(f, rejected.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                    LOG.error("Audit inbox: {} has malformed lines (audit.inbox FAILED records); moved to {}", name,
                            rejected);
                } else {
                    Files.delete(f);
                }
                InboxSink.syncDirectory(f.getParent());
                Files.deleteIfExists(audit.resolve(STATE));
                if (events.size() > done) {
                    LOG.info("Audit inbox: {} records of {} imported", events.size() - done, name);
                }
                return events.size() - done;
            } finally {
                if (lock.isValid()) {
                    lock.release();
                }
            }
        } catch (NoSuchFileException e) {
            return 0; // gone meanwhile
        }
    }

    /** The lines of the file; text after the last newline (a write cut by a crash) counts as a (malformed) line. */
    private static List<String> lines(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) ch.size());
        while (b.hasRemaining() && ch.read(b, b.position()) >= 0) {
            // until full
        }
        List<String> lines = TrailFiles.lines(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    /**
     * How many lines of the file are in the chain already: 0 for a file not begun (then it is noted as begun, with
     * the chain's last seq); for the file begun before a crash, the last line found in the records after that seq.
     */
    private int alreadyImported(Path audit, String name) throws IOException {
        Path state = audit.resolve(STATE);
        String noted = null;
        try {
            noted = Files.readString(state, StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            // nothing begun
        }
        String[] parts = noted == null ? new String[0] : noted.split(" ");
        if (parts.length == 2 && parts[0].equals(name)) {
            try {
                return lastLineInChain(name, Long.parseLong(parts[1]));
            } catch (NumberFormatException e) {
                throw new IOException(state + ": '" + noted + "' is not '<file> <seq>'; remove it after checking"
                        + " the trail for records of inbox " + name, e);
            }
        }
        // absent, or the note of a file removed after its import (a crash before the note was removed)
        try (FileChannel ch = FileChannel.open(state, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), PosixFilePermissions.asFileAttribute(TrailFiles.FILE_MODE))) {
            ByteBuffer b = ByteBuffer.wrap((name + " " + sink.status().lastSeq() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(false);
        }
        InboxSink.syncDirectory(audit);
        return 0;
    }

    private int lastLineInChain(String name, long afterSeq) throws IOException {
        String prefix = SOURCE + name + ":";
        int last = 0;
        AuditFilter filter = new AuditFilter(null, null, null, null, null, prefix, afterSeq, AuditFilter.MAX_LIMIT);
        AuditPage page;
        do {
            page = sink.query(filter);
            for (AuditRecord r : page.records()) {
                String source = r.event().source();
                if (source != null && source.startsWith(prefix)) {
                    String rest = source.substring(prefix.length());
                    int end = rest.indexOf(' ');
                    last = Math.max(last, Integer.parseInt(end < 0 ? rest : rest.substring(0, end)));
                }
            }
            if (page.hasMore()) {
                filter = filter.after(page.nextAfterSeq());
            }
        } while (page.hasMore());
        return last;
    }

    /** For {@code audit verify}: the records waiting in the inbox, and the files set aside. */
    record Waiting(long records, int files, int rejected) {
    }

    static Waiting waiting(Path audit) throws IOException {
        Path inbox = audit.resolve(InboxSink.SUBDIR);
        long records = 0;
        List<Path> files = files(inbox);
        for (Path f : files) {
            try {
                List<String> lines = TrailFiles.lines(Files.readString(f, StandardCharsets.UTF_8));
                records += lines.get(lines.size() - 1).isEmpty() ? lines.size() - 1 : lines.size();
            } catch (NoSuchFileException e) {
                // imported meanwhile
            }
        }
        return new Waiting(records, files.size(), files(inbox.resolve(REJECTED)).size());
    }
}
