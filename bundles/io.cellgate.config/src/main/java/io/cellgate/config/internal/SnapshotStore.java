package io.cellgate.config.internal;

import io.cellgate.config.ConfigEditor.Snapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The numbered snapshots of cell.yaml: one directory per applied configuration in
 * {@code <state dir>/config/snapshots/<id>/} holding {@code cell.yaml} (exactly the bytes applied) and
 * {@code snapshot.properties} (time, identity, reason, SHA-256). Ids ascend and are never reused; the newest
 * {@link #KEEP} are kept.
 *
 * <p>Crash-safe like the last-known-good copy: a snapshot is written completely into a temporary directory (files
 * fsynced, the properties last), then renamed to its number; a directory without complete properties is never
 * listed, and temporaries are removed by the next write. Directories 0700 and files 0600: they name the plant's
 * devices and addresses.
 */
final class SnapshotStore {

    /** How many snapshots are kept; older ones are deleted after each new one. */
    static final int KEEP = 100;
    static final String DIR = "snapshots";
    static final String CELL = "cell.yaml";
    static final String META = "snapshot.properties";
    private static final String TMP_PREFIX = ".tmp-";
    private static final Pattern ID = Pattern.compile("\\d{1,18}");
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private final Path root;
    private final int keep;

    /** @param configState {@code <state dir>/config} */
    SnapshotStore(Path configState) {
        this(configState, KEEP);
    }

    SnapshotStore(Path configState, int keep) {
        this.root = configState.resolve(DIR);
        this.keep = keep;
    }

    Path root() {
        return root;
    }

    /** Writes a new snapshot with the next id and removes the oldest beyond {@link #KEEP}. */
    synchronized Snapshot add(byte[] cellYaml, Instant time, String identity, String reason) throws IOException {
        createDirectory(root.getParent());
        createDirectory(root);
        removeTemporaries();
        long id = ids().stream().mapToLong(Long::longValue).max().orElse(0) + 1;
        Snapshot s = new Snapshot(id, time, identity, reason == null ? "" : reason,
                Hashes.hex(Hashes.sha256().digest(cellYaml)));
        Path tmp = root.resolve(TMP_PREFIX + UUID.randomUUID());
        createDirectory(tmp);
        writeFile(tmp.resolve(CELL), cellYaml);
        Properties p = new Properties();
        p.setProperty("id", Long.toString(id));
        p.setProperty("time", time.toString());
        p.setProperty("identity", identity);
        p.setProperty("reason", s.reason());
        p.setProperty("sha256", s.sha256());
        StringWriter text = new StringWriter();
        p.store(text, "CellGate configuration snapshot; written by the gateway, do not edit");
        // The properties last: a directory without them is not a snapshot.
        writeFile(tmp.resolve(META), text.toString().getBytes(StandardCharsets.ISO_8859_1));
        fsyncDirectory(tmp);
        Files.move(tmp, root.resolve(name(id)), StandardCopyOption.ATOMIC_MOVE);
        fsyncDirectory(root);
        prune();
        return s;
    }

    /** Every complete snapshot, newest first. */
    synchronized List<Snapshot> list() {
        List<Snapshot> all = new ArrayList<>();
        for (long id : ids()) {
            read(id).ifPresent(all::add);
        }
        all.sort(Comparator.comparingLong(Snapshot::id).reversed());
        return all;
    }

    synchronized Optional<Snapshot> newest() {
        return list().stream().findFirst();
    }

    synchronized Optional<Snapshot> read(long id) {
        Path meta = root.resolve(name(id)).resolve(META);
        if (!Files.isRegularFile(meta)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            p.load(in);
            return Optional.of(new Snapshot(Long.parseLong(p.getProperty("id")), Instant.parse(p.getProperty("time")),
                    p.getProperty("identity"), p.getProperty("reason", ""), p.getProperty("sha256")));
        } catch (IOException | RuntimeException e) {
            // NumberFormat, DateTimeParse, null: an unreadable snapshot is not listed.
            return Optional.empty();
        }
    }

    /** The cell.yaml bytes of a complete snapshot. */
    synchronized Optional<byte[]> text(long id) {
        if (read(id).isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(root.resolve(name(id)).resolve(CELL)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void prune() throws IOException {
        List<Long> ids = new ArrayList<>(ids());
        ids.sort(Comparator.naturalOrder());
        for (int i = 0; i < ids.size() - keep; i++) {
            LastKnownGood.deleteTree(root.resolve(name(ids.get(i))));
        }
    }

    private List<Long> ids() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> ID.matcher(n).matches()).map(Long::parseLong)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String name(long id) {
        // Zero-padded so that a directory listing sorts like the ids.
        return String.format("%08d", id);
    }

    private void removeTemporaries() throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(TMP_PREFIX)).toList()) {
                LastKnownGood.deleteTree(p);
            }
        }
    }

    private static void createDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            SafeFiles.createDirectory(dir, DIR_MODE);
        }
    }

    private static void writeFile(Path file, byte[] bytes) throws IOException {
        SafeFiles.writeNew(file, bytes, FILE_MODE);
    }

    private static void fsyncDirectory(Path dir) {
        SafeFiles.fsyncDirectory(dir);
    }
}
