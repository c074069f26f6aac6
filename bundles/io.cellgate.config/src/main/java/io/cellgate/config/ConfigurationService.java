package io.cellgate.config;

import io.cellgate.api.config.CellConfig;
import java.nio.file.Path;
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
}
