package io.cellgate.health.internal;

import io.cellgate.api.health.HealthMetric;
import java.util.List;
import java.util.NoSuchElementException;

/** Looking up sampled metrics in tests. */
final class Metrics {

    private Metrics() {
    }

    static HealthMetric get(List<HealthMetric> metrics, String name) {
        return metrics.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException(name + " not in " + metrics.stream().map(HealthMetric::name).toList()));
    }

    static Object value(List<HealthMetric> metrics, String name) {
        return get(metrics, name).value();
    }
}
