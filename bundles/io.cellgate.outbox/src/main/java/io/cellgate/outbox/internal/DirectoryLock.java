package io.cellgate.outbox.internal;

import io.cellgate.outbox.OutboxException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on an outbox directory, held through a lock file. The OS releases it when the
 * process dies (also on kill -9), so a stale lock file never blocks a restart.
 */
final class DirectoryLock implements AutoCloseable {

    static final String FILE_NAME = "outbox.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DirectoryLock acquire(Path directory) {
        Path file = directory.resolve(FILE_NAME);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            Permissions.ownerOnly(file, false);
        } catch (IOException e) {
            throw new OutboxException("cannot create the outbox lock file " + file + ": " + e, e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // Another outbox of this JVM holds it.
            lock = null;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new OutboxException("cannot lock the outbox lock file " + file + ": " + e, e);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new OutboxException("the outbox directory " + directory
                    + " is already open (locked through " + file + ") by this or another process");
        }
        return new DirectoryLock(channel, lock);
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException | RuntimeException e) {
            // Closing the channel releases it anyway.
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing held that outlives the process.
        }
    }
}
