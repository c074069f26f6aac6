package io.cellgate.health.internal;

import io.cellgate.api.health.HealthMetric;
import io.cellgate.api.health.MetricKind;
import io.cellgate.api.health.MetricType;
import java.util.Map;

/**
 * A metric's definition without a value: the registry's unit of registration. Validated once, by building a
 * {@link HealthMetric} without value.
 */
record MetricDef(String name, String family, Map<String, String> labels, MetricType type, MetricKind kind, String unit,
        String description) {

    MetricDef {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        new HealthMetric(name, family, labels, type, kind, unit, description, null); // validates, names what is wrong
    }

    static MetricDef gauge(String name, String family, MetricType type, String unit, String description) {
        return new MetricDef(name, family, Map.of(), type, MetricKind.GAUGE, unit, description);
    }

    static MetricDef counter(String name, String family, String description) {
        return new MetricDef(name, family, Map.of(), MetricType.INT64, MetricKind.COUNTER, "", description);
    }

    static MetricDef info(String name, String family, String description) {
        return new MetricDef(name, family, Map.of(), MetricType.STRING, MetricKind.INFO, "", description);
    }

    /** The same definition for one subject (a device): its name under {@code prefix}, one more label. */
    MetricDef forSubject(String prefix, String label, String value) {
        Map<String, String> l = new java.util.LinkedHashMap<>(labels);
        l.put(label, value);
        return new MetricDef(prefix + name, family, l, type, kind, unit, description);
    }

    HealthMetric with(Object value) {
        return new HealthMetric(name, family, labels, type, kind, unit, description, value);
    }
}
