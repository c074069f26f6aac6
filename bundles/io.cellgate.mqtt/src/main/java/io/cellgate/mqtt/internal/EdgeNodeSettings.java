package io.cellgate.mqtt.internal;

import io.cellgate.outbox.OutboxOptions;
import io.cellgate.outbox.OverflowPolicy;
import io.cellgate.sparkplug.SparkplugTopic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The checked settings of an {@link EdgeNode}.
 *
 * @param groupId          Sparkplug group id
 * @param edgeNodeId       Sparkplug edge node id
 * @param primaryHostId    primary host application id, or null for none (births right after connecting)
 * @param commandIdentity  identity of DCMD writes, or null: every DCMD write is refused and audited
 * @param stateDir         {@code <state>/sparkplug}: bdSeq file and {@code outbox/}
 * @param outbox           outbox options (directory inside {@code stateDir})
 * @param maxInFlight      QoS 1 publishes in flight at most (also bounded by the broker's Receive Maximum)
 * @param nodeMetricsInterval how often node metrics are sampled and changes published
 * @param cellId           the cell id (plain JSON topics)
 * @param configHash       the applied configuration's hash, or null
 * @param softwareVersion  the bundle version
 * @param json             plain JSON publishing, or null when off
 * @param batchInterval    bus values are moved into the outbox at most this often (one commit + fsync for all
 *                         devices per move); zero moves at every pass of the edge thread
 */
public record EdgeNodeSettings(String groupId, String edgeNodeId, String primaryHostId, String commandIdentity,
        Path stateDir, OutboxOptions outbox, int maxInFlight, Duration nodeMetricsInterval, String cellId,
        String configHash, String softwareVersion, Json json, Duration batchInterval) {

    /** 20 ms: at most 50 outbox commits per second for new data, and still far below a human's notice. */
    public static final Duration DEFAULT_BATCH_INTERVAL = Duration.ofMillis(20);

    /** Plain JSON publishing: {@code <prefix>/<cell>/<device>/<tag>}. */
    public record Json(String prefix, boolean retain) {
    }

    public EdgeNodeSettings {
        SparkplugTopic.requireValidId(SparkplugConfig.PID + " group.id", groupId);
        SparkplugTopic.requireValidId(SparkplugConfig.PID + " edge.node.id", edgeNodeId);
        if (primaryHostId != null) {
            SparkplugTopic.requireValidId(SparkplugConfig.PID + " primary.host.id", primaryHostId);
        }
        Objects.requireNonNull(stateDir, "state directory");
        Objects.requireNonNull(outbox, "outbox options");
        if (maxInFlight < 1) {
            throw new IllegalArgumentException(SparkplugConfig.PID + " max.in.flight must be >= 1, got " + maxInFlight);
        }
        Objects.requireNonNull(batchInterval, "batch interval");
        if (batchInterval.isNegative() || batchInterval.toMillis() > 1000) {
            throw new IllegalArgumentException(SparkplugConfig.PID + " batch.interval.ms must be 0..1000, got "
                    + batchInterval.toMillis());
        }
        if (json != null && (json.prefix().isBlank() || json.prefix().contains("+") || json.prefix().contains("#"))) {
            throw new IllegalArgumentException(SparkplugConfig.PID + " json.prefix '" + json.prefix()
                    + "': empty or contains a wildcard");
        }
    }

    /** Defaults for everything but the ids and the state directory (tests and the component start here). */
    public static EdgeNodeSettings of(String groupId, String edgeNodeId, Path stateDir) {
        Path dir = stateDir.resolve("sparkplug");
        return new EdgeNodeSettings(groupId, edgeNodeId, null, null, dir, OutboxOptions.defaults(dir.resolve("outbox")),
                64, Duration.ofSeconds(10), edgeNodeId, null, "0.0.0", null, DEFAULT_BATCH_INTERVAL);
    }

    public EdgeNodeSettings withPrimaryHost(String id) {
        return new EdgeNodeSettings(groupId, edgeNodeId, id, commandIdentity, stateDir, outbox, maxInFlight,
                nodeMetricsInterval, cellId, configHash, softwareVersion, json, batchInterval);
    }

    public EdgeNodeSettings withCommandIdentity(String id) {
        return new EdgeNodeSettings(groupId, edgeNodeId, primaryHostId, id, stateDir, outbox, maxInFlight,
                nodeMetricsInterval, cellId, configHash, softwareVersion, json, batchInterval);
    }

    public EdgeNodeSettings withOutbox(OutboxOptions o) {
        return new EdgeNodeSettings(groupId, edgeNodeId, primaryHostId, commandIdentity, stateDir, o, maxInFlight,
                nodeMetricsInterval, cellId, configHash, softwareVersion, json, batchInterval);
    }

    public EdgeNodeSettings withMaxInFlight(int n) {
        return new EdgeNodeSettings(groupId, edgeNodeId, primaryHostId, commandIdentity, stateDir, outbox, n,
                nodeMetricsInterval, cellId, configHash, softwareVersion, json, batchInterval);
    }

    public EdgeNodeSettings withNodeMetricsInterval(Duration d) {
        return new EdgeNodeSettings(groupId, edgeNodeId, primaryHostId, commandIdentity, stateDir, outbox, maxInFlight,
                d, cellId, configHash, softwareVersion, json, batchInterval);
    }

    public EdgeNodeSettings withJson(Json j) {
        return new EdgeNodeSettings(groupId, edgeNodeId, primaryHostId, commandIdentity, stateDir, outbox, maxInFlight,
                nodeMetricsInterval, cellId, configHash, softwareVersion, j, batchInterval);
    }

    public EdgeNodeSettings withBatchInterval(Duration d) {
        return new EdgeNodeSettings(groupId, edgeNodeId, primaryHostId, commandIdentity, stateDir, outbox, maxInFlight,
                nodeMetricsInterval, cellId, configHash, softwareVersion, json, d);
    }

    public EdgeNodeSettings withCell(String id, String hash, String version) {
        return new EdgeNodeSettings(groupId, edgeNodeId, primaryHostId, commandIdentity, stateDir, outbox, maxInFlight,
                nodeMetricsInterval, id, hash, version, json, batchInterval);
    }

    /**
     * From the component's merged configuration ({@code cellgate.runtime}, {@code cellgate.cell},
     * {@code cellgate.sparkplug}).
     *
     * @throws IllegalArgumentException naming the PID and key that is missing or wrong
     */
    static EdgeNodeSettings of(SparkplugConfig c, Map<String, Object> properties, String softwareVersion) {
        Object state = properties.get(io.cellgate.api.config.ConfigKeys.STATE_DIR);
        if (!(state instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException("configuration " + io.cellgate.api.config.ConfigKeys.RUNTIME_PID + ": "
                    + io.cellgate.api.config.ConfigKeys.STATE_DIR + " is missing");
        }
        Object cell = properties.get(io.cellgate.api.config.ConfigKeys.CELL_ID);
        String cellId = cell instanceof String id && !id.isBlank() ? id : null;
        String node = c.edge_node_id().isBlank() ? cellId : c.edge_node_id().trim();
        if (node == null) {
            throw new IllegalArgumentException("configuration " + SparkplugConfig.PID
                    + ": edge.node.id is empty and cellgate.cell has no cell.id");
        }
        if (c.group_id().isBlank()) {
            throw new IllegalArgumentException("configuration " + SparkplugConfig.PID + ": group.id is missing");
        }
        OverflowPolicy overflow;
        try {
            overflow = OverflowPolicy.valueOf(c.outbox_overflow().trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("configuration " + SparkplugConfig.PID + ": outbox.overflow '"
                    + c.outbox_overflow() + "' is not DROP_OLDEST or REJECT_NEW");
        }
        Path dir = Path.of(s).resolve("sparkplug");
        OutboxOptions outbox = OutboxOptions.defaults(dir.resolve("outbox")).withMaxBytes(c.outbox_max_bytes())
                .withMaxAge(Duration.ofSeconds(c.outbox_max_age_s())).withOverflow(overflow);
        Object hash = properties.get(io.cellgate.api.config.ConfigKeys.CONFIG_HASH);
        return new EdgeNodeSettings(c.group_id().trim(), node, blankToNull(c.primary_host_id()),
                blankToNull(c.command_identity()), dir, outbox, c.max_in_flight(),
                Duration.ofSeconds(c.node_metrics_interval_s()), cellId == null ? node : cellId,
                hash == null ? null : hash.toString(), softwareVersion,
                c.json_enabled() ? new Json(c.json_prefix().trim(), c.json_retain()) : null,
                Duration.ofMillis(c.batch_interval_ms()));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
