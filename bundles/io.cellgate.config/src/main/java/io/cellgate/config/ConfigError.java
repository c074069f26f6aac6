package io.cellgate.config;

import java.util.Objects;

/**
 * One problem found in a configuration file.
 *
 * @param file    file name relative to the configuration directory (e.g. {@code profiles/vfd.yaml})
 * @param line    1-based line, or 0 when the problem has no position (e.g. a missing file)
 * @param column  1-based column, or 0 when unknown
 * @param path    field path inside the file (e.g. {@code tags[4].address}), or empty
 * @param message what is wrong, and where possible what would be right
 */
public record ConfigError(String file, int line, int column, String path, String message)
        implements Comparable<ConfigError> {

    public ConfigError {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
        path = path == null ? "" : path;
    }

    /** {@code file:line:column: path: message}; parts that are unknown are left out. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(file);
        if (line > 0) {
            b.append(':').append(line);
            if (column > 0) {
                b.append(':').append(column);
            }
        }
        b.append(": ");
        if (!path.isEmpty()) {
            b.append(path).append(": ");
        }
        return b.append(message).toString();
    }

    /** Orders by file, then position, so that a list reads top to bottom. */
    @Override
    public int compareTo(ConfigError o) {
        int c = file.compareTo(o.file);
        if (c == 0) {
            c = Integer.compare(line, o.line);
        }
        if (c == 0) {
            c = Integer.compare(column, o.column);
        }
        return c != 0 ? c : message.compareTo(o.message);
    }
}
