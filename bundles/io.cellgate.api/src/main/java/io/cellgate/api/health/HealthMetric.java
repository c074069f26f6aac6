package io.cellgate.api.health;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One health metric with its current value.
 *
 * @param name        the Sparkplug metric name, folders separated by '/', e.g. {@code Health/Gateway/Uptime}
 * @param family      the OpenMetrics family name without unit suffix, e.g. {@code cellgate_gateway_uptime}
 * @param labels      OpenMetrics labels that tell this metric from others of its family (e.g. {@code device}); may
 *                    be empty
 * @param type        the value's type
 * @param kind        gauge, counter or info
 * @param unit        the unit in OpenMetrics terms ({@code seconds}, {@code bytes}, {@code ratio}, ...), or "" for a
 *                    count or a text
 * @param description what it means, one sentence
 * @param value       the value, of {@link MetricType#javaType()}, or null when unknown now
 */
public record HealthMetric(String name, String family, Map<String, String> labels, MetricType type, MetricKind kind,
        String unit, String description, Object value) {

    private static final Pattern FAMILY = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Pattern LABEL = Pattern.compile("[a-z_][a-z0-9_]*");

    public HealthMetric {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(kind, "kind");
        unit = unit == null ? "" : unit;
        description = description == null ? "" : description;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        if (name.isEmpty() || name.startsWith("/") || name.endsWith("/")) {
            throw new IllegalArgumentException("health metric name '" + name + "': empty or starts/ends with '/'");
        }
        if (!FAMILY.matcher(family).matches()) {
            throw new IllegalArgumentException("health metric " + name + ": family '" + family
                    + "' is not [a-z_][a-z0-9_]*");
        }
        for (String l : labels.keySet()) {
            if (!LABEL.matcher(l).matches()) {
                throw new IllegalArgumentException("health metric " + name + ": label '" + l + "' is not [a-z_][a-z0-9_]*");
            }
        }
        if (value != null && !type.javaType().isInstance(value)) {
            throw new IllegalArgumentException("health metric " + name + ": value " + value + " is a "
                    + value.getClass().getSimpleName() + ", not " + type.javaType().getSimpleName());
        }
        if (kind == MetricKind.COUNTER && type != MetricType.INT64) {
            throw new IllegalArgumentException("health metric " + name + ": a counter must be INT64, not " + type);
        }
    }

    /** The same metric with another value. */
    public HealthMetric withValue(Object newValue) {
        return new HealthMetric(name, family, labels, type, kind, unit, description, newValue);
    }

    /** The value as a number (booleans as 1/0), or NaN when it is null or a text. */
    public double numeric() {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return Double.NaN;
    }
}
