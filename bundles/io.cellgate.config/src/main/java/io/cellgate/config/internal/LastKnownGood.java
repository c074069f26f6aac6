package io.cellgate.config.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The last-known-good snapshot: exactly the files of the configuration applied last, kept in
 * {@code <state dir>/config/last-good/} so that a gateway restarted while its files are invalid can
 * still run.
 *
 * <p>Layout: {@code manifest.properties} and {@code files/}, a mirror of the files as they lay relative
 * to each other. Profile directories outside the configuration directory ({@code profiles:
 * [../../profiles]}) are mirrored too: {@code files/} stands for the lowest common ancestor, so the
 * snapshot's own unmodified cell.yaml finds its profiles, every file keeps its relative name and the
 * snapshot loads with the same configuration hash as the original. Every directory of the profile search
 * path is created, even when empty, because the loader requires each one to exist.
 *
 * <p>Writing is crash-safe: a complete copy is written to a temporary directory (files fsynced, the
 * manifest last), then {@code last-good} is renamed to {@code last-good.old} and the copy to
 * {@code last-good}, then the old one is deleted. A reader takes {@code last-good}, or
 * {@code last-good.old} when a crash came between the two renames; temporary directories are never
 * read and are removed by the next write.
 */
final class LastKnownGood {

    static final String DIR = "last-good";
    static final String OLD = DIR + ".old";
    static final String TMP_PREFIX = DIR + ".tmp-";
    static final String MANIFEST = "manifest.properties";
    static final String FILES = "files";

    static final String KEY_HASH = "config.hash";
    static final String KEY_SAVED = "saved";
    static final String KEY_SOURCE = "source.directory";
    static final String KEY_CELL_DIR = "cell.directory";
    static final String KEY_FILE = "file.";
    static final String KEY_PROFILE_DIR = "profile.dir.";

    // They name the plant's devices and addresses: not for every local user.
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-x---");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-r-----");

    /** A snapshot found on disk: where its cell.yaml is, and what its manifest says. */
    record Snapshot(Path cellDirectory, String hash, Instant saved, Path sourceDirectory) {
    }

    private final Path root;

    /** @param root {@code <state dir>/config} */
    LastKnownGood(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /**
     * Replaces the snapshot with {@code files} (names relative to {@code sourceDir}, as the loader reports
     * them) and the profile search path {@code profileDirs}. The previous snapshot stays readable until
     * the new one is complete.
     */
    Snapshot save(Path sourceDir, Map<String, byte[]> files, List<String> profileDirs, String hash, Instant saved)
            throws IOException {
        // Mirror relative to the ancestor that every file and profile directory lies under.
        int up = 0;
        for (String name : concat(files.keySet(), profileDirs)) {
            up = Math.max(up, leadingParents(name));
        }
        Path base = sourceDir;
        for (int i = 0; i < up; i++) {
            base = base.getParent();
            if (base == null) {
                throw new IOException("cannot mirror " + sourceDir + ": its files reach above the root");
            }
        }
        String cellDir = (FILES + "/" + base.relativize(sourceDir).toString().replace('\\', '/'))
                .replaceAll("/$", "");

        createDirectory(root);
        removeTemporaries();
        Path tmp = root.resolve(TMP_PREFIX + UUID.randomUUID());
        createDirectory(tmp);
        Path filesRoot = tmp.resolve(FILES);
        createDirectory(filesRoot);
        List<Path> dirs = new ArrayList<>(List.of(filesRoot));
        Properties manifest = new Properties();
        int i = 0;
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path target = inside(filesRoot, base.relativize(sourceDir.resolve(e.getKey()).normalize()));
            createDirectories(filesRoot, target.getParent(), dirs);
            writeFile(target, e.getValue());
            manifest.setProperty(KEY_FILE + i++, e.getKey());
        }
        i = 0;
        for (String d : profileDirs) {
            createDirectories(filesRoot, inside(filesRoot, base.relativize(sourceDir.resolve(d).normalize())), dirs);
            manifest.setProperty(KEY_PROFILE_DIR + i++, d);
        }
        manifest.setProperty(KEY_HASH, hash);
        manifest.setProperty(KEY_SAVED, saved.toString());
        manifest.setProperty(KEY_SOURCE, sourceDir.toString());
        manifest.setProperty(KEY_CELL_DIR, cellDir);
        // The manifest last: a directory without one is not a snapshot.
        java.io.StringWriter text = new java.io.StringWriter();
        manifest.store(text, "CellGate last known good configuration; written by the gateway, do not edit");
        writeFile(tmp.resolve(MANIFEST), text.toString().getBytes(StandardCharsets.ISO_8859_1));
        for (int k = dirs.size() - 1; k >= 0; k--) {
            fsyncDirectory(dirs.get(k));
        }
        fsyncDirectory(tmp);

        Path current = root.resolve(DIR);
        Path old = root.resolve(OLD);
        if (Files.isDirectory(current)) {
            // last-good is complete (it only ever appears by a rename), so an older copy is not needed.
            deleteTree(old);
            Files.move(current, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(tmp, current, StandardCopyOption.ATOMIC_MOVE);
        fsyncDirectory(root);
        deleteTree(old);
        return new Snapshot(current.resolve(cellDir), hash, saved, sourceDir);
    }

    /** The snapshot to fall back to, if a complete one exists. */
    Optional<Snapshot> read() {
        for (String name : List.of(DIR, OLD)) {
            Optional<Snapshot> s = read(root.resolve(name));
            if (s.isPresent()) {
                return s;
            }
        }
        return Optional.empty();
    }

    private static Optional<Snapshot> read(Path dir) {
        Path manifestFile = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(manifestFile)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        String hash = p.getProperty(KEY_HASH);
        String saved = p.getProperty(KEY_SAVED);
        String source = p.getProperty(KEY_SOURCE);
        String cellDir = p.getProperty(KEY_CELL_DIR);
        if (hash == null || saved == null || source == null || cellDir == null) {
            return Optional.empty();
        }
        Path cell = dir.resolve(cellDir).normalize();
        if (!cell.startsWith(dir.resolve(FILES))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Snapshot(cell, hash, Instant.parse(saved), Path.of(source)));
        } catch (DateTimeParseException | java.nio.file.InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** Leftovers of a write that did not finish (a crash, a full disk): never read, so simply removed. */
    private void removeTemporaries() throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(TMP_PREFIX)).toList()) {
                deleteTree(p);
            }
        }
    }

    private static int leadingParents(String relativeName) {
        int n = 0;
        for (String part : relativeName.split("/")) {
            if (!part.equals("..")) {
                break;
            }
            n++;
        }
        return n;
    }

    private static List<String> concat(java.util.Collection<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Path inside(Path filesRoot, Path relative) throws IOException {
        Path p = filesRoot.resolve(relative).normalize();
        if (!p.startsWith(filesRoot)) {
            throw new IOException("'" + relative + "' lies outside the snapshot");
        }
        return p;
    }

    private static void createDirectories(Path filesRoot, Path dir, List<Path> created) throws IOException {
        if (dir.equals(filesRoot) || Files.isDirectory(dir)) {
            return;
        }
        createDirectories(filesRoot, dir.getParent(), created);
        createDirectory(dir);
        created.add(dir);
    }

    private static void createDirectory(Path dir) throws IOException {
        SafeFiles.createDirectory(dir, DIR_MODE);
    }

    private static void writeFile(Path file, byte[] bytes) throws IOException {
        SafeFiles.writeNew(file, bytes, FILE_MODE);
    }

    private static void fsyncDirectory(Path dir) {
        SafeFiles.fsyncDirectory(dir);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
