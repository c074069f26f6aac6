package io.cellgate.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.bus.DeviceState.Status;
import io.cellgate.api.driver.RoundTrips;
import io.cellgate.api.driver.SessionStats;
import io.cellgate.api.health.HealthMetric;
import io.cellgate.api.tag.TagValue;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-device metrics from the drivers' statistics: percentiles over the last minute, errors by kind, poll time. */
class DeviceDriverMetricsTest {

    private final FakeClock clock = new FakeClock();
    private final FakeBus bus = new FakeBus();
    private final Map<String, SessionStats> stats = new HashMap<>();
    private final DeviceMetrics metrics = new DeviceMetrics(bus, clock, () -> Map.copyOf(stats));

    private static RoundTrips trips(double millis, long count, RoundTrips base) {
        long[] c = base.counts();
        c[RoundTrips.bucketOf(millis)] += count;
        return new RoundTrips(c);
    }

    private void device(String id) {
        bus.put(FakeBus.tag(id, "a", "fast", 500), TagValue.good(1f, clock.instant()));
        bus.put(FakeBus.tag(id, "b", "slow", 2000), TagValue.good(1f, clock.instant()));
        bus.devices.put(id, new DeviceState(id, Status.CONNECTED, null, clock.instant(), 1, 0, 1, 1));
    }

    @Test
    void collect_driverStats_percentilesErrorsByKindPollTimeAndInterval() {
        device("press");
        RoundTrips rt = trips(2.0, 98, trips(40.0, 2, RoundTrips.EMPTY));
        stats.put("press", new SessionStats(100, 3, 2, 1, 2.0, rt,
                Map.of("timeout", 3L, "exception_0x02", 2L, "bad_response", 1L), 12.5));

        List<HealthMetric> m = metrics.collect();

        // p50 in the 2 ms bucket, p99 in the 40 ms one: upper bounds, at most 19 % above
        assertThat((Double) Metrics.value(m, "Health/Devices/press/Round Trip P50")).isBetween(0.002, 0.00238);
        assertThat((Double) Metrics.value(m, "Health/Devices/press/Round Trip P99")).isBetween(0.040, 0.0476);
        assertThat(Metrics.value(m, "Health/Devices/press/Poll Time Last")).isEqualTo(0.0125);
        assertThat(Metrics.value(m, "Health/Devices/press/Poll Interval")).isEqualTo(0.5);
        assertThat(Metrics.value(m, "Health/Devices/press/Errors/timeout")).isEqualTo(3L);
        assertThat(Metrics.value(m, "Health/Devices/press/Errors/exception_0x02")).isEqualTo(2L);
        assertThat(Metrics.value(m, "Health/Devices/press/Errors/bad_response")).isEqualTo(1L);
        assertThat(Metrics.value(m, "Health/Devices/press/Errors/connect")).isEqualTo(0L);
        assertThat(Metrics.value(m, "Health/Devices/press/Errors/connection_lost")).isEqualTo(0L);
        assertThat(Metrics.value(m, "Health/Devices/press/Errors/refused")).isEqualTo(0L);
        assertThat(Metrics.get(m, "Health/Devices/press/Errors/exception_0x02").labels())
                .containsEntry("device", "press").containsEntry("kind", "exception_0x02");
        assertThat(Metrics.get(m, "Health/Devices/press/Errors/timeout").family()).isEqualTo("cellgate_device_errors");
    }

    @Test
    void collect_percentiles_coverTheLastMinuteOnly() {
        device("press");
        RoundTrips slow = trips(500.0, 100, RoundTrips.EMPTY);
        stats.put("press", new SessionStats(100, 0, 0, 0, 500, slow, Map.of(), 600));
        metrics.collect();
        clock.advance(Duration.ofSeconds(30));
        RoundTrips then = trips(3.0, 100, slow);
        stats.put("press", new SessionStats(200, 0, 0, 0, 3, then, Map.of(), 10));
        metrics.collect();
        clock.advance(Duration.ofSeconds(35));
        stats.put("press", new SessionStats(300, 0, 0, 0, 3, trips(3.0, 100, then), Map.of(), 10));

        List<HealthMetric> m = metrics.collect();

        // the window starts at the 30 s sample: the slow 500 ms answers before it are out
        assertThat((Double) Metrics.value(m, "Health/Devices/press/Round Trip P99")).isLessThan(0.004);
    }

    @Test
    void collect_noAnswersInWindowOrNoDriverStats_unknown() {
        device("press");
        device("other");
        stats.put("press", new SessionStats(0, 0, 0, 0, -1, RoundTrips.EMPTY, Map.of(), -1));

        List<HealthMetric> m = metrics.collect();

        assertThat(Metrics.value(m, "Health/Devices/press/Round Trip P50")).isNull();
        assertThat(Metrics.value(m, "Health/Devices/press/Poll Time Last")).isNull();
        assertThat(Metrics.value(m, "Health/Devices/press/Errors/timeout")).isEqualTo(0L);
        assertThat(Metrics.value(m, "Health/Devices/other/Errors/timeout")).isNull();
        assertThat(Metrics.value(m, "Health/Devices/other/Round Trip P99")).isNull();
    }

    @Test
    void roundTrips_bucketsAndPercentiles() {
        assertThat(RoundTrips.bucketOf(0.05)).isZero();
        assertThat(RoundTrips.upperBoundMillis(RoundTrips.bucketOf(7.0))).isBetween(7.0, 7.0 * 1.19);
        assertThat(RoundTrips.bucketOf(1e9)).isEqualTo(RoundTrips.BUCKETS - 1);
        assertThat(RoundTrips.EMPTY.percentileMillis(0.5)).isEqualTo(-1);
        assertThat(trips(1e9, 1, RoundTrips.EMPTY).percentileMillis(0.99)).isGreaterThan(100_000);
    }
}
