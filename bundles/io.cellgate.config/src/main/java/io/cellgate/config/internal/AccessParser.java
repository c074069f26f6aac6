package io.cellgate.config.internal;

import io.cellgate.config.AccessRule;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Reads the {@code access:} section of cell.yaml: a list of role → tag patterns → permissions rules. */
final class AccessParser {

    private AccessParser() {
    }

    /**
     * The rules of {@code top}'s {@code access} list: {@link AccessRule#DEFAULTS} when the key is absent,
     * the (possibly empty) list as written otherwise; null when it has errors (reported to problems).
     */
    static List<AccessRule> parse(Nodes top) {
        if (!top.has("access")) {
            top.allow("access");
            return AccessRule.DEFAULTS;
        }
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
