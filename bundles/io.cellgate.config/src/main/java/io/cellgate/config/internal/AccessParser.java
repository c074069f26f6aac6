package io.cellgate.config.internal;

import io.cellgate.config.AccessRule;
import io.cellgate.config.AccessValidator;
import io.cellgate.config.ConfigError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.CollectionNode;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads the {@code access:} section of cell.yaml. Today's form, a list of {role, tags, allow} entries, is checked
 * here as before; anything else the policy engine understands (ids, deny rules, {@code when:} conditions, the
 * mapping form with zone/defaults/rules) is checked by the {@link AccessValidator} with the same positions and
 * paths. Either way the whole section is handed on as text ({@link Section#yaml()}) for the policy to apply.
 */
final class AccessParser {

    /** Keys only the policy engine's rules have: an entry with one of them is not in today's form. */
    private static final Set<String> POLICY_KEYS = Set.of("id", "identity", "sections", "deny", "when");
    private static final String[] RULE_KEYS = {"id", "role", "identity", "tags", "sections", "allow", "deny", "when"};
    private static final String[] DOCUMENT_KEYS = {"zone", "defaults", "rules"};

    private AccessParser() {
    }

    /**
     * Thrown by a check that needs the policy engine while none is running: a section only the engine can check
     * is then not loaded at all (the caller waits or reports it), never applied unchecked.
     */
    static final class EngineMissing extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EngineMissing() {
            super("the access policy engine is not running", null, false, false);
        }

        static ConfigError error() {
            return new ConfigError(CellLoader.CELL_FILE, 0, 0, "access", "the access policy engine "
                    + "(io.cellgate.policy) is not running, so the access: section cannot be checked; nothing is "
                    + "applied until it is");
        }
    }

    /**
     * What the loader hands on: the rules in today's form (empty when the section uses more than that form) and
     * the section's text (null when cell.yaml has no {@code access:}: the default rules apply).
     */
    record Section(List<AccessRule> rules, String yaml) {
    }

    /**
     * The section of {@code top}, or null when it has errors (reported to problems). {@code cellText} is the text
     * of cell.yaml that {@code top} was read from; {@code validator} may be null (then only today's form is
     * checked, and other entries are accepted as they are).
     */
    static Section parse(Nodes top, String cellText, AccessValidator validator) {
        if (!top.has("access")) {
            top.allow("access");
            return new Section(AccessRule.DEFAULTS, null);
        }
        Node value = top.value("access");
        int before = top.problems().size();
        String yaml = sectionText(cellText, top.keyNode("access"), value, top.node());
        List<AccessRule> legacy = null;
        if (isLegacy(value)) {
            legacy = legacyRules(top);
            if (legacy == null) {
                return null;
            }
        } else if (!(value instanceof CollectionNode<?>)) {
            top.problems().add(top.file(), value, "access", "expected a list of rules ('- ' items) or a policy "
                    + "mapping (rules:, zone:, defaults:), found " + Nodes.describe(value));
            return null;
        } else if (validator == null && !keysKnown(top, value)) {
            return null;
        }
        if (validator != null) {
            List<ConfigError> found;
            try {
                found = validator.validate(yaml, top.file());
            } catch (EngineMissing e) {
                if (legacy == null) {
                    throw e;
                }
                // Today's form was checked above; the engine reads it the same way once it runs.
                found = List.of();
            }
            for (ConfigError e : found) {
                top.problems().add(e);
            }
        }
        if (top.problems().size() != before) {
            return null;
        }
        // Rules beyond today's form have no property form: a reader of access.rules alone sees none (denies all).
        return new Section(legacy == null ? List.of() : legacy, yaml);
    }

    /** A list none of whose entries has a key only the policy engine's rules have (today's form, or a typo of it). */
    private static boolean isLegacy(Node value) {
        if (!(value instanceof org.yaml.snakeyaml.nodes.SequenceNode seq)) {
            return false;
        }
        for (Node item : seq.getValue()) {
            if (item instanceof MappingNode map) {
                for (NodeTuple t : map.getValue()) {
                    if (t.getKeyNode() instanceof ScalarNode k && POLICY_KEYS.contains(k.getValue())) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /**
     * Without the policy engine's check (tools, tests): the keys of the rules and of the mapping form, so that a
     * typo is still caught; the values are the engine's to check when the gateway loads the cell.
     */
    private static boolean keysKnown(Nodes top, Node value) {
        int before = top.problems().size();
        Node rules = value;
        String path = "access";
        if (value instanceof MappingNode) {
            Nodes doc = Nodes.of(top.file(), "access", value, top.problems());
            doc.allow(DOCUMENT_KEYS);
            doc.finish();
            rules = doc.value("rules");
            path = "access.rules";
            if (rules == null) {
                doc.missing("rules");
                return false;
            }
        }
        if (!(rules instanceof org.yaml.snakeyaml.nodes.SequenceNode seq)) {
            top.problems().add(top.file(), rules, path, "expected a list of rules ('- ' items), found "
                    + Nodes.describe(rules));
            return false;
        }
        for (int i = 0; i < seq.getValue().size(); i++) {
            Nodes rule = Nodes.of(top.file(), path + "[" + i + "]", seq.getValue().get(i), top.problems());
            if (rule != null) {
                rule.allow(RULE_KEYS);
                rule.finish();
            }
        }
        return top.problems().size() == before;
    }

    /**
     * cell.yaml with every line outside the {@code access:} entry left empty: the policy reads the same positions.
     * A flow-style document ({@code {cell: ..., access: ...}}) cannot be cut by lines and is handed on whole (the
     * policy reads only its {@code access:} key).
     */
    static String sectionText(String text, Node key, Node value, Node root) {
        if (root instanceof MappingNode m && m.getFlowStyle() == org.yaml.snakeyaml.DumperOptions.FlowStyle.FLOW) {
            return text;
        }
        int first = key.getStartMark().getLine();
        Mark end = value.getEndMark();
        // A block collection ends where the next key starts (column 0 of the next line): not part of the section.
        int last = end.getColumn() == 0 && end.getLine() > first ? end.getLine() - 1 : end.getLine();
        String[] lines = text.split("\r?\n", -1);
        StringBuilder b = new StringBuilder(text.length() / 2);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                b.append('\n');
            }
            if (i >= first && i <= last) {
                b.append(lines[i]);
            }
        }
        return b.toString();
    }

    /** Today's form: the rules of {@code top}'s {@code access} list; null when it has errors. */
    private static List<AccessRule> legacyRules(Nodes top) {
        List<Node> items = top.list("access", false);
        if (items == null) {
            return null;
        }
        int before = top.problems().size();
        List<AccessRule> rules = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Nodes r = Nodes.of(top.file(), "access[" + i + "]", items.get(i), top.problems());
            if (r == null) {
                continue;
            }
            String role = r.string("role", true);
            if (role != null && !AccessRule.ROLES.contains(role)) {
                r.error("role", "unknown role '" + role + "': use one of " + String.join(", ", AccessRule.ROLES)
                        + Nodes.didYouMean(role, AccessRule.ROLES));
                role = null;
            }
            List<String> tags = strings(r, "tags", true);
            List<String> allow = strings(r, "allow", false);
            r.finish();
            if (role == null || tags == null || allow == null) {
                continue;
            }
            rules.add(new AccessRule(role, tags, allow));
        }
        return top.problems().size() == before ? rules : null;
    }

    /** A non-empty list of scalars: tag patterns when {@code patterns}, permissions otherwise. */
    private static List<String> strings(Nodes r, String key, boolean patterns) {
        List<Node> items = r.list(key, true);
        if (items == null) {
            return null;
        }
        if (items.isEmpty()) {
            r.error(key, patterns ? "at least one tag pattern is needed, e.g. [\"*/*\"]"
                    : "at least one permission is needed: " + String.join(", ", AccessRule.PERMISSIONS));
            return null;
        }
        List<String> values = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String path = r.pathOf(key) + "[" + i + "]";
            if (!(item instanceof ScalarNode s) || s.getValue().isBlank()) {
                r.problems().add(r.file(), item, path, "expected a single value, found " + Nodes.describe(item));
                ok = false;
                continue;
            }
            String v = s.getValue().trim();
            String problem;
            if (patterns) {
                problem = AccessRule.checkPattern(v);
            } else {
                v = v.toLowerCase(java.util.Locale.ROOT);
                problem = AccessRule.PERMISSIONS.contains(v) ? null
                        : "unknown permission '" + s.getValue().trim() + "': use one of "
                                + String.join(", ", AccessRule.PERMISSIONS) + Nodes.didYouMean(v, AccessRule.PERMISSIONS);
            }
            if (problem == null && values.contains(v)) {
                problem = "'" + v + "' is listed twice";
            }
            if (problem != null) {
                r.problems().add(r.file(), item, path, problem);
                ok = false;
                continue;
            }
            values.add(v);
        }
        return ok ? values : null;
    }
}
