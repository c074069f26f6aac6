package io.cellgate.config;

import io.cellgate.api.config.CellConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The running gateway's configuration: validate a directory, apply it, and tell what is applied.
 * A directory holds {@code cell.yaml} and the profiles it finds on its profile search path.
 */
@ProviderType
public interface ConfigurationService {

    /** Loads and validates {@code dir} without changing anything. */
    LoadResult validate(Path dir);

    /**
     * Validates {@code dir} and, only if it is valid, applies it as one step and watches it from then
     * on. An invalid directory changes nothing: the running configuration stays as it was.
     */
    LoadResult apply(Path dir);

    /** The configuration applied last, if any. */
    Optional<CellConfig> current();

    /**
     * True while the running configuration is the last-known-good snapshot, applied at start because the
     * files of the configuration directory were invalid; false again once the files are valid and applied.
     */
    default boolean runningFallback() {
        return false;
    }

    /**
     * When the last-known-good snapshot was saved: at the last successful apply, or, while
     * {@link #runningFallback()}, when the snapshot that runs was saved. Empty when no snapshot was saved or
     * used in this run (no state directory, or nothing applied yet).
     */
    default Optional<Instant> lastGoodTime() {
        return Optional.empty();
    }
}
