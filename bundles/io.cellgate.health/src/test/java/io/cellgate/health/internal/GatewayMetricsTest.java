package io.cellgate.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.health.HealthMetric;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {

    private static final long MIB = 1 << 20;

    /** A probe with values the test sets. */
    static final class FakeProbe implements SystemProbe {
        double cpu = 0.123;
        long heapUsed = 50 * MIB + 12345;
        long heapMax = 160 * MIB;
        int threads = 42;
        long usable = 3000 * MIB + 17;
        long total = 10000 * MIB;
        final List<Path> asked = new ArrayList<>();

        @Override public double processCpuLoad() { return cpu; }
        @Override public long heapUsedBytes() { return heapUsed; }
        @Override public long heapMaxBytes() { return heapMax; }
        @Override public int liveThreads() { return threads; }
        @Override public long usableBytes(Path dir) { asked.add(dir); return usable; }
        @Override public long totalBytes(Path dir) { return total; }
    }

    private final FakeClock clock = new FakeClock();
    private final FakeProbe probe = new FakeProbe();
    private final AtomicReference<String> hash = new AtomicReference<>();
    private final AtomicReference<Long> certDays = new AtomicReference<>();
    private final MetricRegistry registry = new MetricRegistry();
    private final List<List<String>> commands = new ArrayList<>();
    private String timedatectl = "yes\n";

    GatewayMetricsTest() {
        Instant started = clock.instant();
        ClockSync sync = new ClockSync(c -> {
            commands.add(c);
            return timedatectl;
        }, clock, Duration.ofMinutes(1));
        GatewayMetrics.register(registry, probe, clock, started, "1.2.3", hash::get, () -> Path.of("/var/lib/cellgate"),
                certDays::get, sync);
    }

    @Test
    void sample_fromProbeAndClock_everyGatewayMetric() {
        clock.advance(Duration.ofSeconds(90));
        hash.set("abc123");
        certDays.set(400L);

        List<HealthMetric> m = registry.sample();

        assertThat(Metrics.value(m, "Health/Gateway/Uptime")).isEqualTo(90L);
        assertThat(Metrics.value(m, "Health/Gateway/Version")).isEqualTo("1.2.3");
        assertThat(Metrics.value(m, "Health/Gateway/Config Hash")).isEqualTo("abc123");
        assertThat(Metrics.value(m, "Health/Gateway/Process CPU")).isEqualTo(0.12);
        assertThat(Metrics.value(m, "Health/Gateway/Heap Used")).isEqualTo(50 * MIB);
        assertThat(Metrics.value(m, "Health/Gateway/Heap Max")).isEqualTo(160 * MIB);
        assertThat(Metrics.value(m, GatewayMetrics.HEAP_RATIO)).isEqualTo(0.31);
        assertThat(Metrics.value(m, "Health/Gateway/Threads")).isEqualTo(42L);
        assertThat(Metrics.value(m, "Health/Gateway/Disk Free")).isEqualTo(3000 * MIB);
        assertThat(Metrics.value(m, GatewayMetrics.DISK_FREE_RATIO)).isEqualTo(0.3);
        assertThat(Metrics.value(m, "Health/Gateway/Clock Synchronized")).isEqualTo(1L);
        assertThat(Metrics.value(m, GatewayMetrics.CERT_DAYS)).isEqualTo(400L);
        assertThat(probe.asked).contains(Path.of("/var/lib/cellgate"));
        assertThat(Metrics.get(m, "Health/Gateway/Uptime").unit()).isEqualTo("seconds");
    }

    @Test
    void sample_nothingKnownYet_unknownNotInvented() {
        probe.heapMax = -1;
        probe.usable = -1;
        probe.cpu = -1;
        timedatectl = null;

        List<HealthMetric> m = registry.sample();

        assertThat(Metrics.value(m, "Health/Gateway/Config Hash")).isEqualTo("");
        assertThat(Metrics.value(m, GatewayMetrics.HEAP_RATIO)).isNull();
        assertThat(Metrics.value(m, "Health/Gateway/Disk Free")).isNull();
        assertThat(Metrics.value(m, GatewayMetrics.DISK_FREE_RATIO)).isNull();
        assertThat(Metrics.value(m, GatewayMetrics.CERT_DAYS)).isNull();
        assertThat(Metrics.value(m, "Health/Gateway/Process CPU")).isEqualTo(-1.0);
        assertThat(Metrics.value(m, "Health/Gateway/Clock Synchronized")).isEqualTo(-1L);
    }

    @Test
    void clockSync_askedOncePerMaxAge() {
        registry.sample();
        registry.sample();
        clock.advance(Duration.ofSeconds(59));
        registry.sample();
        assertThat(commands).hasSize(1).first().isEqualTo(ClockSync.COMMAND);

        timedatectl = "no";
        clock.advance(Duration.ofSeconds(1));

        assertThat(Metrics.value(registry.sample(), "Health/Gateway/Clock Synchronized")).isEqualTo(0L);
        assertThat(commands).hasSize(2);
    }

    @Test
    void clockSyncParse_outputs_yesNoOrUnknown() {
        assertThat(ClockSync.parse("yes\n")).isEqualTo(ClockSync.YES);
        assertThat(ClockSync.parse("no")).isEqualTo(ClockSync.NO);
        assertThat(ClockSync.parse("")).isEqualTo(ClockSync.UNKNOWN);
        assertThat(ClockSync.parse(null)).isEqualTo(ClockSync.UNKNOWN);
    }

    @Test
    void runProcess_missingCommand_null() {
        assertThat(ClockSync.runProcess(List.of("/nonexistent/cellgate-no-such-command"))).isNull();
        assertThat(ClockSync.runProcess(List.of("/bin/echo", "yes"))).isEqualTo("yes\n");
    }

    @Test
    void jvmProbe_thisJvm_plausibleValues(@org.junit.jupiter.api.io.TempDir Path dir) {
        JvmProbe p = new JvmProbe();

        assertThat(p.heapUsedBytes()).isPositive();
        assertThat(p.liveThreads()).isPositive();
        assertThat(p.usableBytes(dir.resolve("not/yet/there"))).isPositive().isLessThanOrEqualTo(p.totalBytes(dir));
        assertThat(p.processCpuLoad()).isBetween(-1.0, 1.0);
    }
}
