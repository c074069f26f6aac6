package io.cellgate.api.health;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Metrics that another bundle knows best (the edge node's outbox, the OPC UA server's sessions). Registered as a
 * service; the health bundle samples every contributor with its own metrics, so they reach every report (Sparkplug,
 * console, OpenMetrics) and can drive alarms.
 */
@ConsumerType
public interface HealthContributor {

    /** The contributor's metrics now. Called on the health bundle's thread: quick, no I/O. */
    List<HealthMetric> metrics();
}
