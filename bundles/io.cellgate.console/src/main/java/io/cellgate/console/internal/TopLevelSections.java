package io.cellgate.console.internal;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The top-level sections of a cell.yaml text, told apart line by line: a section starts at a line with a plain key in
 * column 0 and runs to the next one. What the policy is asked about when a whole file replaces the running one. A
 * text this cannot split with certainty (document markers, quoted or complex keys, flow style at the top) counts as
 * changing every section, so that nothing passes unchecked.
 */
final class TopLevelSections {

    /** Every section the loader knows: what a file that cannot be split needs permission for. */
    static final List<String> ALL = List.of("cell", "profiles", "defaults", "pollGroups", "devices", "access", "opcua",
            "mqtt", "sparkplug", "firewall", "audit", "console");
    private static final Pattern KEY = Pattern.compile("([A-Za-z_][A-Za-z0-9_-]*)[ \\t]*:(?:[ \\t].*)?");

    private TopLevelSections() {
    }

    /** The sections added, removed or changed from {@code before} to {@code after}; at least one ("cell"). */
    static Set<String> changed(String before, String after) {
        Map<String, String> a = split(before);
        Map<String, String> b = split(after);
        if (a == null || b == null) {
            return new LinkedHashSet<>(ALL);
        }
        Set<String> changed = new LinkedHashSet<>();
        for (String k : a.keySet()) {
            if (!Objects.equals(a.get(k), b.get(k))) {
                changed.add(k);
            }
        }
        for (String k : b.keySet()) {
            if (!Objects.equals(a.get(k), b.get(k))) {
                changed.add(k);
            }
        }
        if (changed.isEmpty()) {
            // The same file again is still a change of the cell's configuration (a new snapshot, an apply).
            changed.add("cell");
        }
        return changed;
    }

    /** Each section's text (its lines, trailing blank lines dropped), or null when the text cannot be split. */
    static Map<String, String> split(String text) {
        Map<String, StringBuilder> sections = new LinkedHashMap<>();
        StringBuilder current = null;
        for (String line : text.replace("\r\n", "\n").split("\n", -1)) {
            if (line.isBlank() || line.startsWith("#") || line.startsWith(" ") || line.startsWith("\t")
                    || line.startsWith("- ") || line.equals("-")) {
                // Blank, comment, indented, or an indentless list item: part of the section it is in.
                if (current != null) {
                    current.append(line).append('\n');
                } else if (!line.isBlank() && !line.startsWith("#")) {
                    return null;
                }
                continue;
            }
            Matcher m = KEY.matcher(line);
            if (!m.matches() || sections.containsKey(m.group(1))) {
                return null;
            }
            current = new StringBuilder(line).append('\n');
            sections.put(m.group(1), current);
        }
        Map<String, String> out = new LinkedHashMap<>();
        sections.forEach((k, v) -> out.put(k, v.toString().stripTrailing()));
        return out;
    }
}
