package io.cellgate.policy.internal;

import io.cellgate.api.policy.PolicyProblem;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Reads a YAML text into a node tree the way the configuration loader does: node API only (nothing is
 * constructed), no anchors or aliases, no explicit tags, no duplicate keys, limited size and nesting; and
 * collects problems with file, line, column and field path.
 */
final class YamlDoc {

    /** Policy documents are small; anything bigger is a mistake or an attack. */
    static final int MAX_CHARS = 1024 * 1024;

    private static final Set<Tag> ALLOWED_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.MAP,
            Tag.SEQ, Tag.TIMESTAMP);

    final String file;
    final List<PolicyProblem> problems = new ArrayList<>();

    YamlDoc(String file) {
        this.file = file;
    }

    void add(Node at, String path, String message) {
        add(at == null ? null : at.getStartMark(), path, message);
    }

    void add(Mark mark, String path, String message) {
        problems.add(new PolicyProblem(file, mark == null ? 0 : mark.getLine() + 1,
                mark == null ? 0 : mark.getColumn() + 1, path, message));
    }

    /** The root node, or null (with the problem recorded). */
    Node read(String text) {
        if (text.length() > MAX_CHARS) {
            add((Mark) null, "", "document has " + text.length() + " characters, more than the limit of " + MAX_CHARS);
            return null;
        }
        Node root;
        try (Reader reader = new StringReader(text)) {
            root = yaml().compose(reader);
        } catch (MarkedYAMLException e) {
            String problem = e.getProblem() == null ? e.getContext() : e.getProblem();
            add(e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark(), "",
                    "YAML syntax error: " + firstLine(problem));
            return null;
        } catch (YAMLException | IOException e) {
            add((Mark) null, "", "YAML error: " + firstLine(e.getMessage()));
            return null;
        }
        if (root == null) {
            add((Mark) null, "", "document is empty");
            return null;
        }
        int before = problems.size();
        checkSafe(root, "");
        return problems.size() == before ? root : null;
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(20);
        options.setCodePointLimit(MAX_CHARS);
        options.setProcessComments(false);
        options.setTagInspector(tag -> false);
        return new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
                options);
    }

    /** Refuses anchors/aliases (billion laughs, and hard to review), explicit tags, non-scalar and duplicate keys. */
    private void checkSafe(Node node, String path) {
        if (node.getAnchor() != null) {
            add(node, path, "YAML anchors and aliases (&" + node.getAnchor() + ", *" + node.getAnchor()
                    + ") are not supported: write the values out");
            return;
        }
        if (!ALLOWED_TAGS.contains(node.getTag())) {
            add(node, path, "YAML tag '" + node.getTag() + "' is not allowed");
            return;
        }
        if (node instanceof MappingNode map) {
            Map<String, Node> seen = new HashMap<>();
            for (NodeTuple t : map.getValue()) {
                Node keyNode = t.getKeyNode();
                if (!(keyNode instanceof ScalarNode key) || keyNode.getAnchor() != null
                        || !ALLOWED_TAGS.contains(keyNode.getTag())) {
                    add(keyNode, path, "keys must be plain words");
                    continue;
                }
                String childPath = child(path, key.getValue());
                Node first = seen.putIfAbsent(key.getValue(), keyNode);
                if (first != null) {
                    add(keyNode, childPath, "duplicate key '" + key.getValue() + "' (first at line "
                            + (first.getStartMark().getLine() + 1) + ")");
                }
                checkSafe(t.getValueNode(), childPath);
            }
        } else if (node instanceof SequenceNode seq) {
            for (int i = 0; i < seq.getValue().size(); i++) {
                checkSafe(seq.getValue().get(i), path + "[" + i + "]");
            }
        }
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown problem";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
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

    /** Levenshtein-based suggestion, as the configuration loader gives. */
    static String didYouMean(String word, java.util.Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word.toLowerCase(java.util.Locale.ROOT), c.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        int allowed = Math.max(1, Math.min(3, word.length() / 3));
        return best != null && bestDistance <= allowed ? " (did you mean '" + best + "'?)" : "";
    }

    private static int distance(String a, String b) {
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
}
