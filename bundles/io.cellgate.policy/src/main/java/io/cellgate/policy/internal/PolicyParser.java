package io.cellgate.policy.internal;

import io.cellgate.api.policy.Action;
import io.cellgate.api.policy.PolicyProblem;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Turns a policy document into a valid {@link Policy}, or into the complete list of its problems (never both,
 * never a part). Three inputs:
 * <ul>
 * <li>a policy document: a mapping with {@code rules:} (and optionally {@code zone:}, {@code defaults:}), or
 * a bare list of rules;</li>
 * <li>a cell.yaml, of which only the {@code access:} section is read (absent: the legacy default);</li>
 * <li>the {@code access.rules} property that the configuration loader writes into {@code cellgate.cell}.</li>
 * </ul>
 * Every {@code access:} entry of today ({@code role}, {@code tags}, {@code allow}) is a valid rule with the
 * same meaning.
 */
final class PolicyParser {

    /** The roles a rule may name (as the identity bundle and the configuration loader know them). */
    static final List<String> ROLES = List.of("Observer", "Operator", "Engineer", "SecurityAdmin", "Auditor");
    static final List<String> CHANNELS = List.of("opcua", "sparkplug", "console", "rest");
    static final List<String> SECURITY_MODES = List.of("none", "sign", "signandencrypt");
    static final List<String> RATE_SCOPES = List.of("identity", "tag", "identity_tag");
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,63}");
    static final Pattern IDENTITY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@\\-]{0,63}");
    private static final Pattern RATE = Pattern.compile("(\\d{1,6})\\s*/\\s*(\\S+)");
    private static final Pattern TIME = Pattern.compile("(\\d{2}):(\\d{2})");
    private static final List<String> RULE_KEYS = List.of("id", "role", "identity", "tags", "sections", "allow",
            "deny", "when");
    private static final List<String> WHEN_KEYS = List.of("min", "max", "rate", "rateScope", "window", "channel",
            "securityMode", "endpoint");
    private static final List<String> ACTION_KEYS = Arrays.stream(Action.values()).map(Action::key).toList();
    private static final long MAX_RATE_PERIOD = 7 * 86_400_000L;

    /**
     * The outcome: a policy (not yet applied: version 0) or the problems, sorted by position.
     */
    record Result(Policy policy, List<PolicyProblem> problems) {
        Result {
            problems = List.copyOf(problems);
            if ((policy == null) == problems.isEmpty()) {
                throw new IllegalArgumentException("a result has a policy or problems");
            }
        }

        boolean ok() {
            return policy != null;
        }
    }

    private PolicyParser() {
    }

    /** A policy document (mapping with {@code rules:}, or a bare list of rules). */
    static Result parse(String text, String file) {
        YamlDoc doc = new YamlDoc(file);
        Node root = doc.read(text);
        if (root == null) {
            return result(doc, null);
        }
        if (root instanceof SequenceNode) {
            return result(doc, rules(doc, root, "rules", ZoneOffset.UTC, true));
        }
        return result(doc, document(doc, root, ""));
    }

    /** A policy mapping ({@code rules:}, {@code zone:}, {@code defaults:}) at {@code path}; null on problems. */
    private static List<Rule> document(YamlDoc doc, Node root, String path) {
        Fields top = Fields.of(doc, path, root);
        if (top == null) {
            return null;
        }
        ZoneId zone = ZoneOffset.UTC;
        String zoneText = top.string("zone", false);
        if (zoneText != null) {
            zone = zone(zoneText, top, "zone");
        }
        Boolean defaults = top.bool("defaults", true);
        Node rulesNode = top.value("rules");
        top.finish();
        if (rulesNode == null) {
            doc.add(root, top.pathOf("rules"), "required key 'rules' is missing");
            return null;
        }
        List<Rule> rules = rules(doc, rulesNode, top.pathOf("rules"), zone == null ? ZoneOffset.UTC : zone,
                defaults == null || defaults);
        return zone == null || defaults == null ? null : rules;
    }

    /**
     * The {@code access:} section of a cell.yaml (other sections are the configuration loader's business);
     * a cell without it gets the legacy default: Observer browses, reads, subscribes every tag.
     */
    static Result parseCellYaml(String text, String file) {
        YamlDoc doc = new YamlDoc(file);
        Node root = doc.read(text);
        if (root == null) {
            return result(doc, null);
        }
        if (!(root instanceof MappingNode)) {
            doc.add(root, "", "expected a mapping (key: value lines), found " + YamlDoc.describe(root));
            return result(doc, null);
        }
        Fields top = Fields.of(doc, "", root);
        Node access = top.value("access");
        if (access == null) {
            List<Rule> rules = new ArrayList<>();
            rules.add(DefaultRules.OBSERVER);
            rules.addAll(DefaultRules.MANAGEMENT);
            return result(doc, rules);
        }
        if (access instanceof MappingNode) {
            // The policy document form inside cell.yaml: access: { zone:, defaults:, rules: }.
            return result(doc, document(doc, access, "access"));
        }
        return result(doc, rules(doc, access, "access", ZoneOffset.UTC, true));
    }

    /**
     * The {@code access.rules} property of {@code cellgate.cell}: String[] (or a collection, or one string) of
     * {@code role|perm,...|pattern,...}. Null (no cell loaded) is an error: nothing would be allowed.
     */
    static Result fromAccessProperty(Object value, String source) {
        YamlDoc doc = new YamlDoc(source);
        if (value == null) {
            doc.add((Node) null, "access.rules", "no access rules (no cell configuration applied)");
            return result(doc, null);
        }
        List<String> entries = new ArrayList<>();
        if (value instanceof String s) {
            entries.add(s);
        } else if (value instanceof String[] a) {
            entries.addAll(List.of(a));
        } else if (value instanceof Collection<?> c) {
            c.forEach(o -> entries.add(String.valueOf(o)));
        } else {
            doc.add((Node) null, "access.rules", "expected String[], found " + value.getClass().getName());
            return result(doc, null);
        }
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String path = "access.rules[" + i + "]";
            String entry = entries.get(i);
            String[] f = entry.split("\\|", -1);
            if (f.length != 3) {
                doc.add((Node) null, path, "'" + entry + "' is not role|permission,...|pattern,...");
                continue;
            }
            String role = f[0].trim();
            boolean ok = true;
            if (!ROLES.contains(role)) {
                doc.add((Node) null, path, "unknown role '" + role + "': use one of " + String.join(", ", ROLES));
                ok = false;
            }
            Set<Action> actions = EnumSet.noneOf(Action.class);
            for (String p : f[1].split(",")) {
                Action a = Action.ofKey(p);
                if (a == null || !a.onTags()) {
                    doc.add((Node) null, path, "unknown permission '" + p.trim() + "': use browse, read, subscribe, write");
                    ok = false;
                } else {
                    actions.add(a);
                }
            }
            List<String> tags = new ArrayList<>();
            for (String t : f[2].split(",")) {
                String problem = Glob.checkTag(t.trim());
                if (problem != null) {
                    doc.add((Node) null, path, problem);
                    ok = false;
                } else {
                    tags.add(t.trim());
                }
            }
            if (ok) {
                rules.add(new Rule(Rule.legacyId(role, actions.stream().map(Action::key).toList(), tags), source + " " + path, Rule.Effect.ALLOW, role,
                        null, actions, tags, List.of(), When.ALWAYS));
            }
        }
        if (!doc.problems.isEmpty()) {
            return result(doc, null);
        }
        rules.addAll(DefaultRules.MANAGEMENT);
        return result(doc, rules);
    }

    private static Result result(YamlDoc doc, List<Rule> rules) {
        if (!doc.problems.isEmpty() || rules == null) {
            List<PolicyProblem> sorted = new ArrayList<>(doc.problems);
            if (sorted.isEmpty()) {
                // Defensive: a null rule list always comes with a problem; never return a half policy.
                sorted.add(new PolicyProblem(doc.file, 0, 0, "", "the policy is not valid"));
            }
            sorted.sort((a, b) -> a.line() != b.line() ? Integer.compare(a.line(), b.line())
                    : Integer.compare(a.column(), b.column()));
            return new Result(null, sorted);
        }
        return new Result(Policy.of(rules), List.of());
    }

    /** The rules of a list node, the management defaults appended when {@code defaults}; null on problems. */
    private static List<Rule> rules(YamlDoc doc, Node listNode, String path, ZoneId zone, boolean defaults) {
        if (!(listNode instanceof SequenceNode seq)) {
            doc.add(listNode, path, "expected a list of rules ('- ' items), found " + YamlDoc.describe(listNode));
            return null;
        }
        int before = doc.problems.size();
        List<Rule> rules = new ArrayList<>();
        Map<String, String> ids = new HashMap<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            Rule r = rule(doc, seq.getValue().get(i), path + "[" + i + "]", zone, ids);
            if (r != null) {
                rules.add(r);
            }
        }
        if (doc.problems.size() != before) {
            return null;
        }
        if (defaults) {
            rules.addAll(DefaultRules.MANAGEMENT);
        }
        return rules;
    }

    private static Rule rule(YamlDoc doc, Node node, String path, ZoneId zone, Map<String, String> ids) {
        Fields f = Fields.of(doc, path, node);
        if (f == null) {
            return null;
        }
        RULE_KEYS.forEach(f::value);
        int before = doc.problems.size();
        String origin = doc.file + ":" + (node.getStartMark().getLine() + 1);

        String id = f.string("id", false);
        if (id != null) {
            if (!ID.matcher(id).matches()) {
                f.error("id", "'" + id + "' is not a valid id: letters, digits, '_', '-', '.', starting with a letter "
                        + "or digit, at most 64 characters");
            } else if (id.startsWith("default.")) {
                f.error("id", "ids starting with 'default.' are reserved for the built-in rules");
            } else if (ids.containsKey(id)) {
                f.error("id", "id '" + id + "' is used twice (first at " + ids.get(id) + ")");
            } else {
                ids.put(id, origin);
            }
        }

        String role = f.string("role", false);
        String identity = f.string("identity", false);
        if (role != null && !ROLES.contains(role)) {
            f.error("role", "unknown role '" + role + "': use one of " + String.join(", ", ROLES)
                    + YamlDoc.didYouMean(role, ROLES));
        }
        if (identity != null && !IDENTITY.matcher(identity).matches()) {
            f.error("identity", "'" + identity + "' is not a user or application name: 1 to 64 letters, digits, "
                    + "'_', '.', '@', '-', starting with a letter or digit");
        }
        if (role == null && identity == null && !f.has("role") && !f.has("identity")) {
            f.errorHere("a rule needs 'role' (a role) or 'identity' (a user or application name)");
        } else if (f.has("role") && f.has("identity")) {
            f.error("identity", "write either 'role' or 'identity', not both");
        }

        Rule.Effect effect = null;
        String actionKey = null;
        if (f.has("allow") && f.has("deny")) {
            f.error("deny", "write either 'allow' or 'deny', not both: split the rule in two");
        } else if (f.has("allow")) {
            effect = Rule.Effect.ALLOW;
            actionKey = "allow";
        } else if (f.has("deny")) {
            effect = Rule.Effect.DENY;
            actionKey = "deny";
        } else {
            f.errorHere("a rule needs 'allow' (or 'deny') with a list of actions: "
                    + String.join(", ", ACTION_KEYS));
        }
        Set<Action> actions = actionKey == null ? null : actions(doc, f, actionKey);

        List<String> tags = List.of();
        List<String> sections = List.of();
        if (actions != null) {
            boolean onTags = actions.iterator().next().onTags();
            if (actions.stream().anyMatch(a -> a.onTags() != onTags)) {
                f.error(actionKey, "a rule has either tag actions (browse, read, subscribe, write) or management "
                        + "actions (configure, manage_*, read_audit): split the rule in two");
            } else if (onTags) {
                tags = patterns(doc, f, "tags", true);
                if (f.has("sections")) {
                    f.error("sections", "'sections' applies to management actions; tag actions take 'tags'");
                }
            } else {
                if (f.has("tags")) {
                    f.error("tags", "'tags' applies to browse, read, subscribe and write; management actions "
                            + "take 'sections'");
                }
                sections = f.has("sections") ? patterns(doc, f, "sections", false) : List.of("*");
            }
        } else {
            // The actions are wrong, but the patterns can still be checked, so that one pass reports everything.
            if (f.has("tags")) {
                patterns(doc, f, "tags", true);
            }
            if (f.has("sections")) {
                patterns(doc, f, "sections", false);
            }
        }

        boolean legacy = role != null && effect == Rule.Effect.ALLOW && actions != null
                && actions.iterator().next().onTags() && !f.has("when");
        if (id == null && !f.has("id") && !legacy && (role != null || identity != null) && actions != null) {
            f.errorHere("a rule with 'identity', 'deny', 'when' or management actions needs an 'id' (it names "
                    + "the rule in decisions and the audit trail)");
        }

        When when = When.ALWAYS;
        Node whenNode = f.value("when");
        if (whenNode != null) {
            when = when(doc, whenNode, f.pathOf("when"), zone, effect, actions);
        }
        f.finish();
        if (doc.problems.size() != before || actions == null || tags == null || sections == null || when == null) {
            return null;
        }
        if (id == null) {
            // Only today's access: form may go without an id: it gets its access.rules form, as audited so far.
            List<String> keys = actions.stream().map(Action::key).toList();
            id = Rule.legacyId(role, keys, tags);
        }
        return new Rule(id, origin, effect, role, identity, actions, tags, sections, when);
    }

    private static Set<Action> actions(YamlDoc doc, Fields f, String key) {
        List<Fields.Item> items = f.strings(key, false);
        if (items == null) {
            return null;
        }
        if (items.isEmpty()) {
            f.error(key, "at least one action is needed: " + String.join(", ", ACTION_KEYS));
            return null;
        }
        Set<Action> actions = EnumSet.noneOf(Action.class);
        boolean ok = true;
        for (Fields.Item item : items) {
            Action a = Action.ofKey(item.value());
            if (a == null) {
                doc.add(item.node(), item.path(), "unknown action '" + item.value() + "': use one of "
                        + String.join(", ", ACTION_KEYS) + YamlDoc.didYouMean(item.value(), ACTION_KEYS));
                ok = false;
            } else if (!actions.add(a)) {
                doc.add(item.node(), item.path(), "'" + a.key() + "' is listed twice");
                ok = false;
            }
        }
        return ok ? actions : null;
    }

    private static List<String> patterns(YamlDoc doc, Fields f, String key, boolean tags) {
        List<Fields.Item> items = f.strings(key, false);
        if (items == null) {
            if (!f.has(key)) {
                f.errorHere("required key '" + key + "' is missing"
                        + (tags ? ": the tag patterns the rule is about, e.g. [\"*/*\"]" : ""));
            }
            return null;
        }
        if (items.isEmpty()) {
            f.error(key, tags ? "at least one tag pattern is needed, e.g. [\"*/*\"]"
                    : "at least one section is needed, e.g. [devices] or [\"*\"]");
            return null;
        }
        List<String> values = new ArrayList<>();
        boolean ok = true;
        for (Fields.Item item : items) {
            String problem = tags ? Glob.checkTag(item.value()) : Glob.checkSection(item.value());
            if (problem == null && values.contains(item.value())) {
                problem = "'" + item.value() + "' is listed twice";
            }
            if (problem != null) {
                doc.add(item.node(), item.path(), problem);
                ok = false;
            } else {
                values.add(item.value());
            }
        }
        return ok ? values : null;
    }

    private static When when(YamlDoc doc, Node node, String path, ZoneId zone, Rule.Effect effect,
            Set<Action> actions) {
        Fields w = Fields.of(doc, path, node);
        if (w == null) {
            return null;
        }
        WHEN_KEYS.forEach(w::value);
        int before = doc.problems.size();
        boolean deny = effect == Rule.Effect.DENY;
        boolean writeOnly = actions != null && actions.equals(EnumSet.of(Action.WRITE));

        Double min = w.number("min");
        Double max = w.number("max");
        for (String key : List.of("min", "max")) {
            if (w.has(key) && deny) {
                w.error(key, "a deny rule cannot limit values: give the allow rule a min/max instead");
            } else if (w.has(key) && actions != null && !writeOnly) {
                w.error(key, "'" + key + "' limits the value of a write: the rule must allow only [write]");
            }
        }
        if (min != null && max != null && min > max) {
            w.error("max", "max " + When.fmt(max) + " is below min " + When.fmt(min));
        }

        Rate rate = null;
        String rateText = w.string("rate", false);
        String scopeText = w.string("rateScope", false);
        if (w.has("rate") && deny) {
            w.error("rate", "a deny rule cannot have a rate: give the allow rule the rate instead");
        } else if (rateText != null) {
            Rate.Scope scope = Rate.Scope.IDENTITY_TAG;
            if (scopeText != null) {
                String s = scopeText.toLowerCase(Locale.ROOT);
                if (RATE_SCOPES.contains(s)) {
                    scope = Rate.Scope.valueOf(s.toUpperCase(Locale.ROOT));
                } else {
                    w.error("rateScope", "'" + scopeText + "' is not one of " + String.join(", ", RATE_SCOPES)
                            + YamlDoc.didYouMean(s, RATE_SCOPES));
                }
            }
            Matcher m = RATE.matcher(rateText);
            Long period = m.matches() ? Durations.parse(m.group(2)) : null;
            if (period == null) {
                w.error("rate", "'" + rateText + "' is not a rate: write <count>/<duration>, e.g. 10/1m or 1/5s");
            } else if (Integer.parseInt(m.group(1)) < 1 || period < 1 || period > MAX_RATE_PERIOD) {
                w.error("rate", "'" + rateText + "': the count must be at least 1 and the period 1ms..7d");
            } else {
                rate = new Rate(Integer.parseInt(m.group(1)), period, scope);
            }
        }
        if (w.has("rateScope") && !w.has("rate")) {
            w.error("rateScope", "'rateScope' needs a 'rate'");
        }

        List<TimeWindow> windows = new ArrayList<>();
        Node windowNode = w.value("window");
        if (windowNode != null) {
            String wp = w.pathOf("window");
            if (windowNode instanceof SequenceNode seq) {
                if (seq.getValue().isEmpty()) {
                    w.error("window", "at least one window is needed");
                }
                for (int i = 0; i < seq.getValue().size(); i++) {
                    TimeWindow tw = window(doc, seq.getValue().get(i), wp + "[" + i + "]", zone);
                    if (tw != null) {
                        windows.add(tw);
                    }
                }
            } else {
                TimeWindow tw = window(doc, windowNode, wp, zone);
                if (tw != null) {
                    windows.add(tw);
                }
            }
        }

        Set<String> channels = choices(doc, w, "channel", CHANNELS);
        Set<String> modes = choices(doc, w, "securityMode", SECURITY_MODES);
        Set<String> endpoints = new LinkedHashSet<>();
        List<Fields.Item> eps = w.strings("endpoint", true);
        if (eps != null) {
            if (eps.isEmpty()) {
                w.error("endpoint", "at least one endpoint is needed");
            }
            eps.forEach(e -> endpoints.add(e.value()));
        }
        w.finish();
        if (doc.problems.size() != before) {
            return null;
        }
        return new When(min, max, rate, windows, channels, modes, endpoints);
    }

    private static Set<String> choices(YamlDoc doc, Fields w, String key, List<String> allowed) {
        Set<String> out = new LinkedHashSet<>();
        List<Fields.Item> items = w.strings(key, true);
        if (items == null) {
            return out;
        }
        if (items.isEmpty()) {
            w.error(key, "at least one value is needed: " + String.join(", ", allowed));
        }
        for (Fields.Item item : items) {
            String v = item.value().toLowerCase(Locale.ROOT);
            if (!allowed.contains(v)) {
                doc.add(item.node(), item.path(), "'" + item.value() + "' is not one of " + String.join(", ", allowed)
                        + YamlDoc.didYouMean(v, allowed));
            } else {
                out.add(v);
            }
        }
        return out;
    }

    private static TimeWindow window(YamlDoc doc, Node node, String path, ZoneId dfltZone) {
        Fields f = Fields.of(doc, path, node);
        if (f == null) {
            return null;
        }
        List.of("days", "from", "to", "zone").forEach(f::value);
        int before = doc.problems.size();
        Set<DayOfWeek> days = EnumSet.allOf(DayOfWeek.class);
        List<Fields.Item> dayItems = f.strings("days", true);
        if (dayItems != null) {
            days = EnumSet.noneOf(DayOfWeek.class);
            if (dayItems.isEmpty()) {
                f.error("days", "at least one day is needed: mon, tue, wed, thu, fri, sat, sun");
            }
            for (Fields.Item item : dayItems) {
                DayOfWeek d = day(item.value());
                if (d == null) {
                    doc.add(item.node(), item.path(), "'" + item.value() + "' is not a day: use mon, tue, wed, thu, "
                            + "fri, sat, sun");
                } else {
                    days.add(d);
                }
            }
        }
        Integer from = time(f, "from", false);
        Integer to = time(f, "to", true);
        if (from != null && to != null && from.equals(to)) {
            f.error("to", "the window is empty: 'from' and 'to' are equal (a whole day is 00:00 to 24:00)");
        }
        ZoneId zone = dfltZone;
        String zoneText = f.string("zone", false);
        if (zoneText != null) {
            zone = zone(zoneText, f, "zone");
        }
        f.finish();
        if (doc.problems.size() != before || from == null || to == null || zone == null) {
            return null;
        }
        return new TimeWindow(days, from, to, zone);
    }

    private static DayOfWeek day(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            String name = d.name().toLowerCase(Locale.ROOT);
            if (t.equals(name) || t.equals(name.substring(0, 3))) {
                return d;
            }
        }
        return null;
    }

    /** Minutes after midnight of {@code HH:MM}; 24:00 only as an end. */
    private static Integer time(Fields f, String key, boolean end) {
        String s = f.string(key, true);
        if (s == null) {
            return null;
        }
        Matcher m = TIME.matcher(s);
        if (m.matches()) {
            int h = Integer.parseInt(m.group(1));
            int min = Integer.parseInt(m.group(2));
            if (h < 24 && min < 60 || end && h == 24 && min == 0) {
                return h * 60 + min;
            }
        }
        f.error(key, "'" + s + "' is not a time of day: write HH:MM (00:00 to 23:59" + (end ? ", or 24:00" : "")
                + "), quoted, e.g. \"06:30\"");
        return null;
    }

    private static ZoneId zone(String text, Fields f, String key) {
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            f.error(key, "'" + text + "' is not a time zone: use a region such as Europe/Berlin, or UTC");
            return null;
        }
    }
}
