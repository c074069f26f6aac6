package io.cellgate.config;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One rule of the {@code access:} section of cell.yaml in today's form: holders of {@code role} may do
 * {@code allow} on the tags whose path matches one of {@code tags}. (The section may hold more - ids, deny rules,
 * conditions - which only the policy engine reads: see {@link LoadResult#accessSection()}.)
 *
 * <p>The applied rules reach the running gateway as the {@link #PROPERTY} property of the
 * {@code cellgate.cell} configuration, one string per rule in the {@link #toProperty()} format (empty when the
 * section uses more than this form), next to the whole section as {@code access.yaml}, which the policy engine
 * prefers.
 *
 * @param role  one of {@link #ROLES}
 * @param tags  {@code <device>/<tag>} glob patterns ({@code *} any characters, {@code ?} one character;
 *              neither crosses the {@code /})
 * @param allow permissions, each one of {@link #PERMISSIONS}
 */
public record AccessRule(String role, List<String> tags, List<String> allow) {

    /** Property of {@code cellgate.cell}: String[] of rules in {@link #toProperty()} format. */
    public static final String PROPERTY = "access.rules";
    /** The roles a rule may name. */
    public static final List<String> ROLES = List.of("Observer", "Operator", "Engineer", "SecurityAdmin", "Auditor");
    /** The tag permissions a rule may grant, as written in cell.yaml. */
    public static final List<String> PERMISSIONS = List.of("browse", "read", "subscribe", "write");
    /** One side of a pattern: name characters and the wildcards {@code *} and {@code ?}. */
    public static final Pattern PATTERN_PART = Pattern.compile("[A-Za-z0-9_.\\-*?]{1,64}");
    /** The rules when cell.yaml has no {@code access:} section: Observer reads everything, nobody writes. */
    public static final List<AccessRule> DEFAULTS = List.of(
            new AccessRule("Observer", List.of("*/*"), List.of("browse", "read", "subscribe")));

    public AccessRule {
        Objects.requireNonNull(role, "role");
        tags = List.copyOf(tags);
        allow = List.copyOf(allow);
    }

    /** {@code role|perm,perm|pattern,pattern}, e.g. {@code Operator|write|press-*}{@code /setpoint_*,oven-1/sp}. */
    public String toProperty() {
        return role + "|" + String.join(",", allow) + "|" + String.join(",", tags);
    }

    /**
     * Why {@code pattern} is not a valid tag pattern, or null when it is. Used by the loader and by anyone
     * who builds rules by hand (the console).
     */
    public static String checkPattern(String pattern) {
        int slash = pattern.indexOf('/');
        if (slash < 0 || slash != pattern.lastIndexOf('/')) {
            return "'" + pattern + "' is not a tag pattern: write <device>/<tag>, e.g. press-*/setpoint_* or */*";
        }
        String device = pattern.substring(0, slash);
        String tag = pattern.substring(slash + 1);
        for (String part : List.of(device, tag)) {
            if (!PATTERN_PART.matcher(part).matches()) {
                return "'" + pattern + "': '" + part + "' may only hold letters, digits, '_', '-', '.' and the "
                        + "wildcards '*' and '?' (1 to 64 characters)";
            }
        }
        return null;
    }
}
