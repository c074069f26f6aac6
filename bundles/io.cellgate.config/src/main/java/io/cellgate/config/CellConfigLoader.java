package io.cellgate.config;

import io.cellgate.config.internal.CellLoader;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads and validates a configuration directory without any framework: for tests, tools and the
 * launcher's {@code --validate}. Thread-safe; keeps no state.
 */
public final class CellConfigLoader {

    /** The cell file inside a configuration directory. */
    public static final String CELL_FILE = CellLoader.CELL_FILE;

    private CellConfigLoader() {
    }

    /** Loads {@code dir}/cell.yaml and the profiles its devices use; every error of the load is reported. */
    public static LoadResult load(Path dir) {
        return CellLoader.load(dir);
    }

    /**
     * As {@link #load(Path)}, with the {@code access:} section checked by {@code access} as well (the policy
     * engine's check, e.g. {@code PolicyAdmin::validateAccessSection} mapped to {@link ConfigError}s).
     */
    public static LoadResult load(Path dir, AccessValidator access) {
        return CellLoader.load(dir, access);
    }

    /** Validates one profile file on its own (e.g. a profile library); empty when it is valid. */
    public static List<ConfigError> validateProfile(Path file) {
        return CellLoader.loadProfile(file).errors();
    }
}
