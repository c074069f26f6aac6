package io.cellgate.api.health;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The gateway's health, as last sampled: registered by the health bundle. */
@ProviderType
public interface GatewayHealth {

    /** Every metric with its latest value, ordered by name. The set of names changes only with devices and contributors. */
    List<HealthMetric> metrics();

    /** The alarms active now, ordered by rule and subject. */
    List<HealthAlarm> alarms();

    /** The most recent security events (bounded), oldest first. */
    List<SecurityEvent> events();

    /** Security events raised since the gateway started (each aggregated event counts once). */
    long eventCount();
}
