package io.cellgate.health.internal;

import io.cellgate.api.audit.AuditQuery;
import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.bus.Subscription;
import io.cellgate.api.bus.TagBus;
import io.cellgate.api.config.ConfigKeys;
import io.cellgate.api.driver.DriverStatistics;
import io.cellgate.api.driver.SessionStats;
import io.cellgate.api.health.GatewayHealth;
import io.cellgate.api.health.HealthAlarm;
import io.cellgate.api.health.HealthContributor;
import io.cellgate.api.health.HealthMetric;
import io.cellgate.api.health.SecurityEvent;
import io.cellgate.pki.GatewayPki;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers {@link GatewayHealth}: samples the metrics every {@code sample.interval.s} on its own thread, evaluates the
 * alarms, reads the audit trail and reports security events. Runs with defaults without a {@code cellgate.health}
 * configuration; reads the state directory ({@code cellgate.runtime}) and the configuration hash
 * ({@code cellgate.cell}) when present. The audit trail, the PKI and contributors are optional and dynamic: health
 * must keep reporting when any of them is missing.
 */
@Component(service = GatewayHealth.class, immediate = true,
        configurationPid = {HealthConfig.PID, ConfigKeys.RUNTIME_PID, ConfigKeys.CELL_PID},
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class HealthComponent implements GatewayHealth, HealthMonitor.Services {

    private static final Logger LOG = LoggerFactory.getLogger(HealthComponent.class);

    private final BundleContext context;
    private final TagBus bus;
    private final ScheduledExecutorService executor;
    private HealthMonitor monitor; // replaced (under this) when the health configuration changes
    private Subscription subscription;
    private java.util.concurrent.ScheduledFuture<?> ticks;
    private Map<String, Object> healthProperties;
    private volatile String configHash;
    private volatile Path stateDir;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditQuery auditQuery;

    // Greedy: the audit trail (ranked 100) replaces the core's log sink if this bound that one first.
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditSink auditSink;

    // Only the reference: the PKI component is delayed and may generate a key when first used (on the health thread).
    @Reference(service = GatewayPki.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ServiceReference<GatewayPki> pki;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private final List<HealthContributor> contributors = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private final List<DriverStatistics> drivers = new CopyOnWriteArrayList<>();

    // The certificate files named in the MQTT and audit configurations.
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConfigurationAdmin configAdmin;

    @Activate
    public HealthComponent(@Reference TagBus bus, BundleContext context, HealthConfig config,
            Map<String, Object> properties) {
        this.context = context;
        this.bus = bus;
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cellgate-health");
            t.setDaemon(true);
            return t;
        });
        modified(config, properties);
    }

    /**
     * The cell's hash and the state directory change without a restart (the baseline is kept); a change of the
     * {@code cellgate.health} settings starts the monitor afresh (alarms re-evaluated, the baseline learned again).
     */
    @Modified
    synchronized void modified(HealthConfig config, Map<String, Object> properties) {
        readProperties(properties);
        Map<String, Object> health = healthKeys(properties);
        // Without a state directory the framework runs a command (cellgate user ...): nothing to watch.
        boolean run = stateDir != null;
        if (monitor != null && health.equals(healthProperties) && (ticks != null) == run) {
            return;
        }
        healthProperties = health;
        stop();
        Clock clock = Clock.systemUTC();
        monitor = new HealthMonitor(config, clock, bus, new JvmProbe(),
                new ClockSync(ClockSync::runProcess, clock, Duration.ofMinutes(1)),
                context.getBundle().getVersion().toString(), () -> configHash, () -> stateDir, this::certDays, this);
        if (!run) {
            LOG.debug("health: no state directory (command mode), not sampling");
            return;
        }
        HealthMonitor m = monitor;
        subscription = bus.subscribe(new io.cellgate.api.bus.TagListener() {
            @Override
            public void onValue(io.cellgate.api.tag.TagInfo tag, io.cellgate.api.tag.TagValue value) {
                m.onValue(tag, value);
            }

            @Override
            public void onCatalogChanged(String deviceId) {
                // A device's names now, not at the next tick: the edge node's NBIRTH should find them.
                try {
                    executor.execute(() -> tick(m));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // stopping
                }
            }
        });
        long interval = Math.max(1, config.sample_interval_s());
        ticks = executor.scheduleWithFixedDelay(() -> tick(m), 0, interval, TimeUnit.SECONDS);
        LOG.info("health: sampling every {} s, baseline learned until {}", interval, monitor.baseline().learnedAt());
    }

    private void stop() {
        if (ticks != null) {
            ticks.cancel(false);
            ticks = null;
        }
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
    }

    /** The properties of the {@code cellgate.health} settings (the merged map also holds the cell's and the runtime's). */
    static Map<String, Object> healthKeys(Map<String, Object> properties) {
        Map<String, Object> out = new java.util.TreeMap<>();
        for (java.lang.reflect.Method m : HealthConfig.class.getDeclaredMethods()) {
            String key = m.getName().replace('_', '.');
            if (key.startsWith("metrics.")) {
                continue; // the /metrics servlet's, not the monitor's
            }
            Object v = properties.get(key);
            if (v != null) {
                out.put(key, v.toString());
            }
        }
        return out;
    }

    private void readProperties(Map<String, Object> properties) {
        Object hash = properties.get(ConfigKeys.CONFIG_HASH);
        configHash = hash == null ? null : hash.toString();
        Object dir = properties.get(ConfigKeys.STATE_DIR);
        stateDir = dir == null || dir.toString().isBlank() ? null : Path.of(dir.toString());
    }

    private static void tick(HealthMonitor monitor) {
        try {
            monitor.tick();
        } catch (RuntimeException | LinkageError e) {
            LOG.error("health: sampling failed", e);
        }
    }

    @Override
    public Collection<X509Certificate> trustedCertificates() {
        return fromTrustStore(t -> t.trustedCertificates());
    }

    @Override
    public Collection<X509Certificate> issuerCertificates() {
        return fromTrustStore(t -> t.issuerCertificates());
    }

    private Collection<X509Certificate> fromTrustStore(
            java.util.function.Function<io.cellgate.pki.TrustStore, Collection<X509Certificate>> list) {
        ServiceReference<GatewayPki> ref = pki;
        if (ref == null) {
            return List.of();
        }
        GatewayPki p = context.getService(ref);
        try {
            return p == null ? List.of() : List.copyOf(list.apply(p.trustStore()));
        } finally {
            if (p != null) {
                context.ungetService(ref);
            }
        }
    }

    @Override
    public List<CertificateMetrics.CertFile> certificateFiles() {
        ConfigurationAdmin ca = configAdmin;
        if (ca == null) {
            return List.of();
        }
        return CertificateFiles.of(properties(ca, CertificateFiles.MQTT_PID), properties(ca, CertificateFiles.AUDIT_PID));
    }

    private static java.util.Dictionary<String, Object> properties(ConfigurationAdmin ca, String pid) {
        try {
            Configuration[] c = ca.listConfigurations("(" + org.osgi.framework.Constants.SERVICE_PID + "=" + pid + ")");
            return c == null || c.length == 0 ? null : c[0].getProperties();
        } catch (java.io.IOException | org.osgi.framework.InvalidSyntaxException e) {
            LOG.debug("health: configuration {} unreadable: {}", pid, e.toString());
            return null;
        }
    }

    private Long certDays() {
        ServiceReference<GatewayPki> ref = pki;
        if (ref == null) {
            return null;
        }
        GatewayPki p = context.getService(ref);
        try {
            return p == null ? null : p.daysUntilExpiry();
        } catch (RuntimeException e) {
            LOG.debug("health: certificate expiry unknown: {}", e.toString());
            return null;
        } finally {
            if (p != null) {
                context.ungetService(ref);
            }
        }
    }

    @Deactivate
    synchronized void deactivate() {
        stop();
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized HealthMonitor current() {
        return monitor;
    }

    @Override
    public AuditQuery auditQuery() {
        return auditQuery;
    }

    @Override
    public AuditSink auditSink() {
        return auditSink;
    }

    @Override
    public Collection<HealthContributor> contributors() {
        return contributors;
    }

    @Override
    public Map<String, SessionStats> driverStatistics() {
        Map<String, SessionStats> out = new java.util.HashMap<>();
        for (DriverStatistics d : drivers) {
            try {
                out.putAll(d.sessions());
            } catch (RuntimeException e) {
                LOG.debug("health: driver statistics failed: {}", e.toString());
            }
        }
        return out;
    }

    @Override
    public List<HealthMetric> metrics() {
        return current().metrics();
    }

    @Override
    public List<HealthAlarm> alarms() {
        return current().alarms();
    }

    @Override
    public List<SecurityEvent> events() {
        return current().events();
    }

    @Override
    public long eventCount() {
        return current().eventCount();
    }
}
