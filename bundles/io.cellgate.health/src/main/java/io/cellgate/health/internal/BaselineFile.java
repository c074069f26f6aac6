package io.cellgate.health.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learned baseline in {@code <state dir>/health/baseline.txt}: a restart keeps what was learned and the end of
 * the learning window (a restart can neither reset nor extend it). Written to a temporary file and renamed; the
 * directory is 0700 (the file names identities and source hosts). A damaged file is reported and the baseline is
 * learned again; delete the file to learn again on purpose.
 */
final class BaselineFile {

    private static final Logger LOG = LoggerFactory.getLogger(BaselineFile.class);
    static final String DIR = "health";
    static final String FILE = "baseline.txt";

    private boolean savedOnce;

    static Path path(Path stateDir) {
        return stateDir.resolve(DIR).resolve(FILE);
    }

    /** Restores the baseline from the state directory, if one was saved there. */
    static boolean load(Path stateDir, Baseline baseline) {
        Path file = path(stateDir);
        try {
            baseline.restore(Files.readString(file, StandardCharsets.UTF_8));
            LOG.info("health: baseline restored from {} (learned until {})", file, baseline.learnedAt());
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("health: baseline {} not usable ({}); learning again until {}", file, e.getMessage(),
                    baseline.learnedAt());
            return false;
        }
    }

    /** Saves the baseline when it changed (the first call always). */
    void save(Path stateDir, Baseline baseline) {
        String text = baseline.save(!savedOnce);
        if (text == null) {
            return;
        }
        Path file = path(stateDir);
        try {
            Path dir = file.getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                try {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system
                }
            }
            Path tmp = dir.resolve(FILE + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            savedOnce = true;
        } catch (IOException e) {
            LOG.warn("health: cannot save the baseline to {}: {}", file, e.toString());
        }
    }
}
