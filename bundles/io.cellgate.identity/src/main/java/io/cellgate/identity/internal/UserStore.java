package io.cellgate.identity.internal;

import io.cellgate.identity.CertificateMapping;
import io.cellgate.identity.Identity;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * {@code <state>/identity/users.yaml}: directory 0700, file 0600, replaced atomically (temporary file in
 * the same directory, fsync, rename, fsync of the directory), so a power cut leaves the old or the new
 * file, never half of one. Holds password hashes only. The gateway and the command line ({@code cellgate user})
 * may change it at the same time: every read-modify-write holds {@link #locked} (a lock file, and a lock per
 * directory within this JVM), and a reader notices a new version by {@link #version()}.
 */
final class UserStore {

    private static final Logger LOG = LoggerFactory.getLogger(UserStore.class);
    static final String FILE = "users.yaml";
    static final String LOCK_FILE = ".users.lock";
    /** File locks belong to the process: threads of one JVM are kept apart by these. */
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final int MAX_BYTES = 4 * 1024 * 1024;
    private static final String HEADER = """
            # CellGate users and applications. Written by the gateway: change users through the console or
            # the UserAdmin service, not by hand. Passwords are stored only as salted slow hashes.
            """;

    private final Path dir;
    private final Path file;

    UserStore(Path dir) {
        this.dir = dir;
        this.file = dir.resolve(FILE);
    }

    Path file() {
        return file;
    }

    boolean exists() {
        return Files.exists(file);
    }

    /**
     * One version of the file. Every save renames a new file over the old one, so the file key (inode), the time
     * and the size together tell a version from the next; null when the file does not exist.
     */
    record Version(Object fileKey, FileTime modified, long size) {
    }

    Version version() throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Version(a.fileKey(), a.lastModifiedTime(), a.size());
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    interface Action<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code action} as the only writer of this directory: within this JVM (re-entrant) and across processes
     * (an exclusive lock on {@value #LOCK_FILE}). Creates the directory if needed.
     */
    <T> T locked(Action<T> action) throws IOException {
        ReentrantLock jvm = JVM_LOCKS.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> new ReentrantLock());
        jvm.lock();
        try {
            if (jvm.getHoldCount() > 1) {
                return action.run();
            }
            ensureDirectory();
            try (FileChannel ch = FileChannel.open(dir.resolve(LOCK_FILE),
                    Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(FILE_MODE)); FileLock l = ch.lock()) {
                return action.run();
            }
        } finally {
            jvm.unlock();
        }
    }

    /** The users in file order; empty when the file does not exist. */
    List<UserRecord> load() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException(file + ": larger than " + MAX_BYTES + " bytes");
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        if (!mode.equals(FILE_MODE)) {
            LOG.warn("{} had mode {}; set to rw------- (it holds password hashes)", file,
                    PosixFilePermissions.toString(mode));
            Files.setPosixFilePermissions(file, FILE_MODE);
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(0);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(10);
        Object root;
        try {
            root = new Yaml(new SafeConstructor(options)).load(Files.readString(file, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IOException(file + ": not valid YAML: " + e.getMessage(), e);
        }
        if (root == null) {
            return List.of();
        }
        if (!(root instanceof Map<?, ?> top) || !(top.get("users") instanceof List<?> items)) {
            throw new IOException(file + ": expected a mapping with a 'users' list");
        }
        List<UserRecord> users = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                users.add(record(items.get(i)));
            } catch (RuntimeException e) {
                throw new IOException(file + ": users[" + i + "]: " + e.getMessage(), e);
            }
        }
        return users;
    }

    private static UserRecord record(Object item) {
        if (!(item instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("expected a mapping");
        }
        String name = string(m, "name", true);
        Identity.Kind kind = Identity.Kind.valueOf(string(m, "kind", true).toUpperCase(Locale.ROOT));
        Set<String> roles = new LinkedHashSet<>();
        for (Object r : list(m, "roles")) {
            roles.add(String.valueOf(r));
        }
        List<CertificateMapping> certs = new ArrayList<>();
        for (Object c : list(m, "certificates")) {
            certs.add(CertificateMapping.parse(String.valueOf(c)));
        }
        return new UserRecord(name, kind, roles, !Boolean.FALSE.equals(m.get("enabled")),
                Boolean.TRUE.equals(m.get("mustChangePassword")), string(m, "password", false), certs,
                instant(m.get("created")), instant(m.get("passwordChanged")));
    }

    private static String string(Map<?, ?> m, String key, boolean required) {
        Object v = m.get(key);
        if (v == null) {
            if (required) {
                throw new IllegalArgumentException("'" + key + "' is missing");
            }
            return null;
        }
        return String.valueOf(v);
    }

    private static List<?> list(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            throw new IllegalArgumentException("'" + key + "' is not a list");
        }
        return l;
    }

    private static Instant instant(Object v) {
        if (v instanceof Date d) {
            return d.toInstant();
        }
        return v == null ? null : Instant.parse(String.valueOf(v));
    }

    /** Replaces the file with {@code users}, atomically and durably. */
    void save(List<UserRecord> users) throws IOException {
        ensureDirectory();
        List<Map<String, Object>> items = new ArrayList<>();
        for (UserRecord u : users) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", u.name());
            m.put("kind", u.kind().name().toLowerCase(Locale.ROOT));
            m.put("roles", new ArrayList<>(u.roles().stream().sorted().toList()));
            m.put("enabled", u.enabled());
            if (u.mustChangePassword()) {
                m.put("mustChangePassword", true);
            }
            if (u.passwordHash() != null) {
                m.put("password", u.passwordHash());
            }
            if (!u.certificates().isEmpty()) {
                m.put("certificates", new ArrayList<>(u.certificates().stream().map(Object::toString).toList()));
            }
            if (u.created() != null) {
                m.put("created", u.created().toString());
            }
            if (u.passwordChanged() != null) {
                m.put("passwordChanged", u.passwordChanged().toString());
            }
            items.add(m);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", 1);
        root.put("users", items);
        DumperOptions dump = new DumperOptions();
        dump.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        dump.setIndicatorIndent(2);
        dump.setIndentWithIndicator(true);
        String text = HEADER + new Yaml(new Representer(dump), dump).dump(root);
        writeAtomically(text.getBytes(StandardCharsets.UTF_8));
    }

    private void ensureDirectory() throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
        }
        // Also narrows a directory made by hand or with a loose umask.
        Files.setPosixFilePermissions(dir, DIR_MODE);
    }

    private void writeAtomically(byte[] content) throws IOException {
        Path tmp = Files.createTempFile(dir, "." + FILE, ".tmp", PosixFilePermissions.asFileAttribute(FILE_MODE));
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
                out.write(content);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.setPosixFilePermissions(tmp, FILE_MODE);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException e) {
                // Some file systems cannot sync a directory; the rename itself is still atomic.
                LOG.debug("cannot sync directory {}: {}", dir, e.toString());
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
