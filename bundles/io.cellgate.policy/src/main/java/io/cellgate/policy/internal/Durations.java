package io.cellgate.policy.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d}, as in the configuration files. */
final class Durations {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /** Milliseconds, or null when {@code s} is not a duration. */
    static Long parse(String s) {
        Matcher m = DURATION.matcher(s.trim());
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            default -> n * 86_400_000;
        };
    }

    static String format(long ms) {
        if (ms % 86_400_000 == 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
