package io.cellgate.policy.internal;

import io.cellgate.api.policy.Context;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The conditions of a rule; null or empty fields impose nothing. All present conditions must hold.
 *
 * @param min           lowest value a write may set (on top of the profile's limit)
 * @param max           highest value a write may set
 * @param rate          how often, or null
 * @param windows       when (any of them), or empty
 * @param channels      through which channels (lower case), or empty
 * @param securityModes with which message security modes (lower case), or empty
 * @param endpoints     through which endpoints (exact), or empty
 */
record When(Double min, Double max, Rate rate, List<TimeWindow> windows, Set<String> channels,
        Set<String> securityModes, Set<String> endpoints) {

    static final When ALWAYS = new When(null, null, null, List.of(), Set.of(), Set.of(), Set.of());

    When {
        windows = List.copyOf(windows);
        channels = Set.copyOf(channels);
        securityModes = Set.copyOf(securityModes);
        endpoints = Set.copyOf(endpoints);
    }

    boolean isAlways() {
        return equals(ALWAYS);
    }

    /**
     * The first condition (other than the rate) that does not hold, as text for the decision, or null when
     * all hold.
     */
    String failed(Context context, Instant now) {
        if (min != null || max != null) {
            Object value = context.value();
            if (!(value instanceof Number n)) {
                return "the rule limits the value to " + range(min, max) + ", but the value is "
                        + (value == null ? "missing" : "not a number ('" + value + "')");
            }
            double v = n.doubleValue();
            if (Double.isNaN(v)) {
                return "value NaN is not within " + range(min, max);
            }
            if (min != null && v < min) {
                return "value " + n + " is below min " + fmt(min);
            }
            if (max != null && v > max) {
                return "value " + n + " is above max " + fmt(max);
            }
        }
        if (!channels.isEmpty() && !containsLower(channels, context.channel())) {
            return "channel " + quoted(context.channel()) + " is not one of " + new TreeSet<>(channels);
        }
        if (!securityModes.isEmpty() && !containsLower(securityModes, context.securityMode())) {
            return "security mode " + quoted(context.securityMode()) + " is not one of " + new TreeSet<>(securityModes);
        }
        if (!endpoints.isEmpty() && (context.endpoint() == null || !endpoints.contains(context.endpoint()))) {
            return "endpoint " + quoted(context.endpoint()) + " is not one of " + new TreeSet<>(endpoints);
        }
        if (!windows.isEmpty() && windows.stream().noneMatch(w -> w.contains(now))) {
            return "time " + now + " is outside the window " + (windows.size() == 1 ? windows.get(0) : windows);
        }
        return null;
    }

    private static boolean containsLower(Set<String> set, String value) {
        return value != null && set.contains(value.toLowerCase(Locale.ROOT));
    }

    private static String quoted(String s) {
        return s == null ? "(unknown)" : "'" + s + "'";
    }

    static String range(Double min, Double max) {
        return (min == null ? "-inf" : fmt(min)) + ".." + (max == null ? "+inf" : fmt(max));
    }

    static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }

    /** The conditions for an admin, e.g. {@code value 0..1500; rate 10 per 1m per identity and tag}; empty for none. */
    String describe() {
        List<String> parts = new java.util.ArrayList<>();
        if (min != null || max != null) {
            parts.add("value " + range(min, max));
        }
        if (rate != null) {
            parts.add("rate " + rate);
        }
        if (!windows.isEmpty()) {
            parts.add("window " + windows.stream().map(Object::toString).collect(java.util.stream.Collectors.joining(" or ")));
        }
        if (!channels.isEmpty()) {
            parts.add("channel " + new TreeSet<>(channels));
        }
        if (!securityModes.isEmpty()) {
            parts.add("security mode " + new TreeSet<>(securityModes));
        }
        if (!endpoints.isEmpty()) {
            parts.add("endpoint " + new TreeSet<>(endpoints));
        }
        return String.join("; ", parts);
    }

    /** A stable text of the conditions, for the content hash. */
    String canonical() {
        return "min=" + min + ";max=" + max + ";rate=" + rate + ";windows=" + windows + ";channels="
                + new TreeSet<>(channels) + ";modes=" + new TreeSet<>(securityModes) + ";endpoints="
                + new TreeSet<>(endpoints);
    }
}
