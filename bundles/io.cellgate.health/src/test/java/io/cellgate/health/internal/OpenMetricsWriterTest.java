package io.cellgate.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.health.HealthMetric;
import io.cellgate.api.health.MetricType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenMetricsWriterTest {

    private static final MetricDef STATE = MetricDef.info("State", "cellgate_device_state", "the \"state\"\nof it");

    private static List<HealthMetric> sample() {
        return List.of(
                MetricDef.gauge("Health/Gateway/Uptime", "cellgate_gateway_uptime", MetricType.INT64, "seconds", "up")
                        .with(90L),
                MetricDef.gauge("Health/Gateway/Heap Used Ratio", "cellgate_gateway_heap_used", MetricType.DOUBLE, "ratio",
                        "heap").with(0.3125),
                MetricDef.gauge("Health/Gateway/Heap Used", "cellgate_gateway_heap_used", MetricType.INT64, "bytes", "heap")
                        .with(52428800L),
                MetricDef.info("Health/Gateway/Version", "cellgate_gateway_version", "version").with("1.2.3"),
                MetricDef.counter("Health/Security/Failed Logins", "cellgate_security_failed_logins", "fails").with(7L),
                MetricDef.gauge("Health/Security/Audit Chain OK", "cellgate_security_audit_chain_ok", MetricType.BOOLEAN, "",
                        "chain").with(true),
                MetricDef.gauge("Health/Gateway/Certificate Expiry Days", "cellgate_gateway_certificate_expiry",
                        MetricType.INT64, "days", "cert").with(null),
                STATE.forSubject("Health/Devices/b\\x/", "device", "b\\x").with("FAILING"),
                STATE.forSubject("Health/Devices/a\"q/", "device", "a\"q").with("CONNECTED"));
    }

    @Test
    void write_sample_exactText() {
        String text = OpenMetricsWriter.write(sample());

        assertThat(text).isEqualTo("""
                # TYPE cellgate_device_state info
                # HELP cellgate_device_state the \\"state\\"\\nof it
                cellgate_device_state_info{device="a\\"q",value="CONNECTED"} 1
                cellgate_device_state_info{device="b\\\\x",value="FAILING"} 1
                # TYPE cellgate_gateway_certificate_expiry_days gauge
                # UNIT cellgate_gateway_certificate_expiry_days days
                # HELP cellgate_gateway_certificate_expiry_days cert
                # TYPE cellgate_gateway_heap_used_bytes gauge
                # UNIT cellgate_gateway_heap_used_bytes bytes
                # HELP cellgate_gateway_heap_used_bytes heap
                cellgate_gateway_heap_used_bytes 52428800
                # TYPE cellgate_gateway_heap_used_ratio gauge
                # UNIT cellgate_gateway_heap_used_ratio ratio
                # HELP cellgate_gateway_heap_used_ratio heap
                cellgate_gateway_heap_used_ratio 0.3125
                # TYPE cellgate_gateway_uptime_seconds gauge
                # UNIT cellgate_gateway_uptime_seconds seconds
                # HELP cellgate_gateway_uptime_seconds up
                cellgate_gateway_uptime_seconds 90
                # TYPE cellgate_gateway_version info
                # HELP cellgate_gateway_version version
                cellgate_gateway_version_info{value="1.2.3"} 1
                # TYPE cellgate_security_audit_chain_ok gauge
                # HELP cellgate_security_audit_chain_ok chain
                cellgate_security_audit_chain_ok 1
                # TYPE cellgate_security_failed_logins counter
                # HELP cellgate_security_failed_logins fails
                cellgate_security_failed_logins_total 7
                # EOF
                """);
    }

    @Test
    void number_formats_plainOrSpecial() {
        assertThat(OpenMetricsWriter.number(1e-7)).isEqualTo("0.0000001");
        assertThat(OpenMetricsWriter.number(-3)).isEqualTo("-3");
        assertThat(OpenMetricsWriter.number(Double.NaN)).isEqualTo("NaN");
        assertThat(OpenMetricsWriter.number(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    }

    @Test
    void write_sameFamilyOtherKind_droppedNotInvalid() {
        String text = OpenMetricsWriter.write(List.of(
                MetricDef.counter("A", "cellgate_x", "").with(1L),
                MetricDef.gauge("B", "cellgate_x", MetricType.INT64, "", "").with(2L)));

        assertThat(text).contains("cellgate_x_total 1").doesNotContain("cellgate_x 2");
    }

    /** The full sample of a monitor, parsed by an independent, strict OpenMetrics parser (prometheus_client). */
    @Test
    void write_everyMetricOfAMonitor_parsedByPrometheusClient(@TempDir Path dir) throws Exception {
        FakeBus bus = new FakeBus();
        bus.put(FakeBus.tag("press-1", "power", "fast", 1000), null);
        bus.devices.put("press-1", new io.cellgate.api.bus.DeviceState("press-1",
                io.cellgate.api.bus.DeviceState.Status.CONNECTED, null, java.time.Instant.now(), 4, 0, 4, 2.5));
        FakeClock clock = new FakeClock();
        HealthMonitor monitor = new HealthMonitor(Configs.health(Map.of()), clock, bus, new GatewayMetricsTest.FakeProbe(),
                new ClockSync(c -> "yes", clock, java.time.Duration.ofMinutes(1)), "0.1.0", () -> "ab12", () -> dir,
                () -> 364L, new HealthMonitor.Services() {
                    @Override public io.cellgate.api.audit.AuditQuery auditQuery() { return null; }
                    @Override public io.cellgate.api.audit.AuditSink auditSink() { return null; }
                    @Override public java.util.Collection<io.cellgate.api.health.HealthContributor> contributors() {
                        return List.of();
                    }
                });
        monitor.tick();
        String text = OpenMetricsWriter.write(monitor.metrics());

        String parsed = parse(text, dir);

        assertThat(parsed).contains("family cellgate_gateway_uptime_seconds gauge seconds",
                "family cellgate_device_state info -",
                "sample cellgate_device_state_info {device=press-1,value=CONNECTED} 1",
                "family cellgate_device_polls counter -", "sample cellgate_device_polls_total {device=press-1} 4",
                "sample cellgate_device_round_trip_last_seconds {device=press-1} 0.0025",
                "sample cellgate_gateway_certificate_expiry_days {} 364",
                "sample cellgate_gateway_config_hash_info {value=ab12} 1",
                "sample cellgate_security_baseline_learning {} 1");
        long families = parsed.lines().filter(l -> l.startsWith("family ")).count();
        assertThat(families).isEqualTo(monitor.metrics().stream().map(OpenMetricsWriter::familyName).distinct().count());
    }

    static String parse(String text, Path dir) throws IOException, InterruptedException {
        Path script = dir.resolve("parse.py");
        try (InputStream in = OpenMetricsWriterTest.class.getResourceAsStream("/openmetrics_parse.py")) {
            Files.copy(in, script);
        }
        // Debian's python3-prometheus-client is importable only from /usr/bin/python3 (STACK.md).
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString()).redirectErrorStream(true).start();
        try (OutputStream os = p.getOutputStream()) {
            os.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("parser output:\n" + out + "\ninput:\n" + text).isZero();
        return out;
    }
}
