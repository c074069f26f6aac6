package io.cellgate.outbox.internal;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Owner-only modes: the outbox holds process data, which other local users must not read. */
final class Permissions {

    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private Permissions() {}

    /** Sets 0700 on a directory or 0600 on a file; a no-op where the file system has no POSIX modes. */
    static void ownerOnly(Path path, boolean directory) throws IOException {
        if (POSIX) {
            Files.setPosixFilePermissions(path, directory ? DIRECTORY : FILE);
        }
    }

    /** Creates the directory (and missing parents) with mode 0700, or tightens an existing one. */
    static void ownerOnlyDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            if (POSIX) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY));
            } else {
                Files.createDirectories(directory);
            }
        }
        ownerOnly(directory, true);
    }

    /** Creates an empty file with mode 0600 if it does not exist, so the store never exists readable for others. */
    static void ownerOnlyFile(Path file) throws IOException {
        if (!Files.exists(file)) {
            if (POSIX) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
            } else {
                Files.createFile(file);
            }
        }
        ownerOnly(file, false);
    }
}
