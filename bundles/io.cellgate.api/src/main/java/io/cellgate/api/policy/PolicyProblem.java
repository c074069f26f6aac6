package io.cellgate.api.policy;

import java.util.Objects;

/**
 * One problem found in a policy document.
 *
 * @param file    the file (or property) name
 * @param line    1-based line, or 0 when the problem has no position
 * @param column  1-based column, or 0 when unknown
 * @param path    field path in the document (e.g. {@code rules[2].when.max}), or empty
 * @param message what is wrong, and where possible what would be right
 */
public record PolicyProblem(String file, int line, int column, String path, String message) {

    public PolicyProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
        path = path == null ? "" : path;
    }

    /** {@code file:line:column: path: message}; unknown parts are left out. */
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
}
