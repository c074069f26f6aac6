package io.cellgate.config.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/**
 * Replaces a configuration directory's cell.yaml atomically: the new text goes to a temporary file in the same
 * directory (same file system, so the rename is atomic), is forced to disk, gets the old file's mode (and owner and
 * group, where the process may set them), and is renamed over cell.yaml; then the directory is forced. A reader (the
 * directory watch, an editor, a crash) sees the old file or the new one, never a mix.
 */
final class CellYamlFile {

    /** Temporary files start with this (the directory watch reads only cell.yaml and profiles). */
    static final String TMP_PREFIX = ".cell.yaml.tmp-";
    private static final Set<PosixFilePermission> NEW_FILE_MODE = PosixFilePermissions.fromString("rw-r-----");

    private CellYamlFile() {
    }

    static void replace(Path dir, byte[] text) throws IOException {
        Path target = dir.resolve(CellLoader.CELL_FILE);
        Path tmp = dir.resolve(TMP_PREFIX + UUID.randomUUID());
        PosixFileAttributes old = null;
        if (SafeFiles.posix(dir) && Files.exists(target)) {
            old = Files.readAttributes(target, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
        try {
            SafeFiles.writeNew(tmp, text, old != null ? old.permissions() : NEW_FILE_MODE);
            if (old != null) {
                keepOwner(tmp, old);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        SafeFiles.fsyncDirectory(dir);
    }

    /** Owner and group as before, when the process may set them (root); otherwise the file is the process's. */
    private static void keepOwner(Path file, PosixFileAttributes old) {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        try {
            if (!old.owner().equals(Files.getOwner(file))) {
                view.setOwner(old.owner());
            }
            view.setGroup(old.group());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // Not permitted for an ordinary user: the gateway's own user then owns the new file, with the old mode.
        }
    }
}
