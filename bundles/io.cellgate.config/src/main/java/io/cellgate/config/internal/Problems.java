package io.cellgate.config.internal;

import io.cellgate.config.ConfigError;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;

/** Collects every error of one load, so that an admin sees all of them at once. */
final class Problems {

    private final List<ConfigError> errors = new ArrayList<>();

    void add(String file, Node at, String path, String message) {
        add(file, at == null ? null : at.getStartMark(), path, message);
    }

    void add(String file, Mark mark, String path, String message) {
        int line = mark == null ? 0 : mark.getLine() + 1;
        int column = mark == null ? 0 : mark.getColumn() + 1;
        errors.add(new ConfigError(file, line, column, path, message));
    }

    /** A problem found by someone else (the access policy's check), as it is. */
    void add(ConfigError error) {
        errors.add(error);
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    int size() {
        return errors.size();
    }

    List<ConfigError> list() {
        return List.copyOf(errors);
    }
}
