package io.cellgate.config.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads the fields of one YAML mapping with checks, reporting every problem with file, position and
 * field path. Values are read from the raw scalar text, so YAML 1.1 surprises ({@code no} = false,
 * {@code 010} = octal) never reach the model. Call {@link #finish()} to report unknown keys.
 */
final class Nodes {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)");

    private final String file;
    private final String path;
    private final Node node;
    private final Problems problems;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final List<String> known = new ArrayList<>();

    private Nodes(String file, String path, Node node, Problems problems) {
        this.file = file;
        this.path = path;
        this.node = node;
        this.problems = problems;
        if (node instanceof MappingNode map) {
            for (NodeTuple t : map.getValue()) {
                // Keys were checked to be scalars and unique when the file was read.
                entries.putIfAbsent(((ScalarNode) t.getKeyNode()).getValue(), t);
            }
        }
    }

    /** A reader of {@code node}, or null (with an error) when it is not a mapping. */
    static Nodes of(String file, String path, Node node, Problems problems) {
        if (!(node instanceof MappingNode)) {
            problems.add(file, node, path, "expected a mapping (key: value lines), found " + describe(node));
            return null;
        }
        return new Nodes(file, path, node, problems);
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    String file() {
        return file;
    }

    String path() {
        return path;
    }

    Node node() {
        return node;
    }

    Problems problems() {
        return problems;
    }

    String pathOf(String key) {
        return child(path, key);
    }

    /** Declares {@code key} as known and returns its value node, or null when absent or written as null. */
    Node value(String key) {
        if (!known.contains(key)) {
            known.add(key);
        }
        NodeTuple t = entries.get(key);
        if (t == null) {
            return null;
        }
        Node v = t.getValueNode();
        return v instanceof ScalarNode && v.getTag().equals(Tag.NULL) ? null : v;
    }

    boolean has(String key) {
        return value(key) != null;
    }

    /** Declares keys as known without reading them (read elsewhere). */
    void allow(String... keys) {
        for (String k : keys) {
            value(k);
        }
    }

    /** Where the key's line starts, for errors about a field that is present. */
    Node keyNode(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? node : t.getKeyNode();
    }

    void error(String key, String message) {
        Node at = value(key);
        problems.add(file, at != null ? at : keyNode(key), key == null ? path : pathOf(key), message);
    }

    void missing(String key) {
        problems.add(file, node, pathOf(key), "required key '" + key + "' is missing");
    }

    String string(String key, boolean required) {
        Node v = value(key);
        if (v == null) {
            if (required) {
                missing(key);
            }
            return null;
        }
        if (!(v instanceof ScalarNode s)) {
            problems.add(file, v, pathOf(key), "expected a single value, found " + describe(v));
            return null;
        }
        String text = s.getValue().trim();
        if (text.isEmpty()) {
            problems.add(file, v, pathOf(key), "must not be empty");
            return null;
        }
        return text;
    }

    /** A name matching {@code pattern} (ids, tag names). */
    String name(String key, boolean required, Pattern pattern) {
        String s = string(key, required);
        if (s != null && !pattern.matcher(s).matches()) {
            error(key, "'" + s + "' is not a valid name: use letters, digits, '_', '-', '.', starting with a "
                    + "letter or digit, at most 64 characters");
            return null;
        }
        return s;
    }

    /** An integer in {@code min..max}, {@code dflt} when absent; decimal or 0x hex. */
    Long integer(String key, long min, long max, Long dflt) {
        String s = string(key, false);
        if (s == null) {
            return has(key) ? null : dflt;
        }
        Long v = parseInteger(s);
        if (v == null) {
            error(key, "'" + s + "' is not an integer");
            return null;
        }
        if (v < min || v > max) {
            error(key, v + " is outside " + min + ".." + max);
            return null;
        }
        return v;
    }

    static Long parseInteger(String s) {
        String t = s.replace("_", "");
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return Long.parseLong(t.substring(2), 16);
            }
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A finite decimal number, {@code dflt} when absent. */
    Double number(String key, Double dflt) {
        String s = string(key, false);
        if (s == null) {
            return has(key) ? null : dflt;
        }
        try {
            double d = Double.parseDouble(s.replace("_", ""));
            if (Double.isFinite(d) && !s.matches("(?i).*[a-z&&[^e]].*")) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        error(key, "'" + s + "' is not a number");
        return null;
    }

    /** {@code true} or {@code false} only: YAML 1.1's yes/no/on/off are too easy to get wrong. */
    Boolean bool(String key, Boolean dflt) {
        String s = string(key, false);
        if (s == null) {
            return has(key) ? null : dflt;
        }
        if (s.equals("true") || s.equals("false")) {
            return Boolean.valueOf(s);
        }
        error(key, "'" + s + "' is not a boolean: use true or false");
        return null;
    }

    /** A duration such as {@code 500ms}, {@code 5s}, {@code 2m}, in milliseconds, within {@code min..max}. */
    Long duration(String key, long minMillis, long maxMillis, Long dflt) {
        String s = string(key, false);
        if (s == null) {
            return has(key) ? null : dflt;
        }
        Long ms = parseDuration(s);
        if (ms == null) {
            error(key, "'" + s + "' is not a duration: write a whole number with a unit, e.g. 500ms, 5s, 2m, 1h");
            return null;
        }
        if (ms < minMillis || ms > maxMillis) {
            error(key, s + " is outside " + formatDuration(minMillis) + ".." + formatDuration(maxMillis));
            return null;
        }
        return ms;
    }

    static Long parseDuration(String s) {
        Matcher m = DURATION.matcher(s.trim());
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            default -> n * 3_600_000;
        };
    }

    static String formatDuration(long ms) {
        if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms != 0 && ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    /** One of {@code allowed} (written in lower case in files; matched ignoring case). */
    String choice(String key, boolean required, Collection<String> allowed, String dflt) {
        String s = string(key, required);
        if (s == null) {
            return has(key) ? null : dflt;
        }
        String lower = s.toLowerCase(Locale.ROOT);
        if (allowed.contains(lower)) {
            return lower;
        }
        error(key, "'" + s + "' is not one of " + String.join(", ", allowed) + didYouMean(lower, allowed));
        return null;
    }

    <E extends Enum<E>> E enumValue(String key, boolean required, Class<E> type, E dflt) {
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        String s = choice(key, required, names, null);
        if (s == null) {
            return has(key) ? null : dflt;
        }
        return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
    }

    /** A sequence's items, or null (with an error unless absent and optional). */
    List<Node> list(String key, boolean required) {
        Node v = value(key);
        if (v == null) {
            if (required) {
                missing(key);
            }
            return null;
        }
        if (!(v instanceof SequenceNode seq)) {
            problems.add(file, v, pathOf(key), "expected a list ('- ' items), found " + describe(v));
            return null;
        }
        return seq.getValue();
    }

    /** A nested mapping's reader, or null. */
    Nodes mapping(String key, boolean required) {
        Node v = value(key);
        if (v == null) {
            if (required) {
                missing(key);
            }
            return null;
        }
        return of(file, pathOf(key), v, problems);
    }

    /** The keys present in this mapping, in file order. */
    List<String> keys() {
        return List.copyOf(entries.keySet());
    }

    /** Reports every key that no reader asked for, with a suggestion when one is close. */
    void finish() {
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            if (!known.contains(e.getKey())) {
                problems.add(file, e.getValue().getKeyNode(), pathOf(e.getKey()),
                        "unknown key '" + e.getKey() + "'" + didYouMean(e.getKey(), known));
            }
        }
    }

    static String didYouMean(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        int allowed = Math.max(1, Math.min(3, word.length() / 3));
        return best != null && bestDistance <= allowed ? " (did you mean '" + best + "'?)" : "";
    }

    /** Levenshtein distance; the words are short. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    static String describe(Node node) {
        if (node == null) {
            return "nothing";
        }
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return "'" + ((ScalarNode) node).getValue() + "'";
    }
}
