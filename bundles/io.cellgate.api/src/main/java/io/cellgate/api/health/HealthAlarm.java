package io.cellgate.api.health;

import java.time.Instant;
import java.util.Objects;

/**
 * An active alarm: a metric crossed its raise threshold and has not yet come back beyond its clear threshold.
 *
 * @param rule     the alarm rule, e.g. {@code disk.free}
 * @param subject  what it is about: the metric's name (e.g. {@code Health/Devices/press1/Up})
 * @param severity how urgent
 * @param since    when it was raised
 * @param value    the metric's value when last evaluated
 * @param message  what is wrong and what the thresholds are, for an operator
 */
public record HealthAlarm(String rule, String subject, Severity severity, Instant since, double value, String message) {

    public HealthAlarm {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(since, "since");
    }
}
