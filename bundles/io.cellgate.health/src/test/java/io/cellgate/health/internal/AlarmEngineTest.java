package io.cellgate.health.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellgate.api.health.HealthAlarm;
import io.cellgate.api.health.HealthMetric;
import io.cellgate.api.health.MetricType;
import io.cellgate.api.health.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlarmEngineTest {

    private final FakeClock clock = new FakeClock();
    private final AlarmEngine engine = new AlarmEngine(AlarmDefaults.rules(Configs.health(Map.of())));
    private final List<AlarmEngine.Change> changes = new ArrayList<>();

    private static HealthMetric ratio(String name, Double v) {
        return MetricDef.gauge(name, "x", MetricType.DOUBLE, "ratio", "").with(v);
    }

    private static HealthMetric days(Long v) {
        return MetricDef.gauge(GatewayMetrics.CERT_DAYS, "x", MetricType.INT64, "days", "").with(v);
    }

    private static HealthMetric down(String device, boolean v) {
        return MetricDef.gauge(DeviceMetrics.PREFIX + device + "/Down", "x", MetricType.BOOLEAN, "", "").with(v);
    }

    /** Samples the metrics every 5 s for {@code seconds}. */
    private void run(int seconds, HealthMetric... metrics) {
        for (int t = 0; t < seconds; t += 5) {
            changes.addAll(engine.evaluate(List.of(metrics), clock.instant()));
            clock.advance(Duration.ofSeconds(5));
        }
    }

    private List<String> raised() {
        return changes.stream().filter(AlarmEngine.Change::raised).map(c -> c.alarm().rule() + " " + c.alarm().subject()).toList();
    }

    private List<String> cleared() {
        return changes.stream().filter(c -> !c.raised()).map(c -> c.alarm().rule() + " " + c.alarm().subject()).toList();
    }

    @Test
    void diskFree_belowRaiseForHold_raisedOnce() {
        run(55, ratio(GatewayMetrics.DISK_FREE_RATIO, 0.08));
        assertThat(raised()).isEmpty();

        run(30, ratio(GatewayMetrics.DISK_FREE_RATIO, 0.08));

        assertThat(raised()).containsExactly("disk.free " + GatewayMetrics.DISK_FREE_RATIO);
        HealthAlarm a = engine.active().get(0);
        assertThat(a.severity()).isEqualTo(Severity.HIGH);
        assertThat(a.message()).contains("0.08").contains("raised at <= 0.1").contains("clears above 0.15");
    }

    @Test
    void diskFree_shortDipShorterThanHold_noAlarm() {
        run(30, ratio(GatewayMetrics.DISK_FREE_RATIO, 0.05));
        run(10, ratio(GatewayMetrics.DISK_FREE_RATIO, 0.5));
        run(30, ratio(GatewayMetrics.DISK_FREE_RATIO, 0.05));

        assertThat(raised()).isEmpty();
        assertThat(engine.active()).isEmpty();
    }

    @Test
    void heap_betweenThresholds_staysRaised_clearsOnlyBelowLowerForHold() {
        run(65, ratio(GatewayMetrics.HEAP_RATIO, 0.95));
        assertThat(engine.active()).hasSize(1);

        // between clear (0.80) and raise (0.90): no flapping
        run(300, ratio(GatewayMetrics.HEAP_RATIO, 0.85));
        assertThat(engine.active()).hasSize(1);
        assertThat(cleared()).isEmpty();

        run(30, ratio(GatewayMetrics.HEAP_RATIO, 0.5));
        assertThat(cleared()).isEmpty();
        run(35, ratio(GatewayMetrics.HEAP_RATIO, 0.5));

        assertThat(cleared()).containsExactly("heap " + GatewayMetrics.HEAP_RATIO);
        assertThat(engine.active()).isEmpty();
        assertThat(raised()).hasSize(1);
    }

    @Test
    void outboxFill_contributedMetric_raisedAndCleared() {
        run(65, ratio(AlarmDefaults.OUTBOX_FILL, 0.81));
        run(65, ratio(AlarmDefaults.OUTBOX_FILL, 0.59));

        assertThat(raised()).containsExactly("outbox.fill " + AlarmDefaults.OUTBOX_FILL);
        assertThat(cleared()).containsExactly("outbox.fill " + AlarmDefaults.OUTBOX_FILL);
    }

    @Test
    void firewallDrift_contributedMetric_raisedAfterHold_unknownChangesNothing_clearedWhenGone() {
        HealthMetric drift = MetricDef.gauge(AlarmDefaults.FIREWALL_DRIFT, "x", MetricType.BOOLEAN, "", "").with(true);
        run(30, drift);
        assertThat(raised()).isEmpty();
        run(35, drift);
        run(65, drift.withValue(null));
        run(65, drift.withValue(false));

        assertThat(raised()).containsExactly("firewall.drift " + AlarmDefaults.FIREWALL_DRIFT);
        assertThat(cleared()).containsExactly("firewall.drift " + AlarmDefaults.FIREWALL_DRIFT);
    }

    @Test
    void certificateExpiry_under30Days_raisedAtOnce_clearedAfterRenewal() {
        run(5, days(30L));
        assertThat(raised()).isEmpty();

        run(5, days(29L));
        assertThat(raised()).containsExactly("certificate.expiry " + GatewayMetrics.CERT_DAYS);

        run(5, days(31L));
        assertThat(cleared()).isEmpty();
        run(5, days(365L));
        assertThat(cleared()).hasSize(1);
    }

    @Test
    void deviceDown_perDevice_afterItsHold_removedDeviceClears() {
        run(25, down("press", true), down("robot", false));
        assertThat(raised()).isEmpty();
        run(10, down("press", true), down("robot", false));
        assertThat(raised()).containsExactly("device.down Health/Devices/press/Down");

        run(5, down("robot", false)); // press removed from the configuration

        assertThat(cleared()).containsExactly("device.down Health/Devices/press/Down");
        assertThat(engine.active()).isEmpty();
    }

    @Test
    void unknownValue_changesNothing_restartsHold() {
        run(40, ratio(GatewayMetrics.DISK_FREE_RATIO, 0.05));
        run(5, ratio(GatewayMetrics.DISK_FREE_RATIO, null));
        run(40, ratio(GatewayMetrics.DISK_FREE_RATIO, 0.05));
        assertThat(raised()).isEmpty();

        run(30, ratio(GatewayMetrics.DISK_FREE_RATIO, 0.05));
        run(100, ratio(GatewayMetrics.DISK_FREE_RATIO, null));

        assertThat(raised()).hasSize(1);
        assertThat(engine.active()).hasSize(1);
    }

    @Test
    void rule_clearBeyondRaiseOrDuplicateId_refusedNamingIt() {
        assertThatThrownBy(() -> new AlarmRule("heap", "m", AlarmRule.Direction.ABOVE, 0.8, 0.9, Duration.ZERO,
                Severity.LOW, "")).hasMessageContaining("alarm heap").hasMessageContaining("at most");
        AlarmRule r = new AlarmRule("x", "m", AlarmRule.Direction.BELOW, 1, 2, Duration.ZERO, Severity.LOW, "");
        assertThatThrownBy(() -> new AlarmEngine(List.of(r, r))).hasMessageContaining("x defined twice");
    }

    @Test
    void pattern_starIsOneSegment() {
        AlarmRule r = new AlarmRule("d", "Health/Devices/*/Down", AlarmRule.Direction.ABOVE, 1, 0.5, Duration.ZERO,
                Severity.LOW, "");

        assertThat(r.matches("Health/Devices/press/Down")).isTrue();
        assertThat(r.matches("Health/Devices/a/b/Down")).isFalse();
        assertThat(r.matches("Health/Devices/press/Downtime")).isFalse();
    }
}
