package io.cellgate.console.internal;

import java.util.Optional;

/**
 * The {@code access:} section of a cell.yaml as text: the line {@code access:} at the start of a line and every line
 * after it up to the next top-level key. The console edits only this block and hands the whole file to the
 * configuration editor, which validates everything (the policy engine checks the section) before applying it.
 *
 * @param text   the section's text (empty when cell.yaml has none)
 * @param sha256 the SHA-256 of the whole cell.yaml it was taken from (the change is refused if the file changed since)
 */
record AccessSection(String text, String sha256) {

    /** The access block of {@code cellYaml}, or "" when it has none. */
    static String extract(String cellYaml) {
        int[] range = range(cellYaml);
        return range == null ? "" : cellYaml.substring(range[0], range[1]);
    }

    /** {@code cellYaml} with its access block replaced by {@code section} (appended when it had none). */
    static String replace(String cellYaml, String section) {
        String block = section.isEmpty() || section.endsWith("\n") ? section : section + "\n";
        int[] range = range(cellYaml);
        if (range == null) {
            if (block.isEmpty()) {
                return cellYaml;
            }
            return cellYaml + (cellYaml.isEmpty() || cellYaml.endsWith("\n") ? "" : "\n") + block;
        }
        return cellYaml.substring(0, range[0]) + block + cellYaml.substring(range[1]);
    }

    /**
     * The edited text must be one access block: empty (no section: the default policy), or starting with
     * {@code access:} and without another top-level key. Returns what is wrong, naming the line.
     */
    static Optional<String> checkShape(String section) {
        if (section.isBlank()) {
            return Optional.empty();
        }
        String[] lines = section.split("\n", -1);
        int first = 0;
        while (first < lines.length && (lines[first].isBlank() || lines[first].startsWith("#"))) {
            first++;
        }
        if (first == lines.length) {
            // comments only: no access section, as with an empty text
            return Optional.empty();
        }
        if (!lines[first].startsWith("access:")) {
            return Optional.of("line " + (first + 1) + ": the text must start with 'access:' (only the access section "
                    + "is edited here)");
        }
        for (int i = first + 1; i < lines.length; i++) {
            if (topLevelKey(lines[i])) {
                return Optional.of("line " + (i + 1) + ": '" + Values.clip(lines[i].trim()) + "' starts another "
                        + "section; only the access section is edited here (indent the rules under access:)");
            }
        }
        return Optional.empty();
    }

    /**
     * [start, end) of the access block, or null. Comments and blank lines at column 0 right before the next section
     * belong to that section (they usually describe it).
     */
    private static int[] range(String text) {
        int pos = 0;
        int start = -1;
        int contentEnd = -1;
        while (pos <= text.length()) {
            int eol = text.indexOf('\n', pos);
            int next = eol < 0 ? text.length() : eol + 1;
            String line = text.substring(pos, eol < 0 ? text.length() : eol);
            if (start < 0) {
                if (line.startsWith("access:")) {
                    start = pos;
                    contentEnd = next;
                }
            } else if (topLevelKey(line)) {
                return new int[] {start, contentEnd};
            } else if (!line.isBlank() && !line.startsWith("#")) {
                contentEnd = next;
            }
            if (eol < 0) {
                break;
            }
            pos = next;
        }
        return start < 0 ? null : new int[] {start, text.length()};
    }

    private static boolean topLevelKey(String line) {
        return !line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && line.charAt(0) != '#' && line.charAt(0) != '-';
    }
}
