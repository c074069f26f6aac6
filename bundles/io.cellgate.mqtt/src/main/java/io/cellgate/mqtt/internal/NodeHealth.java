package io.cellgate.mqtt.internal;

import io.cellgate.api.audit.AuditSummary;
import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.bus.TagBus;
import io.cellgate.api.health.GatewayHealth;
import io.cellgate.api.health.HealthMetric;
import io.cellgate.api.health.MetricKind;
import io.cellgate.api.health.MetricType;
import io.cellgate.outbox.OutboxStats;
import io.cellgate.pki.GatewayPki;
import io.cellgate.sparkplug.NodeMetric;
import io.cellgate.sparkplug.proto.SparkplugB.DataType;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The node metrics of the edge node (first part of the gateway's health), sampled on demand. */
final class NodeHealth {

    private static final Logger LOG = LoggerFactory.getLogger(NodeHealth.class);

    /** Replay and loss counters the edge node keeps. */
    record Replay(boolean replaying, long replayedEntries, long rejectedSamples, long refusedEntries) {
    }

    private final EdgeNodeSettings settings;
    private final TagBus bus;
    private final Supplier<GatewayPki> pki;
    private final Clock clock;
    private final Instant started;
    /** The audit trail's summary; null when the sink is not a trail (then the Audit/ metrics say so). */
    private final Supplier<AuditSummary> audit;
    private volatile Supplier<GatewayHealth> gatewayHealth = () -> null;

    NodeHealth(EdgeNodeSettings settings, TagBus bus, Supplier<GatewayPki> pki, Supplier<AuditSummary> audit,
            Clock clock) {
        this.audit = audit;
        this.settings = settings;
        this.bus = bus;
        this.pki = pki;
        this.clock = clock;
        this.started = clock.instant();
    }

    /**
     * The audit summary: Records (last seq), Chain OK (the chain verified intact at start), Failing (the trail cannot
     * be written: writes are refused), Forward Lag (records not yet at the SIEM), Forwarder (off, connected,
     * disconnected), Storage Warning. Without a trail: -1, false, true, -1, "none", false.
     */
    private void audit(List<NodeMetric> m, Instant now) {
        AuditSummary a = null;
        try {
            a = audit == null ? null : audit.get();
        } catch (RuntimeException e) {
            LOG.debug("audit summary not available: {}", e.toString());
        }
        m.add(new NodeMetric("Audit/Records", DataType.Int64, a == null ? -1L : a.lastSeq(), now));
        m.add(new NodeMetric("Audit/Chain OK", DataType.Boolean, a != null && a.chainOk(), now));
        m.add(new NodeMetric("Audit/Failing", DataType.Boolean, a == null || !a.writable(), now));
        m.add(new NodeMetric("Audit/Forward Lag", DataType.Int64, a == null ? -1L : a.forwardLag(), now));
        m.add(new NodeMetric("Audit/Forwarder", DataType.String, a == null ? "none" : a.forwarder(), now));
        m.add(new NodeMetric("Audit/Storage Warning", DataType.Boolean, a != null && a.storageWarning(), now));
    }

    /** The node metrics now. The set of names changes only with the devices (new names need a rebirth). */
    List<NodeMetric> sample(String lastCommand, OutboxStats outbox, Replay replay) {
        Instant now = clock.instant();
        List<NodeMetric> m = new ArrayList<>();
        m.add(new NodeMetric("Node Info/Uptime", DataType.Int64, (now.toEpochMilli() - started.toEpochMilli()) / 1000, now));
        m.add(new NodeMetric("Node Info/Software Version", DataType.String, settings.softwareVersion(), now));
        m.add(new NodeMetric("Node Info/Config Hash", DataType.String,
                settings.configHash() == null ? "" : settings.configHash(), now));
        m.add(new NodeMetric(EdgeNode.LAST_COMMAND, DataType.String, lastCommand, now));
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        // Rounded to MiB: a value that changes on every sample would make every NDATA carry it.
        m.add(new NodeMetric("Health/JVM Heap Used MiB", DataType.Int64, heap.getUsed() >> 20, now));
        m.add(new NodeMetric("Health/JVM Heap Max MiB", DataType.Int64, heap.getMax() < 0 ? -1L : heap.getMax() >> 20, now));
        m.add(new NodeMetric("Health/Process CPU Load", DataType.Double, cpuLoad(), now));
        m.add(new NodeMetric("Health/Disk Free MiB", DataType.Int64, diskFreeMiB(), now));
        GatewayPki p = pki == null ? null : pki.get();
        m.add(new NodeMetric("Health/Certificate Expiry Days", DataType.Int64, p == null ? -1L : p.daysUntilExpiry(), now));
        if (outbox != null) {
            m.add(new NodeMetric("Outbox/Fill Ratio", DataType.Double, Math.round(outbox.fillRatio() * 1000) / 1000.0, now));
            m.add(new NodeMetric("Outbox/Entries", DataType.Int64, outbox.entries(), now));
            m.add(new NodeMetric("Outbox/Bytes", DataType.Int64, outbox.bytes(), now));
            m.add(new NodeMetric("Outbox/Dropped", DataType.Int64, outbox.dropped(), now));
            m.add(new NodeMetric("Outbox/Rejected", DataType.Int64, outbox.rejected() + replay.rejectedSamples(), now));
        }
        m.add(new NodeMetric("Outbox/Replaying", DataType.Boolean, replay.replaying(), now));
        m.add(new NodeMetric("Outbox/Replayed Entries", DataType.Int64, replay.replayedEntries(), now));
        m.add(new NodeMetric("Outbox/Refused By Broker", DataType.Int64, replay.refusedEntries(), now));
        audit(m, now);
        for (DeviceState d : bus.devices()) {
            String base = "Devices/" + d.deviceId() + "/";
            m.add(new NodeMetric(base + "State", DataType.String, d.status().name(), now));
            m.add(new NodeMetric(base + "Poll Count", DataType.Int64, d.pollCount(), now));
            m.add(new NodeMetric(base + "Error Count", DataType.Int64, d.errorCount(), now));
            m.add(new NodeMetric(base + "Round Trip ms", DataType.Double, d.lastRoundTripMillis(), now));
        }
        appendGatewayHealth(m, now, outbox, replay);
        return m;
    }

    /** The health bundle's metrics ({@code Health/...}) join the node metrics: NBIRTH and NDATA. */
    void gatewayHealth(Supplier<GatewayHealth> source) {
        gatewayHealth = source == null ? () -> null : source;
    }

    private void appendGatewayHealth(List<NodeMetric> m, Instant now, OutboxStats outbox, Replay replay) {
        GatewayHealth h = gatewayHealth.get();
        if (h == null) {
            return;
        }
        Set<String> names = new HashSet<>();
        m.forEach(n -> names.add(n.name()));
        // The edge node's own part first, taken now: in the first NBIRTH even before the health bundle sampled it
        // (sampled only while connected, so online).
        List<HealthMetric> all = new ArrayList<>(northbound(outbox, true, replay));
        all.addAll(h.metrics());
        for (HealthMetric hm : all) {
            if (names.add(hm.name())) { // the edge node's own metrics keep their names
                m.add(new NodeMetric(hm.name(), dataType(hm.type()), hm.value(), now));
            }
        }
    }

    static DataType dataType(MetricType type) {
        return switch (type) {
            case BOOLEAN -> DataType.Boolean;
            case INT64 -> DataType.Int64;
            case DOUBLE -> DataType.Double;
            case STRING -> DataType.String;
        };
    }

    /** The northbound part of the gateway's health, contributed to the health bundle (io.cellgate.api.health). */
    static List<HealthMetric> northbound(OutboxStats outbox, boolean online, Replay replay) {
        String p = "Health/Northbound/";
        List<HealthMetric> m = new ArrayList<>();
        m.add(new HealthMetric(p + "MQTT Online", "cellgate_mqtt_online", Map.of(), MetricType.BOOLEAN,
                MetricKind.GAUGE, "", "True while the edge node is connected and born (NBIRTH sent) on a broker.", online));
        m.add(new HealthMetric(p + "Outbox Fill Ratio", "cellgate_outbox_fill", Map.of(), MetricType.DOUBLE,
                MetricKind.GAUGE, "ratio", "The outbox's fill against its byte limit, 0 to 1.",
                outbox == null ? null : Math.round(outbox.fillRatio() * 1000) / 1000.0));
        m.add(new HealthMetric(p + "Outbox Entries", "cellgate_outbox_entries", Map.of(), MetricType.INT64,
                MetricKind.GAUGE, "", "Records in the outbox not yet acknowledged by the broker.",
                outbox == null ? null : outbox.entries()));
        m.add(new HealthMetric(p + "Outbox Dropped", "cellgate_outbox_dropped", Map.of(), MetricType.INT64,
                MetricKind.COUNTER, "", "Records dropped because the outbox was full or they were too old.",
                outbox == null ? 0L : outbox.dropped()));
        m.add(new HealthMetric(p + "Replaying", "cellgate_outbox_replaying", Map.of(), MetricType.BOOLEAN,
                MetricKind.GAUGE, "", "True while stored data is being replayed to the broker.", replay.replaying()));
        m.add(new HealthMetric(p + "Replayed Entries", "cellgate_outbox_replayed_entries", Map.of(), MetricType.INT64,
                MetricKind.COUNTER, "", "Stored records replayed as historical data since the start.",
                replay.replayedEntries()));
        return m;
    }

    static Map<String, Object> values(List<NodeMetric> metrics) {
        Map<String, Object> v = new LinkedHashMap<>();
        metrics.forEach(m -> v.put(m.name(), m.value()));
        return v;
    }

    /** Process CPU load 0..1 (-1 unknown), through JMX so no com.sun.management import is needed under OSGi. */
    private static double cpuLoad() {
        try {
            MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
            Object v = mbs.getAttribute(new ObjectName("java.lang:type=OperatingSystem"), "ProcessCpuLoad");
            return v instanceof Double d && d >= 0 ? Math.round(d * 100) / 100.0 : -1.0;
        } catch (Exception | LinkageError e) {
            LOG.debug("process CPU load unavailable: {}", e.toString());
            return -1.0;
        }
    }

    private long diskFreeMiB() {
        try {
            return Files.getFileStore(Files.exists(settings.stateDir()) ? settings.stateDir()
                    : settings.stateDir().getParent()).getUsableSpace() >> 20;
        } catch (Exception e) {
            return -1L;
        }
    }
}
