package io.cellgate.sparkplug;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistent bdSeq of an edge node: the value for the next MQTT session's Will and NBIRTH.
 *
 * <p>Use: read {@link #bdSeq()}, put it in the NDEATH Will of the CONNECT, and after a successful CONNACK
 * publish the NBIRTH with it and call {@link #connected()}, which stores the next value (255 wraps to 0)
 * before returning. A failed connect does not increment it, so the next attempt reuses the value.
 *
 * <p>The file ({@value #FILE_NAME}, one line {@code bdSeq=<n>}) is replaced atomically: written to a temporary
 * file, fsynced, renamed over the old one, and the directory fsynced, so after a crash or power loss it holds
 * the old or the new value, never a torn one. <b>Recovery</b>: a file that cannot be parsed (disk damage, a
 * hand edit) is reported with a WARN, set aside as {@code .corrupt}, and counting restarts at 0
 * ({@link #recoveredFromCorruption()} is true) - the edge node keeps working; host applications only compare
 * an NDEATH's bdSeq with the NBIRTH of the same session.
 */
public final class BdSeqFile {

    public static final String FILE_NAME = "sparkplug-bdseq";
    private static final Pattern CONTENT = Pattern.compile("bdSeq=(\\d{1,3})\\n?");
    private static final Logger LOG = LoggerFactory.getLogger(BdSeqFile.class);

    private final Path file;
    private final boolean recovered;
    private int bdSeq;

    private BdSeqFile(Path file, int bdSeq, boolean recovered) {
        this.file = file;
        this.bdSeq = bdSeq;
        this.recovered = recovered;
    }

    /**
     * Opens (or creates, at 0) the bdSeq file in a directory, which is created if missing.
     *
     * @throws IOException when the directory or file cannot be read or written
     */
    public static BdSeqFile open(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve(FILE_NAME);
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            BdSeqFile created = new BdSeqFile(file, 0, false);
            created.write(0);
            return created;
        } catch (java.nio.charset.CharacterCodingException e) {
            content = null;
        }
        Matcher m = content == null ? null : CONTENT.matcher(content);
        if (m != null && m.matches() && Integer.parseInt(m.group(1)) <= 255) {
            return new BdSeqFile(file, Integer.parseInt(m.group(1)), false);
        }
        Path aside = directory.resolve(FILE_NAME + ".corrupt");
        LOG.warn("bdSeq file {} is corrupt (expected 'bdSeq=<0..255>', found {}); moved to {}, restarting at 0",
                file, content == null ? "non-UTF-8 bytes" : "'" + abbreviate(content) + "'", aside);
        Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        BdSeqFile recovered = new BdSeqFile(file, 0, true);
        recovered.write(0);
        return recovered;
    }

    /** The bdSeq for the next (or current) session's Will and NBIRTH, 0..255. */
    public int bdSeq() {
        return bdSeq;
    }

    /** True when the file was corrupt at {@link #open} and counting restarted at 0. */
    public boolean recoveredFromCorruption() {
        return recovered;
    }

    public Path file() {
        return file;
    }

    /**
     * The CONNECT with the current value succeeded: stores the next value durably, then returns it. The
     * current session keeps using the old value (its Will and NBIRTH carry it).
     *
     * @throws IOException when it cannot be stored; the in-memory value is then unchanged
     */
    public int connected() throws IOException {
        int next = (bdSeq + 1) & 0xFF;
        write(next);
        bdSeq = next;
        return next;
    }

    private void write(int value) throws IOException {
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(("bdSeq=" + value + "\n").getBytes(StandardCharsets.US_ASCII));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + file + " atomically: " + e.getMessage(), e);
        }
        // The rename is durable only once the directory entry is: fsync the directory (works on Linux).
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            LOG.debug("cannot fsync directory {}: {}", file.getParent(), e.getMessage());
        }
    }

    private static String abbreviate(String s) {
        String oneLine = s.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() > 40 ? oneLine.substring(0, 40) + "..." : oneLine;
    }
}
