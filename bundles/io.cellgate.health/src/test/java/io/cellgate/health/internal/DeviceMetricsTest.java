package io.cellgate.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.bus.DeviceState.Status;
import io.cellgate.api.health.HealthMetric;
import io.cellgate.api.tag.QualityReason;
import io.cellgate.api.tag.TagValue;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceMetricsTest {

    private final FakeClock clock = new FakeClock();
    private final FakeBus bus = new FakeBus();
    private final DeviceMetrics metrics = new DeviceMetrics(bus, clock);

    private void state(String id, Status status, long polls, boolean everGood) {
        bus.devices.put(id, new DeviceState(id, status, null, everGood ? clock.instant().minusSeconds(3) : null, polls, 2,
                polls * 2, everGood ? 4.5 : -1));
    }

    @Test
    void collect_connectedDevice_stateAgeCountersRoundTripAndBadShare() {
        bus.put(FakeBus.tag("press", "a", "fast", 1000), TagValue.good(1f, clock.instant()));
        bus.put(FakeBus.tag("press", "b", "fast", 1000), TagValue.good(2f, clock.instant()));
        bus.put(FakeBus.tag("press", "c", "fast", 1000), TagValue.bad(QualityReason.OUT_OF_RANGE, "x", clock.instant()));
        bus.put(FakeBus.tag("press", "d", "slow", 5000), null);
        state("press", Status.CONNECTED, 10, true);

        List<HealthMetric> m = metrics.collect();

        assertThat(Metrics.value(m, "Health/Devices/press/State")).isEqualTo("CONNECTED");
        assertThat(Metrics.value(m, "Health/Devices/press/Down")).isEqualTo(false);
        assertThat(Metrics.value(m, "Health/Devices/press/Last Good Read Age")).isEqualTo(3L);
        assertThat(Metrics.value(m, "Health/Devices/press/Polls")).isEqualTo(10L);
        assertThat(Metrics.value(m, "Health/Devices/press/Poll Errors")).isEqualTo(2L);
        assertThat(Metrics.value(m, "Health/Devices/press/Requests")).isEqualTo(20L);
        assertThat(Metrics.value(m, "Health/Devices/press/Round Trip Last")).isEqualTo(0.0045);
        assertThat(Metrics.value(m, "Health/Devices/press/Bad Tag Ratio")).isEqualTo(0.5);
        assertThat(Metrics.get(m, "Health/Devices/press/Polls").labels()).containsEntry("device", "press");
    }

    @Test
    void collect_failingOrNeverAnswered_downAndUnknownAge() {
        state("a", Status.FAILING, 5, true);
        state("b", Status.STARTING, 3, false);
        state("c", Status.STARTING, 0, false);
        state("d", Status.DISABLED, 0, false);

        List<HealthMetric> m = metrics.collect();

        assertThat(Metrics.value(m, "Health/Devices/a/Down")).isEqualTo(true);
        assertThat(Metrics.value(m, "Health/Devices/b/Down")).isEqualTo(true);
        assertThat(Metrics.value(m, "Health/Devices/c/Down")).isEqualTo(false);
        assertThat(Metrics.value(m, "Health/Devices/d/Down")).isEqualTo(false);
        assertThat(Metrics.value(m, "Health/Devices/b/Last Good Read Age")).isNull();
        assertThat(Metrics.value(m, "Health/Devices/b/Round Trip Last")).isNull();
        assertThat(Metrics.value(m, "Health/Devices/b/Bad Tag Ratio")).isNull();
    }

    @Test
    void collect_pollsAgainstConfiguredIntervals_rateRatio() {
        bus.put(FakeBus.tag("m", "a", "fast", 1000), null);
        bus.put(FakeBus.tag("m", "b", "slow", 5000), null);
        state("m", Status.CONNECTED, 100, true);
        assertThat(Metrics.value(metrics.collect(), "Health/Devices/m/Poll Rate Ratio")).isNull();

        // 10 s: 10 fast + 2 slow polls due; 12 done
        clock.advance(Duration.ofSeconds(10));
        state("m", Status.CONNECTED, 112, true);
        assertThat(Metrics.value(metrics.collect(), "Health/Devices/m/Poll Rate Ratio")).isEqualTo(1.0);

        // the next 10 s: only 6 done (polls overran)
        clock.advance(Duration.ofSeconds(10));
        state("m", Status.CONNECTED, 118, true);
        assertThat(Metrics.value(metrics.collect(), "Health/Devices/m/Poll Rate Ratio")).isEqualTo(0.5);
    }
}
