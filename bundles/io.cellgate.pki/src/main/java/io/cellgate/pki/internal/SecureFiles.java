package io.cellgate.pki.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files of the PKI directory: directories 0700, files 0600. Files are created with their permissions
 * (never world-readable, not even briefly) and replaced atomically via a temporary file beside them.
 */
final class SecureFiles {

    static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private SecureFiles() {
    }

    static Path ensureDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Path parent = dir.getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(dir)) {
                    throw e;
                }
            }
        }
        // also tightens a directory created by hand or by an older version
        Files.setPosixFilePermissions(dir, DIR_MODE);
        return dir;
    }

    /** Writes the file's full content into a 0600 temporary file and moves it into place atomically. */
    static void writeAtomically(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(FILE_MODE);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", mode);
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                out.write(content);
                out.flush();
            }
            // the umask may only narrow the mode given at creation; make it exact
            Files.setPosixFilePermissions(tmp, FILE_MODE);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
