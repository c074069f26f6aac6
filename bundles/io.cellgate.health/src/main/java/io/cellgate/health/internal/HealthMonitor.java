package io.cellgate.health.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditQuery;
import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.bus.TagBus;
import io.cellgate.api.bus.TagListener;
import io.cellgate.api.driver.SessionStats;
import io.cellgate.api.health.GatewayHealth;
import io.cellgate.api.health.HealthAlarm;
import io.cellgate.api.health.HealthContributor;
import io.cellgate.api.health.HealthMetric;
import io.cellgate.api.health.MetricType;
import io.cellgate.api.health.SecurityEvent;
import io.cellgate.api.health.Severity;
import io.cellgate.api.tag.QualityReason;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagValue;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health of the gateway, put together: the metric registry with its sources, the alarms, the baseline and the
 * event limiter. {@link #tick()} (on the health thread) reads the audit trail, samples every metric, evaluates the
 * alarms and reports the security events; readers get the last sample. Framework-free, so tests drive it directly.
 */
final class HealthMonitor implements GatewayHealth, TagListener {

    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);
    /** Audit action of a security event (and of the repeats counted into it). */
    static final String AUDIT_ACTION = "health.event";
    static final String EVENTS = "Health/Events/";
    static final String ALARMS = "Health/Alarms/";
    /** Audit pages read per tick: a backlog is caught up over a few ticks without stalling the sample. */
    private static final int AUDIT_PAGES = 10;
    /** Certificate lists and files are read again this often (expiry days change once a day). */
    static final Duration CERTIFICATE_REFRESH = Duration.ofMinutes(10);

    /** What the monitor reads from outside (services that come and go). */
    interface Services {
        AuditQuery auditQuery();

        AuditSink auditSink();

        Collection<HealthContributor> contributors();

        /** The drivers' session statistics by device id (empty without drivers that report them). */
        default Map<String, SessionStats> driverStatistics() {
            return Map.of();
        }

        /** The PKI's trusted certificates (may read files). */
        default Collection<java.security.cert.X509Certificate> trustedCertificates() {
            return List.of();
        }

        /** The PKI's issuer certificates (may read files). */
        default Collection<java.security.cert.X509Certificate> issuerCertificates() {
            return List.of();
        }

        /** Certificate files named in the MQTT and audit configurations. */
        default List<CertificateMetrics.CertFile> certificateFiles() {
            return List.of();
        }
    }

    private record Occurrence(String kind, String subject, Severity severity, String explanation, Instant time) {
    }

    private final Clock clock;
    private final Services services;
    private final MetricRegistry registry = new MetricRegistry();
    private final AlarmEngine alarms;
    private final Baseline baseline;
    private final EventLimiter limiter;
    private final SecurityCounters security;
    private final AuditTail tail;
    private final Queue<Occurrence> occurrences = new ConcurrentLinkedQueue<>();
    private volatile List<HealthMetric> last = List.of();
    private final Supplier<Path> stateDir;
    private boolean baselineLoaded;
    private final BaselineFile baselineFile = new BaselineFile();

    HealthMonitor(HealthConfig config, Clock clock, TagBus bus, SystemProbe probe, ClockSync sync, String version,
            Supplier<String> configHash, Supplier<Path> stateDir, Supplier<Long> certDays, Services services) {
        this.clock = clock;
        this.services = services;
        this.stateDir = stateDir;
        Instant start = clock.instant();
        this.alarms = new AlarmEngine(AlarmDefaults.rules(config));
        this.limiter = new EventLimiter(Duration.ofSeconds(config.event_interval_s()), 20);
        this.baseline = new Baseline(new Baseline.Settings(Duration.ofMillis((long) (config.learning_hours() * 3_600_000)),
                config.login_burst(), config.write_rate_factor(), config.poll_drift_percent()), start,
                (k, s, sev, x, t) -> occurrences.add(new Occurrence(k, s, sev, x, t)));
        this.security = new SecurityCounters(() -> {
            AuditQuery q = services.auditQuery();
            return q == null ? null : q.summary();
        });
        this.tail = new AuditTail(e -> {
            security.accept(e);
            baseline.onAudit(e);
        });
        GatewayMetrics.register(registry, probe, clock, start, version, configHash, stateDir, certDays, sync);
        registry.register(new DeviceMetrics(bus, clock, services::driverStatistics));
        registry.register(security);
        registry.register(new CertificateMetrics(clock, new CertificateMetrics.Sources() {
            @Override
            public Collection<java.security.cert.X509Certificate> trusted() {
                return services.trustedCertificates();
            }

            @Override
            public Collection<java.security.cert.X509Certificate> issuers() {
                return services.issuerCertificates();
            }

            @Override
            public List<CertificateMetrics.CertFile> files() {
                return services.certificateFiles();
            }
        }, CERTIFICATE_REFRESH));
        registry.register(this::contributed);
    }

    private static final MetricDef EVENT_COUNT = MetricDef.counter(EVENTS + "Count", "cellgate_security_events",
            "Security events reported since the start (repeats within the event interval count once).");
    private static final MetricDef EVENT_LAST = MetricDef.info(EVENTS + "Last", "cellgate_security_event_last",
            "The latest security event: kind, subject and explanation (empty: none).");
    private static final MetricDef EVENT_SEVERITY = MetricDef.info(EVENTS + "Last Severity",
            "cellgate_security_event_last_severity", "Severity of the latest security event (empty: none).");
    private static final MetricDef EVENT_LAST_COUNT = MetricDef.gauge(EVENTS + "Last Count",
            "cellgate_security_event_last_count", MetricType.INT64, "",
            "Occurrences aggregated into the latest security event (0: none).");
    private static final MetricDef LEARNING = MetricDef.gauge(EVENTS + "Learning", "cellgate_security_baseline_learning",
            MetricType.BOOLEAN, "", "True while the baseline of normal behaviour is being learned (no events yet).");
    private static final MetricDef ALARMS_ACTIVE = MetricDef.gauge(ALARMS + "Active", "cellgate_alarms_active",
            MetricType.INT64, "", "Alarms active now.");
    private static final MetricDef ALARMS_SEVERITY = MetricDef.info(ALARMS + "Highest Severity",
            "cellgate_alarms_highest_severity", "The highest severity among the active alarms (empty: none).");
    private static final MetricDef ALARMS_LIST = MetricDef.info(ALARMS + "List", "cellgate_alarms_list",
            "The active alarms as 'rule subject' separated by '; ' (empty: none).");

    /** The metrics of the events and alarms, after this round's evaluation. */
    private List<HealthMetric> own() {
        SecurityEvent e = lastEvent();
        List<HealthAlarm> active = alarms.active();
        return List.of(EVENT_COUNT.with(limiter.reported()),
                EVENT_LAST.with(e == null ? "" : e.kind() + " " + e.subject() + ": " + e.explanation()),
                EVENT_SEVERITY.with(e == null ? "" : e.severity().name()),
                EVENT_LAST_COUNT.with(e == null ? 0L : e.count()),
                LEARNING.with(baseline.learning(clock.instant())),
                ALARMS_ACTIVE.with((long) active.size()),
                ALARMS_SEVERITY.with(active.stream().map(HealthAlarm::severity).max(Enum::compareTo).map(Enum::name)
                        .orElse("")),
                ALARMS_LIST.with(String.join("; ", active.stream().map(a -> a.rule() + " " + a.subject()).toList())));
    }

    private SecurityEvent lastEvent() {
        List<SecurityEvent> recent = limiter.recent();
        return recent.isEmpty() ? null : recent.get(recent.size() - 1);
    }

    private List<HealthMetric> contributed() {
        List<HealthMetric> out = new ArrayList<>();
        for (HealthContributor c : services.contributors()) {
            List<HealthMetric> m = c.metrics();
            if (m != null) {
                out.addAll(m);
            }
        }
        return out;
    }

    /** One round: audit trail, events, sample, alarms. */
    void tick() {
        Instant now = clock.instant();
        Path dir = stateDir.get();
        if (!baselineLoaded && dir != null) {
            baselineLoaded = true;
            BaselineFile.load(dir, baseline);
        }
        tail.poll(services.auditQuery(), AUDIT_PAGES);
        List<HealthMetric> sample = registry.sample();
        for (HealthMetric m : sample) {
            if (m.name().startsWith(DeviceMetrics.PREFIX) && m.name().endsWith("/" + DeviceMetrics.POLL_RATE)
                    && m.value() instanceof Double rate) {
                baseline.onPollRate(m.labels().get("device"), rate, now);
            }
        }
        reportOccurrences();
        for (SecurityEvent repeated : limiter.close(now)) {
            audit(repeated, "repeated " + repeated.count() + " times from " + repeated.first() + " to " + repeated.last());
        }
        for (AlarmEngine.Change c : alarms.evaluate(sample, now)) {
            if (c.raised()) {
                LOG.warn("health alarm {} raised ({}): {}", c.alarm().rule(), c.alarm().severity(), c.alarm().message());
            } else {
                LOG.info("health alarm {} cleared: {}", c.alarm().rule(), c.alarm().message());
            }
        }
        if (dir != null) {
            baselineFile.save(dir, baseline);
        }
        List<HealthMetric> all = new ArrayList<>(sample);
        all.addAll(own());
        all.sort(java.util.Comparator.comparing(HealthMetric::name));
        last = List.copyOf(all);
    }

    private void reportOccurrences() {
        Occurrence o;
        while ((o = occurrences.poll()) != null) {
            EventLimiter.Outcome out = limiter.offer(o.kind(), o.subject(), o.severity(), o.explanation(), o.time());
            if (out.reported() != null) {
                SecurityEvent e = out.reported();
                LOG.warn("security event {} {} ({}): {}", e.kind(), e.subject(), e.severity(), e.explanation());
                audit(e, e.explanation());
            }
        }
    }

    private void audit(SecurityEvent e, String text) {
        AuditSink sink = services.auditSink();
        if (sink == null) {
            return;
        }
        boolean ok = sink.record(new AuditEvent(clock.instant(), "system", null, AUDIT_ACTION, e.kind() + " " + e.subject(),
                AuditEvent.Result.SUCCESS, e.severity() + ": " + text, null));
        if (!ok) {
            LOG.warn("security event {} {} could not be audited (the trail is not writable)", e.kind(), e.subject());
        }
    }

    // TagListener: device exceptions, on the poller's thread (only queued here).
    @Override
    public void onValue(TagInfo tag, TagValue value) {
        if (value.reason() == QualityReason.DEVICE_EXCEPTION) {
            baseline.onDeviceException(tag.path().device(), value.detail(), value.sourceTime());
        }
    }

    @Override
    public void onDeviceState(DeviceState state) {
        // the device metrics read the bus at each sample
    }

    @Override
    public List<HealthMetric> metrics() {
        return last;
    }

    @Override
    public List<HealthAlarm> alarms() {
        return alarms.active();
    }

    @Override
    public List<SecurityEvent> events() {
        return limiter.recent();
    }

    @Override
    public long eventCount() {
        return limiter.reported();
    }

    Baseline baseline() {
        return baseline;
    }
}
