package io.cellgate.health.internal;

import io.cellgate.api.health.MetricType;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;

/** The gateway's own metrics (JVM, OS, versions), registered into a {@link MetricRegistry}. */
final class GatewayMetrics {

    static final String PREFIX = "Health/Gateway/";
    static final String HEAP_RATIO = PREFIX + "Heap Used Ratio";
    static final String DISK_FREE_RATIO = PREFIX + "Disk Free Ratio";
    static final String CERT_DAYS = PREFIX + "Certificate Expiry Days";
    private static final long MIB = 1 << 20;

    private GatewayMetrics() {
    }

    /**
     * @param started    when the gateway started
     * @param version    the software version
     * @param configHash the applied configuration's hash (null: none applied yet)
     * @param stateDir   the state directory (null: not configured)
     * @param certDays   days until the gateway certificate expires (null: unknown)
     */
    static void register(MetricRegistry r, SystemProbe probe, Clock clock, Instant started, String version,
            Supplier<String> configHash, Supplier<Path> stateDir, Supplier<Long> certDays, ClockSync sync) {
        r.register(MetricDef.gauge(PREFIX + "Uptime", "cellgate_gateway_uptime", MetricType.INT64, "seconds",
                "Seconds since the gateway started."), () -> (clock.millis() - started.toEpochMilli()) / 1000);
        r.register(MetricDef.info(PREFIX + "Version", "cellgate_gateway_version", "The gateway software version."),
                () -> version);
        r.register(MetricDef.info(PREFIX + "Config Hash", "cellgate_gateway_config_hash",
                "SHA-256 of the applied cell configuration (empty before the first apply)."),
                () -> nonNull(configHash.get()));
        r.register(MetricDef.gauge(PREFIX + "Process CPU", "cellgate_gateway_process_cpu", MetricType.DOUBLE, "ratio",
                "CPU load of the gateway process, 0 to 1 of all cores (-1: unknown)."),
                () -> round(probe.processCpuLoad(), 100));
        // Rounded down to whole MiB: a value that changes at every sample would put it in every NDATA.
        r.register(MetricDef.gauge(PREFIX + "Heap Used", "cellgate_gateway_heap_used", MetricType.INT64, "bytes",
                "Java heap in use, in whole MiB."), () -> probe.heapUsedBytes() / MIB * MIB);
        r.register(MetricDef.gauge(PREFIX + "Heap Max", "cellgate_gateway_heap_max", MetricType.INT64, "bytes",
                "The Java heap limit (-Xmx; -1: none)."), probe::heapMaxBytes);
        r.register(MetricDef.gauge(HEAP_RATIO, "cellgate_gateway_heap_used", MetricType.DOUBLE, "ratio",
                "Heap in use over the heap limit, 0 to 1 (unknown without a limit)."), () -> {
                    long max = probe.heapMaxBytes();
                    return max <= 0 ? null : round((double) probe.heapUsedBytes() / max, 100);
                });
        r.register(MetricDef.gauge(PREFIX + "Threads", "cellgate_gateway_threads", MetricType.INT64, "",
                "Live threads of the JVM."), () -> (long) probe.liveThreads());
        r.register(MetricDef.gauge(PREFIX + "Disk Free", "cellgate_gateway_disk_free", MetricType.INT64, "bytes",
                "Usable space on the state directory's file system, in whole MiB."), () -> {
                    long free = probe.usableBytes(stateDir.get());
                    return free < 0 ? null : free / MIB * MIB;
                });
        r.register(MetricDef.gauge(DISK_FREE_RATIO, "cellgate_gateway_disk_free", MetricType.DOUBLE, "ratio",
                "Usable space over the size of the state directory's file system, 0 to 1."), () -> {
                    Path dir = stateDir.get();
                    long free = probe.usableBytes(dir);
                    long total = probe.totalBytes(dir);
                    return free < 0 || total <= 0 ? null : round((double) free / total, 1000);
                });
        r.register(MetricDef.gauge(PREFIX + "Clock Synchronized", "cellgate_gateway_clock_synchronized",
                MetricType.INT64, "", "1: the system clock is NTP-synchronised, 0: it is not, -1: unknown (no systemd)."),
                () -> sync.state());
        r.register(MetricDef.gauge(CERT_DAYS, "cellgate_gateway_certificate_expiry", MetricType.INT64, "days",
                "Days until the gateway's certificate expires (unknown before the PKI is up)."), certDays);
    }

    static String nonNull(String s) {
        return s == null ? "" : s;
    }

    static double round(double v, int per) {
        return Math.round(v * per) / (double) per;
    }

}
