package io.cellgate.policy.internal;

import java.util.regex.Pattern;

/**
 * Tag and section patterns. {@code *} stands for any characters and {@code ?} for one, neither crossing a
 * {@code /}. Matched by a linear-time wildcard matcher, never a regular expression, so a hostile pattern
 * ({@code *a*a*a*a*b}) cannot make a decision slow.
 */
final class Glob {

    /** One part of a pattern: name characters and the wildcards, 1 to 64 characters (as cell.yaml's access:). */
    static final Pattern PART = Pattern.compile("[A-Za-z0-9_.\\-*?]{1,64}");

    private Glob() {
    }

    /** Why {@code pattern} is not a tag pattern {@code <device>/<tag>}, or null when it is. */
    static String checkTag(String pattern) {
        int slash = pattern.indexOf('/');
        if (slash < 0 || slash != pattern.lastIndexOf('/')) {
            return "'" + pattern + "' is not a tag pattern: write <device>/<tag>, e.g. press-*/setpoint_* or */*";
        }
        for (String part : new String[] {pattern.substring(0, slash), pattern.substring(slash + 1)}) {
            if (!PART.matcher(part).matches()) {
                return "'" + pattern + "': '" + part + "' may only hold letters, digits, '_', '-', '.' and the "
                        + "wildcards '*' and '?' (1 to 64 characters)";
            }
        }
        return null;
    }

    /** Why {@code pattern} is not a section pattern ({@code devices}, {@code devices/press-*}, {@code *}), or null. */
    static String checkSection(String pattern) {
        String[] parts = pattern.split("/", -1);
        if (parts.length > 8) {
            return "'" + pattern + "' has more than 8 levels";
        }
        for (String part : parts) {
            if (!PART.matcher(part).matches()) {
                return "'" + pattern + "' is not a section pattern: levels separated by '/', each 1 to 64 letters, "
                        + "digits, '_', '-', '.', '*' or '?', e.g. devices or devices/press-*";
            }
        }
        return null;
    }

    /** Whether tag {@code path} ({@code device/tag}) matches tag pattern {@code pattern}. */
    static boolean matchesTag(String pattern, String path) {
        int ps = pattern.indexOf('/');
        int ns = path.indexOf('/');
        if (ps < 0 || ns < 0 || ns != path.lastIndexOf('/')) {
            return false;
        }
        return matches(pattern, 0, ps, path, 0, ns)
                && matches(pattern, ps + 1, pattern.length(), path, ns + 1, path.length());
    }

    /**
     * Whether section {@code name} matches {@code pattern}: level by level, and a name below a matching
     * pattern matches too ({@code devices} covers {@code devices/press-1}).
     */
    static boolean matchesSection(String pattern, String name) {
        String[] p = pattern.split("/", -1);
        String[] n = name.split("/", -1);
        if (n.length < p.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (!matches(p[i], 0, p[i].length(), n[i], 0, n[i].length())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Wildcard match of {@code p[ps..pe)} against {@code s[ss..se)}: greedy with one backtrack point (the last
     * {@code *}), O(pattern × text) at worst.
     */
    static boolean matches(String p, int ps, int pe, String s, int ss, int se) {
        int pi = ps;
        int si = ss;
        int star = -1;
        int mark = -1;
        while (si < se) {
            if (pi < pe && (p.charAt(pi) == '?' || p.charAt(pi) == s.charAt(si)) && p.charAt(pi) != '*') {
                pi++;
                si++;
            } else if (pi < pe && p.charAt(pi) == '*') {
                star = pi++;
                mark = si;
            } else if (star >= 0) {
                pi = star + 1;
                si = ++mark;
            } else {
                return false;
            }
        }
        while (pi < pe && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == pe;
    }
}
