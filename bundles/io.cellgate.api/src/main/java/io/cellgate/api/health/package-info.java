/**
 * Gateway health: metrics (gateway, devices, northbound, security), alarms with hysteresis and security events from
 * a learned baseline. {@link io.cellgate.api.health.GatewayHealth} is registered by the health bundle and read by the
 * edge node (Sparkplug node metrics), the console and the OpenMetrics endpoint; other bundles add their own metrics
 * as {@link io.cellgate.api.health.HealthContributor} services.
 */
@Version("1.1.0")
@Export
package io.cellgate.api.health;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
