package io.cellgate.health.internal;

import io.cellgate.api.health.HealthMetric;
import java.util.List;

/** Something that yields a set of metrics when sampled (the gateway, the devices, a contributor). */
@FunctionalInterface
interface MetricSource {

    /** The metrics now; must be quick (no blocking I/O). */
    List<HealthMetric> collect();
}
