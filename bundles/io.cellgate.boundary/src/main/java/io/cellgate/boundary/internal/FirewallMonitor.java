package io.cellgate.boundary.internal;

import io.cellgate.api.config.ConfigKeys;
import io.cellgate.api.health.FirewallReport;
import io.cellgate.api.health.FirewallStatus;
import io.cellgate.api.health.HealthContributor;
import io.cellgate.api.health.HealthMetric;
import io.cellgate.api.health.MetricKind;
import io.cellgate.api.health.MetricType;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Firewall drift in the running gateway: every {@value #PERIOD_S} s, compares the ruleset generated from the cell
 * configuration with the root timer's listing of the running one ({@link FirewallDrift}), and reports it to health
 * ({@code Health/Security/Firewall ...}) and to the console ({@link FirewallStatus}). Needs the configuration directory
 * and the state directory: not active in command mode.
 */
@Component(service = {FirewallStatus.class, HealthContributor.class}, immediate = true,
        configurationPid = {ConfigKeys.LOADER_PID, ConfigKeys.RUNTIME_PID}, configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class FirewallMonitor implements FirewallStatus, HealthContributor {

    private static final Logger LOG = LoggerFactory.getLogger(FirewallMonitor.class);
    static final int PERIOD_S = 30;
    static final String PREFIX = "Health/Security/Firewall ";

    private final Clock clock = Clock.systemUTC();
    private final FirewallDrift drift;
    private final ScheduledExecutorService executor;
    private volatile FirewallReport report;

    @Activate
    public FirewallMonitor(Map<String, Object> properties) {
        Object config = properties.get(ConfigKeys.LOADER_DIRECTORY);
        Object state = properties.get(ConfigKeys.STATE_DIR);
        if (config == null || state == null) {
            throw new IllegalArgumentException("firewall drift needs " + ConfigKeys.LOADER_PID + " "
                    + ConfigKeys.LOADER_DIRECTORY + " and " + ConfigKeys.RUNTIME_PID + " " + ConfigKeys.STATE_DIR);
        }
        drift = new FirewallDrift(Path.of(config.toString()), Path.of(state.toString()), clock);
        report = new FirewallReport(FirewallReport.State.UNKNOWN, "", clock.instant(), null, List.of(),
                "not checked yet");
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cellgate-firewall-drift");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::check, 0, PERIOD_S, TimeUnit.SECONDS);
    }

    private void check() {
        try {
            FirewallReport r = drift.check();
            FirewallReport before = report;
            report = r;
            if (before.state() != r.state()) {
                if (r.state() == FirewallReport.State.DRIFT) {
                    LOG.warn("firewall drift: {}; {}", r.explanation(), String.join("; ", r.differences()));
                } else {
                    LOG.info("firewall: {} - {}", r.state(), r.explanation());
                }
            }
        } catch (RuntimeException e) {
            LOG.error("firewall drift check failed", e);
        }
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    @Override
    public FirewallReport report() {
        return report;
    }

    @Override
    public List<HealthMetric> metrics() {
        FirewallReport r = report;
        boolean known = r.state() != FirewallReport.State.UNKNOWN;
        Long age = r.listedAt() == null ? null
                : Math.max(0, Duration.between(r.listedAt(), clock.instant()).getSeconds());
        return List.of(
                new HealthMetric(PREFIX + "Drift", "cellgate_firewall_drift", Map.of(), MetricType.BOOLEAN,
                        MetricKind.GAUGE, "", "True while the running nftables table differs from the ruleset generated "
                                + "from the configuration or is not loaded (unknown: no recent listing, no firewall: section).",
                        known ? r.state() == FirewallReport.State.DRIFT : null),
                new HealthMetric(PREFIX + "Differences", "cellgate_firewall_differences", Map.of(), MetricType.INT64,
                        MetricKind.GAUGE, "", "Differences between the running and the generated ruleset (unknown as Drift).",
                        known ? (long) r.differences().size() : null),
                new HealthMetric(PREFIX + "State", "cellgate_firewall_state", Map.of(), MetricType.STRING,
                        MetricKind.INFO, "", "NO_DRIFT, DRIFT or UNKNOWN.", r.state().name()),
                new HealthMetric(PREFIX + "Listing Age", "cellgate_firewall_listing_age", Map.of(), MetricType.INT64,
                        MetricKind.GAUGE, "seconds", "Age of the root timer's listing of the running ruleset (unknown: "
                                + "none).", age));
    }
}
