package io.cellgate.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditEvent.Result;
import io.cellgate.api.audit.AuditQuery;
import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.health.HealthContributor;
import io.cellgate.api.health.HealthMetric;
import io.cellgate.api.health.MetricType;
import io.cellgate.api.tag.QualityReason;
import io.cellgate.api.tag.TagValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class HealthMonitorTest {

    private final FakeClock clock = new FakeClock();
    private final FakeBus bus = new FakeBus();
    private final AuditTailTest.MemoryTrail trail = new AuditTailTest.MemoryTrail();
    private final List<AuditEvent> audited = new ArrayList<>();
    private final List<HealthContributor> contributors = new CopyOnWriteArrayList<>();
    private HealthMonitor monitor;
    private HealthMonitor.Services services;

    @org.junit.jupiter.api.io.TempDir
    Path state;

    @org.junit.jupiter.api.BeforeEach
    void setUp() {
        AuditSink sink = e -> {
            audited.add(e);
            trail.add(e); // like the real trail: what is audited can be read back
            return true;
        };
        services = new HealthMonitor.Services() {
            @Override public AuditQuery auditQuery() { return trail; }
            @Override public AuditSink auditSink() { return sink; }
            @Override public Collection<HealthContributor> contributors() { return contributors; }
        };
        monitor = newMonitor();
        bus.put(FakeBus.tag("press", "power", "fast", 1000), TagValue.good(1f, clock.instant()));
        bus.devices.put("press", new DeviceState("press", DeviceState.Status.CONNECTED, null, clock.instant(), 1, 0, 1, 2));
    }

    private HealthMonitor newMonitor() {
        return new HealthMonitor(Configs.health(Map.of("learning_hours", 0.5, "alarm_hold_s", 0)), clock, bus,
                new GatewayMetricsTest.FakeProbe(), new ClockSync(c -> null, clock, Duration.ofMinutes(1)), "1.0.0",
                () -> "hash", () -> state, () -> 200L, services);
    }

    @Test
    void restart_afterLearning_baselineRestoredNotLearnedAgain() {
        monitor.tick(); // the tail starts at the trail's head
        trail.add(new AuditEvent(clock.instant(), "scada", "10.1.0.5:1", "login", "password", Result.SUCCESS, null, null));
        learn();
        assertThat(BaselineFile.path(state)).exists();

        monitor = newMonitor(); // a restart: same state directory
        monitor.tick();
        assertThat(Metrics.value(monitor.metrics(), "Health/Events/Learning")).isEqualTo(false);
        trail.add(new AuditEvent(clock.instant(), "scada", "10.1.0.5:2", "login", "password", Result.SUCCESS, null, null));
        trail.add(new AuditEvent(clock.instant(), "intruder", "10.9.9.9:2", "login", "password", Result.SUCCESS, null,
                null));
        monitor.tick();

        assertThat(monitor.events()).extracting(e -> e.subject()).containsExactly("intruder from 10.9.9.9");
    }

    @Test
    void restart_duringLearning_windowNotExtended() throws Exception {
        monitor.tick();
        clock.advance(Duration.ofMinutes(20));
        monitor = newMonitor();
        monitor.tick();
        assertThat(Metrics.value(monitor.metrics(), "Health/Events/Learning")).isEqualTo(true);

        clock.advance(Duration.ofMinutes(11)); // 31 min after the first start, 11 after the restart
        monitor.tick();

        assertThat(Metrics.value(monitor.metrics(), "Health/Events/Learning")).isEqualTo(false);
    }

    @Test
    void damagedBaselineFile_learnedAgain() throws Exception {
        java.nio.file.Files.createDirectories(BaselineFile.path(state).getParent());
        java.nio.file.Files.writeString(BaselineFile.path(state), "cellgate-health-baseline 1\nlearnedAt yesterday\nx\n");

        monitor.tick();

        assertThat(Metrics.value(monitor.metrics(), "Health/Events/Learning")).isEqualTo(true);
        assertThat(java.nio.file.Files.readString(BaselineFile.path(state))).contains("learnedAt 2026-11-26T08:30:00Z");
    }

    private void learn() {
        monitor.tick();
        clock.advance(Duration.ofMinutes(31));
        monitor.tick();
    }

    @Test
    void tick_everySource_inOneOrderedSample() {
        contributors.add(() -> List.of(MetricDef.gauge(AlarmDefaults.OUTBOX_FILL, "cellgate_outbox_fill", MetricType.DOUBLE,
                "ratio", "").with(0.1)));

        monitor.tick();
        List<HealthMetric> m = monitor.metrics();

        assertThat(m).extracting(HealthMetric::name).isSorted().contains("Health/Gateway/Uptime",
                "Health/Devices/press/State", "Health/Security/Failed Logins", AlarmDefaults.OUTBOX_FILL,
                "Health/Events/Count", "Health/Events/Learning", "Health/Alarms/Active");
        assertThat(Metrics.value(m, "Health/Events/Learning")).isEqualTo(true);
        assertThat(Metrics.value(m, "Health/Alarms/Active")).isEqualTo(0L);
    }

    @Test
    void tick_loginBurstAfterLearning_eventAuditedAndInMetrics_repeatsCounted() {
        learn();
        for (int i = 0; i < 8; i++) {
            trail.add(new AuditEvent(clock.instant(), "admin", "10.9.9.9:1", "login", "password", Result.DENIED,
                    "wrong password", null));
        }

        monitor.tick();

        assertThat(audited).singleElement().satisfies(a -> {
            assertThat(a.action()).isEqualTo(HealthMonitor.AUDIT_ACTION);
            assertThat(a.resource()).isEqualTo("login.burst 10.9.9.9");
            assertThat(a.reason()).startsWith("HIGH: 5 failed logins from 10.9.9.9");
        });
        List<HealthMetric> m = monitor.metrics();
        assertThat(Metrics.value(m, "Health/Events/Count")).isEqualTo(1L);
        assertThat(Metrics.value(m, "Health/Events/Last Severity")).isEqualTo("HIGH");
        assertThat(Metrics.value(m, "Health/Events/Last Count")).isEqualTo(4L);
        assertThat((String) Metrics.value(m, "Health/Events/Last")).startsWith("login.burst 10.9.9.9: 5 failed logins");
        assertThat(Metrics.value(m, "Health/Security/Failed Logins")).isEqualTo(8L);

        clock.advance(Duration.ofMinutes(5));
        monitor.tick();
        assertThat(audited).hasSize(2).last().extracting(AuditEvent::reason).asString().contains("repeated 4 times");
        // the health.event records read back from the trail are neither logins nor writes
        assertThat(Metrics.value(monitor.metrics(), "Health/Events/Count")).isEqualTo(1L);
    }

    @Test
    void onValue_newDeviceExceptionAfterLearning_event() {
        learn();
        monitor.onValue(bus.infos.values().iterator().next(), TagValue.bad(
                QualityReason.DEVICE_EXCEPTION, "device exception 0x02 illegal data address (function 3)", clock.instant()));

        monitor.tick();

        assertThat(monitor.events()).singleElement().satisfies(e -> assertThat(e.subject())
                .isEqualTo("press exception 0x02 function 3"));
    }

    @Test
    void tick_contributedOutboxFull_alarmRaisedInMetrics() {
        contributors.add(() -> List.of(MetricDef.gauge(AlarmDefaults.OUTBOX_FILL, "cellgate_outbox_fill", MetricType.DOUBLE,
                "ratio", "").with(0.95)));

        monitor.tick();

        assertThat(monitor.alarms()).singleElement().extracting(a -> a.rule()).isEqualTo("outbox.fill");
        assertThat(Metrics.value(monitor.metrics(), "Health/Alarms/Active")).isEqualTo(1L);
        assertThat(Metrics.value(monitor.metrics(), "Health/Alarms/Highest Severity")).isEqualTo("HIGH");
        assertThat(Metrics.value(monitor.metrics(), "Health/Alarms/List")).isEqualTo("outbox.fill " + AlarmDefaults.OUTBOX_FILL);
    }
}
