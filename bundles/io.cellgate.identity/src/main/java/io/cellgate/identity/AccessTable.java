package io.cellgate.identity;

import io.cellgate.api.tag.TagPath;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The cell's role → tag-pattern permission table, evaluated: default deny, and a permission on a tag is
 * granted when any rule of any of the identity's roles grants it on a pattern that matches the tag.
 * Rules only grant; there are no deny rules. Immutable and thread-safe; build a new table when the
 * configuration changes.
 *
 * <p>The running gateway publishes the rules as the {@code access.rules} property of the
 * {@code cellgate.cell} configuration (String[], one rule per entry: {@code role|perm,perm|pattern,pattern},
 * e.g. {@code Operator|write|press-*}{@code /setpoint_*,oven-1/sp}); {@link #fromProperty(Object)} reads
 * it. A missing property gives {@link #DENY_ALL}.
 *
 * @deprecated Nothing in the gateway decides with this table any more: every access is a decision of the one
 *             access policy ({@code io.cellgate.api.policy.AccessPolicy}, bundle {@code io.cellgate.policy}),
 *             whose rules include these. Kept until the next major version of this package.
 */
@Deprecated(since = "1.1.0", forRemoval = true)
public final class AccessTable {

    /** The {@code cellgate.cell} property holding the rules. */
    public static final String PROPERTY = "access.rules";

    /** No rules: nothing is allowed. */
    public static final AccessTable DENY_ALL = new AccessTable(List.of());

    /**
     * One rule: holders of {@code role} have {@code permissions} on the tags matching one of {@code patterns}.
     *
     * @param patterns {@code <device>/<tag>} globs: {@code *} any characters and {@code ?} one character,
     *                 neither crossing the {@code /}
     */
    public record Rule(String role, Set<Permission> permissions, List<String> patterns) {

        public Rule {
            Objects.requireNonNull(role, "role");
            permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(permissions));
            patterns = List.copyOf(patterns);
            for (String p : patterns) {
                compile(p);
            }
        }

        /** Whether one of the patterns matches {@code tag}. */
        public boolean matches(TagPath tag) {
            for (String p : patterns) {
                Pattern[] parts = compile(p);
                if (parts[0].matcher(tag.device()).matches() && parts[1].matcher(tag.tag()).matches()) {
                    return true;
                }
            }
            return false;
        }

        /** The property form, {@code role|perm,perm|pattern,pattern} (permissions in their natural order). */
        @Override
        public String toString() {
            return role + "|" + String.join(",", EnumSet.copyOf(permissionsOrEmpty()).stream()
                    .map(Permission::key).toList()) + "|" + String.join(",", patterns);
        }

        private Set<Permission> permissionsOrEmpty() {
            return permissions.isEmpty() ? EnumSet.noneOf(Permission.class) : permissions;
        }
    }

    private final List<Rule> rules;
    // Patterns compiled once per table (rules are checked for every browse and read).
    private final List<Pattern[][]> compiled;

    private AccessTable(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        this.compiled = new ArrayList<>();
        for (Rule r : this.rules) {
            compiled.add(r.patterns().stream().map(AccessTable::compile).toArray(Pattern[][]::new));
        }
    }

    public static AccessTable of(List<Rule> rules) {
        return rules.isEmpty() ? DENY_ALL : new AccessTable(rules);
    }

    /**
     * Reads the {@code access.rules} property: a String[], a collection of strings or a single string;
     * null gives {@link #DENY_ALL}.
     *
     * @throws IllegalArgumentException naming the entry that is malformed (callers should then deny
     *                                  everything: fail closed)
     */
    public static AccessTable fromProperty(Object value) {
        if (value == null) {
            return DENY_ALL;
        }
        List<String> entries = new ArrayList<>();
        if (value instanceof String s) {
            entries.add(s);
        } else if (value instanceof String[] a) {
            entries.addAll(List.of(a));
        } else if (value instanceof Collection<?> c) {
            c.forEach(o -> entries.add(String.valueOf(o)));
        } else {
            throw new IllegalArgumentException(PROPERTY + ": expected String[], got " + value.getClass().getName());
        }
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            rules.add(parseRule(i, entries.get(i)));
        }
        return of(rules);
    }

    private static Rule parseRule(int index, String entry) {
        String[] f = entry.split("\\|", -1);
        if (f.length != 3 || f[0].isBlank()) {
            throw new IllegalArgumentException(PROPERTY + "[" + index + "]: '" + entry
                    + "' is not role|permission,...|pattern,...");
        }
        try {
            Set<Permission> permissions = EnumSet.noneOf(Permission.class);
            for (String p : f[1].split(",")) {
                permissions.add(Permission.of(p));
            }
            return new Rule(f[0].trim(), permissions, List.of(f[2].split(",")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PROPERTY + "[" + index + "]: '" + entry + "': " + e.getMessage(), e);
        }
    }

    public List<Rule> rules() {
        return rules;
    }

    /** Whether {@code identity} may do {@code permission} on {@code tag}; false when no rule grants it. */
    public boolean allows(Identity identity, Permission permission, TagPath tag) {
        return allowingRule(identity, permission, tag).isPresent();
    }

    /** The first rule that grants it (for the audit record's {@code rule}), or empty: denied. */
    public Optional<Rule> allowingRule(Identity identity, Permission permission, TagPath tag) {
        if (identity == null || permission == null || tag == null) {
            return Optional.empty();
        }
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            if (!r.permissions().contains(permission) || !identity.roles().contains(r.role())) {
                continue;
            }
            for (Pattern[] parts : compiled.get(i)) {
                if (parts[0].matcher(tag.device()).matches() && parts[1].matcher(tag.tag()).matches()) {
                    return Optional.of(r);
                }
            }
        }
        return Optional.empty();
    }

    /** Whether some tag of a device could be allowed (to decide if a device folder is browsable at all). */
    public boolean allowsAnyOf(Identity identity, Permission permission, Collection<TagPath> tags) {
        return tags.stream().anyMatch(t -> allows(identity, permission, t));
    }

    /** {@code [device, tag]} matchers of a {@code <device>/<tag>} glob. */
    static Pattern[] compile(String pattern) {
        int slash = pattern.indexOf('/');
        if (slash <= 0 || slash != pattern.lastIndexOf('/') || slash == pattern.length() - 1) {
            throw new IllegalArgumentException("'" + pattern + "' is not a tag pattern <device>/<tag>");
        }
        return new Pattern[] {glob(pattern.substring(0, slash)), glob(pattern.substring(slash + 1))};
    }

    private static Pattern glob(String part) {
        StringBuilder re = new StringBuilder();
        for (char c : part.toCharArray()) {
            if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.') {
                re.append(c == '.' || c == '-' ? "\\" + c : String.valueOf(c));
            } else {
                throw new IllegalArgumentException("'" + part + "' may only hold letters, digits, '_', '-', '.', "
                        + "'*' and '?'");
            }
        }
        return Pattern.compile(re.toString());
    }

    @Override
    public String toString() {
        return "AccessTable" + rules;
    }
}
