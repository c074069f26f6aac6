package io.cellgate.console.internal;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.DumperOptions.FlowStyle;

/**
 * The devices of a cell.yaml text, and edits of it that keep everything else of the file as the admin wrote it:
 * comments, order, quoting, other sections and keys the console does not know. Each edit is a text splice at the
 * positions SnakeYAML reports for the nodes it changes (a value, a key's lines, a sequence item), never a re-dump of
 * the document. Immutable: an edit returns a new {@code CellYaml}. The result is validated by the configuration
 * loader (through ConfigEditor) before anything is written; this class only guarantees the YAML shape.
 */
final class CellYaml {

    /** Text that YAML reads back as the same string when written without quotes. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_/][A-Za-z0-9_./@+-]*( [A-Za-z0-9_./@+()-]+)*");
    private static final Pattern RESERVED = Pattern.compile(
            "(?i)(y|n|yes|no|true|false|on|off|null|~|[-+]?(\\.inf|\\.nan)|[-+]?[0-9][0-9_]*(\\.[0-9_]*)?([eE][-+]?[0-9]+)?"
                    + "|0x[0-9a-f_]+|0o?[0-7_]+|[0-9:]+)");

    private final String text;
    private final MappingNode root;

    private CellYaml(String text, MappingNode root) {
        this.text = text;
        this.root = root;
    }

    /** @throws IllegalArgumentException when the text is not a YAML mapping (with the parser's message) */
    static CellYaml parse(String text) {
        Node node;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setProcessComments(false);
            node = new Yaml(options).compose(new StringReader(text));
        } catch (YAMLException e) {
            throw new IllegalArgumentException("cell.yaml cannot be read as YAML: " + e.getMessage(), e);
        }
        if (!(node instanceof MappingNode m)) {
            throw new IllegalArgumentException("cell.yaml is not a mapping at the top level");
        }
        return new CellYaml(text, m);
    }

    String text() {
        return text;
    }

    /** One device entry as written: its id, and its keys as plain values (String, Map, List). */
    record Entry(int index, String id, Map<String, Object> values) {

        String string(String key) {
            Object v = values.get(key);
            return v instanceof String s ? s : null;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> map(String key) {
            Object v = values.get(key);
            return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        }

        boolean enabled() {
            return !"false".equalsIgnoreCase(string("enabled"));
        }
    }

    List<Entry> devices() {
        List<Entry> out = new ArrayList<>();
        if (value(root, "devices") instanceof SequenceNode seq) {
            for (int i = 0; i < seq.getValue().size(); i++) {
                Node item = seq.getValue().get(i);
                if (item instanceof MappingNode m) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> values = (Map<String, Object>) plain(m);
                    Object id = values.get("id");
                    out.add(new Entry(i, id instanceof String s ? s : null, values));
                }
            }
        }
        return out;
    }

    Optional<Entry> device(String id) {
        return devices().stream().filter(e -> id.equals(e.id())).findFirst();
    }

    /** The names of the cell's poll groups, in file order. */
    List<String> pollGroups() {
        List<String> names = new ArrayList<>();
        if (value(root, "pollGroups") instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k) {
                    names.add(k.getValue());
                }
            }
        }
        return names;
    }

    // ---------------------------------------------------------------- edits

    /** Appends a device (keys in the given order) at the end of {@code devices:}. */
    CellYaml addDevice(Map<String, Object> device) {
        Node devices = value(root, "devices");
        if (devices instanceof SequenceNode seq && seq.getFlowStyle() == FlowStyle.BLOCK && !seq.getValue().isEmpty()) {
            int dash = dashColumn(seq.getValue().get(0));
            int at = lineAfter(contentEnd(seq));
            return splice(at, at, " ".repeat(dash) + "- " + block(device, dash + 2).substring(dash + 2) + "\n");
        }
        NodeTuple key = tuple(root, "devices");
        if (key == null) {
            int at = lineAfter(contentEnd(root));
            return splice(at, at, "devices:\n  - " + block(device, 4).substring(4) + "\n");
        }
        // devices: [] or a flow sequence: rewritten as a block sequence holding the old items as written.
        int col = key.getKeyNode().getStartMark().getColumn();
        StringBuilder b = new StringBuilder(":\n");
        if (devices instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                b.append(" ".repeat(col + 2)).append("- ").append(raw(item)).append('\n');
            }
        }
        b.append(" ".repeat(col + 2)).append("- ").append(block(device, col + 4).substring(col + 4));
        return splice(index(key.getKeyNode().getEndMark()), index(contentEnd(devices == null ? key.getKeyNode() : devices)),
                b.toString());
    }

    /** Removes the device with {@code id}; the rest of the file stays as written. */
    CellYaml removeDevice(String id) {
        SequenceNode seq = devicesNode();
        Node item = deviceNode(id);
        if (seq.getValue().size() == 1) {
            NodeTuple key = tuple(root, "devices");
            return splice(index(key.getKeyNode().getEndMark()), index(contentEnd(seq)), ": []");
        }
        if (seq.getFlowStyle() == FlowStyle.FLOW) {
            List<String> items = new ArrayList<>();
            seq.getValue().stream().filter(n -> n != item).forEach(n -> items.add(raw(n)));
            return splice(index(seq.getStartMark()), index(seq.getEndMark()), "[" + String.join(", ", items) + "]");
        }
        return splice(lineStart(index(item.getStartMark())), lineAfter(contentEnd(item)), "");
    }

    /** Sets (or, with null, removes) one key of a device; the device's other keys and comments stay. */
    CellYaml setDeviceKey(String id, String key, Object value) {
        return setKey(deviceNode(id), key, value);
    }

    /**
     * Sets (or, with null, removes) one tag's overrides under the device's {@code tags:}; removing the last one
     * removes {@code tags:}.
     */
    CellYaml setTagOverride(String id, String tag, Map<String, Object> overrides) {
        MappingNode device = deviceNode(id);
        Node tags = value(device, "tags");
        if (!(tags instanceof MappingNode m) || m.getValue().isEmpty()) {
            return overrides == null || overrides.isEmpty() ? this
                    : setKey(device, "tags", new LinkedHashMap<>(Map.of(tag, overrides)));
        }
        boolean last = m.getValue().size() == 1 && tuple(m, tag) != null;
        if ((overrides == null || overrides.isEmpty()) && last) {
            return setKey(device, "tags", null);
        }
        return setKey(m, tag, overrides == null || overrides.isEmpty() ? null : overrides);
    }

    private SequenceNode devicesNode() {
        if (value(root, "devices") instanceof SequenceNode seq) {
            return seq;
        }
        throw new IllegalArgumentException("cell.yaml has no devices list");
    }

    private MappingNode deviceNode(String id) {
        for (Node item : devicesNode().getValue()) {
            if (item instanceof MappingNode m && value(m, "id") instanceof ScalarNode s && s.getValue().equals(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no device '" + id + "' in cell.yaml");
    }

    private CellYaml setKey(MappingNode map, String key, Object value) {
        NodeTuple t = tuple(map, key);
        if (map.getFlowStyle() == FlowStyle.FLOW) {
            // A one-line mapping is rewritten as one line, every other entry as written.
            List<String> entries = new ArrayList<>();
            boolean done = false;
            for (NodeTuple e : map.getValue()) {
                if (e == t) {
                    done = true;
                    if (value != null) {
                        entries.add(raw(e.getKeyNode()) + ": " + flow(value));
                    }
                } else {
                    entries.add(raw(e.getKeyNode()) + ": " + raw(e.getValueNode()));
                }
            }
            if (!done && value != null) {
                entries.add(scalar(key) + ": " + flow(value));
            }
            return splice(index(map.getStartMark()), index(map.getEndMark()), "{ " + String.join(", ", entries) + " }");
        }
        int col = map.getValue().isEmpty() ? 0 : map.getValue().get(0).getKeyNode().getStartMark().getColumn();
        if (t != null && value == null) {
            int from = index(t.getKeyNode().getStartMark());
            int end = lineAfter(contentEnd(t.getValueNode()));
            if (!text.substring(lineStart(from), from).isBlank()) {
                // The key shares its line with the item's "- ": keep "- " and the line break, the next key follows.
                return splice(from, end > from && text.charAt(end - 1) == '\n' ? end - 1 : end, "");
            }
            return splice(lineStart(from), end, "");
        }
        if (t != null) {
            return splice(index(t.getKeyNode().getEndMark()), index(contentEnd(t.getValueNode())), ":" + after(value, col));
        }
        if (value == null) {
            return this;
        }
        int at = lineAfter(contentEnd(map));
        return splice(at, at, " ".repeat(col) + scalar(key) + ":" + after(value, col) + "\n");
    }

    /** The text after {@code key:}: a space and a one-line value, or a block on the following lines. */
    private static String after(Object value, int keyColumn) {
        if (isBlock(value)) {
            String b = block(asMap(value), keyColumn + 2);
            return "\n" + b;
        }
        return " " + flow(value);
    }

    /** A mapping of mappings (tags) is written as a block, one entry per line; everything else on one line. */
    private static boolean isBlock(Object value) {
        return value instanceof Map<?, ?> m && !m.isEmpty() && m.values().stream().allMatch(v -> v instanceof Map<?, ?>);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }

    /** A mapping as block lines at {@code indent} (the first line indented too, no trailing newline). */
    static String block(Map<String, Object> map, int indent) {
        List<String> lines = new ArrayList<>();
        for (var e : map.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            lines.add(" ".repeat(indent) + scalar(e.getKey()) + ":" + after(e.getValue(), indent));
        }
        return String.join("\n", lines);
    }

    /** A value on one line: scalars plain where safe, else double-quoted; mappings and lists in flow style. */
    static String flow(Object value) {
        if (value instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            m.forEach((k, v) -> {
                if (v != null) {
                    parts.add(scalar(String.valueOf(k)) + ": " + flow(v));
                }
            });
            return "{ " + String.join(", ", parts) + " }";
        }
        if (value instanceof List<?> l) {
            return "[" + String.join(", ", l.stream().map(CellYaml::flow).toList()) + "]";
        }
        if (value instanceof Double || value instanceof Float) {
            return new java.math.BigDecimal(value.toString()).stripTrailingZeros().toPlainString();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return scalar(String.valueOf(value));
    }

    /** A string scalar: plain when YAML reads it back as the same string, else double-quoted with escapes. */
    static String scalar(String s) {
        if (PLAIN.matcher(s).matches() && !RESERVED.matcher(s).matches()) {
            return s;
        }
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    // ---------------------------------------------------------------- positions

    private CellYaml splice(int from, int to, String replacement) {
        return parse(text.substring(0, from) + replacement + text.substring(to));
    }

    /** SnakeYAML counts code points; the text is indexed in chars. */
    private int index(Mark mark) {
        return text.offsetByCodePoints(0, Math.min(mark.getIndex(), text.codePointCount(0, text.length())));
    }

    /**
     * Where a node's own text ends. A block collection's end mark is where the next token starts (after blank lines
     * and comments that belong to what follows), so its end is that of its last entry.
     */
    private static Mark contentEnd(Node node) {
        if (node instanceof MappingNode m && m.getFlowStyle() == FlowStyle.BLOCK && !m.getValue().isEmpty()) {
            return contentEnd(m.getValue().get(m.getValue().size() - 1).getValueNode());
        }
        if (node instanceof SequenceNode s && s.getFlowStyle() == FlowStyle.BLOCK && !s.getValue().isEmpty()) {
            return contentEnd(s.getValue().get(s.getValue().size() - 1));
        }
        return node.getEndMark();
    }

    /** The index just after the line that holds {@code mark} (after its newline; the text's end if none). */
    private int lineAfter(Mark mark) {
        int i = index(mark);
        // A block scalar's end is already at the start of the next line.
        if (i > 0 && text.charAt(i - 1) == '\n') {
            return i;
        }
        int nl = text.indexOf('\n', i);
        return nl < 0 ? text.length() : nl + 1;
    }

    private int lineStart(int i) {
        int nl = text.lastIndexOf('\n', i - 1);
        return nl + 1;
    }

    /** The column of the '-' that starts a block sequence item. */
    private int dashColumn(Node item) {
        int i = index(item.getStartMark());
        int dash = text.lastIndexOf('-', i - 1);
        return dash - lineStart(dash);
    }

    private String raw(Node node) {
        return text.substring(index(node.getStartMark()), index(contentEnd(node)));
    }

    private static NodeTuple tuple(MappingNode map, String key) {
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return t;
            }
        }
        return null;
    }

    private static Node value(MappingNode map, String key) {
        NodeTuple t = tuple(map, key);
        return t == null ? null : t.getValueNode();
    }

    private static Object plain(Node node) {
        if (node instanceof ScalarNode s) {
            return s.getTag().equals(Tag.NULL) ? null : s.getValue();
        }
        if (node instanceof SequenceNode s) {
            return s.getValue().stream().map(CellYaml::plain).toList();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        if (node instanceof MappingNode map) {
            for (NodeTuple t : map.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k) {
                    m.put(k.getValue(), plain(t.getValueNode()));
                }
            }
        }
        return m;
    }
}
