package io.cellgate.health.internal;

import io.cellgate.api.health.Severity;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A threshold alarm with hysteresis on the numeric metrics whose names match {@code metric} ('*' stands for one
 * path segment, e.g. {@code Health/Devices/* /Down} without the space). {@link Direction#ABOVE}: raised once the value
 * has stayed at or above {@code raise} for {@code hold}, cleared once it has stayed below {@code clear} for
 * {@code hold}; {@link Direction#BELOW} mirrors it. Between the two thresholds nothing changes, so a value hovering
 * around one threshold does not flap.
 *
 * @param id       the rule's name, e.g. {@code disk.free}
 * @param metric   the metric name pattern
 * @param direction whether high or low values are bad
 * @param raise    the raise threshold
 * @param clear    the clear threshold: below {@code raise} for ABOVE, above it for BELOW
 * @param hold     how long a condition must last before the alarm changes (0: at once)
 * @param severity the raised alarm's severity
 * @param what     what the alarm means, for the message (e.g. "disk space low")
 */
record AlarmRule(String id, String metric, Direction direction, double raise, double clear, Duration hold,
        Severity severity, String what) {

    enum Direction {
        ABOVE, BELOW
    }

    AlarmRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(hold, "hold");
        Objects.requireNonNull(severity, "severity");
        if (Double.isNaN(raise) || Double.isNaN(clear)) {
            throw new IllegalArgumentException("alarm " + id + ": thresholds must be numbers");
        }
        if (direction == Direction.ABOVE ? clear > raise : clear < raise) {
            throw new IllegalArgumentException("alarm " + id + ": clear threshold " + clear + " must be "
                    + (direction == Direction.ABOVE ? "at most" : "at least") + " the raise threshold " + raise);
        }
        if (hold.isNegative()) {
            throw new IllegalArgumentException("alarm " + id + ": hold " + hold + " is negative");
        }
    }

    boolean matches(String name) {
        return pattern().matcher(name).matches();
    }

    private Pattern pattern() {
        StringBuilder re = new StringBuilder();
        for (String part : metric.split("\\*", -1)) {
            if (re.length() > 0) {
                re.append("[^/]+");
            }
            re.append(Pattern.quote(part));
        }
        return Pattern.compile(re.toString());
    }

    boolean beyondRaise(double v) {
        return direction == Direction.ABOVE ? v >= raise : v <= raise;
    }

    boolean beyondClear(double v) {
        return direction == Direction.ABOVE ? v < clear : v > clear;
    }
}
