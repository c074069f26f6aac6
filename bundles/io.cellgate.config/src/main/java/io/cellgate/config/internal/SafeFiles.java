package io.cellgate.config.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Files written so that they survive a crash or a power cut, with an exact mode from the start. */
final class SafeFiles {

    private SafeFiles() {
    }

    /** Creates {@code dir} (if missing) with exactly {@code mode}; an existing directory is set to it as well. */
    static void createDirectory(Path dir, Set<PosixFilePermission> mode) throws IOException {
        try {
            if (posix(dir)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(mode));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
        // The umask may have taken bits away at creation; set the mode exactly.
        setMode(dir, mode);
    }

    /** Writes a new file (it must not exist) with {@code mode} from its creation on, and forces it to disk. */
    static void writeNew(Path file, byte[] bytes, Set<PosixFilePermission> mode) throws IOException {
        try (FileChannel ch = posix(file.getParent())
                ? FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(mode))
                : FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        setMode(file, mode);
    }

    static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    static void setMode(Path p, Set<PosixFilePermission> mode) throws IOException {
        if (posix(p)) {
            Files.setPosixFilePermissions(p, mode);
        }
    }

    /** So that renames and new entries survive a power cut; not every platform can sync a directory. */
    static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UncheckedIOException e) {
            // Best effort: where directories cannot be opened (Windows), the rename is still atomic.
        }
    }
}
