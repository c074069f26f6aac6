package io.cellgate.config.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The text of cell.yaml's top-level sections, to tell which ones a change touches. A section's text runs from its
 * key to the end of its value as written; comments and blank lines around it do not count.
 */
final class Sections {

    /** The sections whose change can cut the gateway off from the plant network: a change of them is watched. */
    static final List<String> CONNECTIVITY = List.of("opcua", "mqtt", "sparkplug", "firewall", "console");

    private Sections() {
    }

    /** Each top-level key's text; a file that does not parse gives null (then every section counts as changed). */
    static Map<String, String> of(String yaml) {
        Problems ignored = new Problems();
        Node root = YamlFiles.parse(yaml, CellLoader.CELL_FILE, ignored);
        if (!(root instanceof MappingNode m)) {
            return null;
        }
        Map<String, String> sections = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k) {
                // Marks count code points, not chars.
                int from = yaml.offsetByCodePoints(0, t.getKeyNode().getStartMark().getIndex());
                int to = yaml.offsetByCodePoints(0, Math.min(t.getValueNode().getEndMark().getIndex(),
                        yaml.codePointCount(0, yaml.length())));
                sections.put(k.getValue(), yaml.substring(from, to).strip());
            }
        }
        return sections;
    }

    /** The connectivity sections that differ between two cell.yaml texts (added, removed or changed). */
    static List<String> changedConnectivity(String before, String after) {
        Map<String, String> a = of(before);
        Map<String, String> b = of(after);
        if (a == null || b == null) {
            return CONNECTIVITY;
        }
        return CONNECTIVITY.stream().filter(s -> !Objects.equals(a.get(s), b.get(s))).toList();
    }
}
