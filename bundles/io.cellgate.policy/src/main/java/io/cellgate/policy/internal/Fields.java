package io.cellgate.policy.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The fields of one YAML mapping, read from the raw scalar text (so YAML 1.1's {@code no} = false or
 * {@code 06:00} = 360 never reach the policy). {@link #finish()} reports unknown keys.
 */
final class Fields {

    private final YamlDoc doc;
    private final String path;
    private final Node node;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final List<String> known = new ArrayList<>();

    private Fields(YamlDoc doc, String path, Node node) {
        this.doc = doc;
        this.path = path;
        this.node = node;
        for (NodeTuple t : ((MappingNode) node).getValue()) {
            entries.putIfAbsent(((ScalarNode) t.getKeyNode()).getValue(), t);
        }
    }

    /** A reader of {@code node}, or null (with an error) when it is not a mapping. */
    static Fields of(YamlDoc doc, String path, Node node) {
        if (!(node instanceof MappingNode)) {
            doc.add(node, path, "expected a mapping (key: value lines), found " + YamlDoc.describe(node));
            return null;
        }
        return new Fields(doc, path, node);
    }

    Node node() {
        return node;
    }

    String pathOf(String key) {
        return YamlDoc.child(path, key);
    }

    /** Declares {@code key} known; its value node, or null when absent or null. */
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

    void error(String key, String message) {
        Node at = value(key);
        NodeTuple t = entries.get(key);
        doc.add(at != null ? at : t != null ? t.getKeyNode() : node, pathOf(key), message);
    }

    /** An error about the mapping as a whole (at its first line). */
    void errorHere(String message) {
        doc.add(node, path, message);
    }

    String string(String key, boolean required) {
        Node v = value(key);
        if (v == null) {
            if (required) {
                doc.add(node, pathOf(key), "required key '" + key + "' is missing");
            }
            return null;
        }
        if (!(v instanceof ScalarNode s)) {
            doc.add(v, pathOf(key), "expected a single value, found " + YamlDoc.describe(v));
            return null;
        }
        String text = s.getValue().trim();
        if (text.isEmpty()) {
            doc.add(v, pathOf(key), "must not be empty");
            return null;
        }
        return text;
    }

    /** A list of scalars (a single scalar counts as a list of one when {@code scalarOk}); null on error or absent. */
    List<Item> strings(String key, boolean scalarOk) {
        Node v = value(key);
        if (v == null) {
            return null;
        }
        List<Node> nodes;
        if (v instanceof SequenceNode seq) {
            nodes = seq.getValue();
        } else if (scalarOk && v instanceof ScalarNode) {
            nodes = List.of(v);
        } else {
            doc.add(v, pathOf(key), "expected a list ('- ' items or [a, b]), found " + YamlDoc.describe(v));
            return null;
        }
        List<Item> items = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < nodes.size(); i++) {
            Node item = nodes.get(i);
            String itemPath = v instanceof SequenceNode ? pathOf(key) + "[" + i + "]" : pathOf(key);
            if (!(item instanceof ScalarNode s) || s.getValue().isBlank()) {
                doc.add(item, itemPath, "expected a single value, found " + YamlDoc.describe(item));
                ok = false;
                continue;
            }
            items.add(new Item(s.getValue().trim(), item, itemPath));
        }
        return ok ? items : null;
    }

    /** A finite number; null when absent or wrong (then with an error). */
    Double number(String key) {
        String s = string(key, false);
        if (s == null) {
            return null;
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

    Boolean bool(String key, boolean dflt) {
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

    /** Reports every key no reader asked for, with a suggestion when one is close. */
    void finish() {
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            if (!known.contains(e.getKey())) {
                doc.add(e.getValue().getKeyNode(), pathOf(e.getKey()),
                        "unknown key '" + e.getKey() + "'" + YamlDoc.didYouMean(e.getKey(), known));
            }
        }
    }

    /** One scalar of a list, with where it was written. */
    record Item(String value, Node node, String path) {
    }
}
