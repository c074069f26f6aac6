package io.cellgate.mqtt.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The Sparkplug B edge node (PID {@code cellgate.sparkplug}); the connection itself is {@code cellgate.mqtt}.
 * The edge node starts only when both exist (and {@code cellgate.runtime}, {@code cellgate.cell}).
 */
@ObjectClassDefinition(pid = SparkplugConfig.PID, name = "CellGate Sparkplug B edge node",
        description = "The cell as a Sparkplug B 3.0 edge node: ids, primary host, commands, store-and-forward, health")
public @interface SparkplugConfig {

    String PID = "cellgate.sparkplug";

    @AttributeDefinition(description = "Sparkplug group id (topic level 2)")
    String group_id() default "";

    @AttributeDefinition(description = "Edge node id; empty means the cell id (cellgate.cell cell.id)", required = false)
    String edge_node_id() default "";

    @AttributeDefinition(description = "Primary host application id; when set, births wait for its STATE online "
            + "and an offline STATE stops publishing (NDEATH, reconnect to the next broker, store and forward)",
            required = false)
    String primary_host_id() default "";

    @AttributeDefinition(description = "Identity in whose name DCMD writes go to the write service (an APPLICATION "
            + "identity with a role allowed to write); empty refuses every DCMD write", required = false)
    String command_identity() default "";

    @AttributeDefinition(description = "Bound of the outbox (unacknowledged data) in bytes", min = "1024")
    long outbox_max_bytes() default 256L * 1024 * 1024;

    @AttributeDefinition(description = "Entries older than this (seconds) are dropped from the outbox", min = "1")
    long outbox_max_age_s() default 7L * 24 * 3600;

    @AttributeDefinition(description = "When the outbox is full: drop the oldest entries or refuse new values",
            options = {@Option(value = "DROP_OLDEST"), @Option(value = "REJECT_NEW")})
    String outbox_overflow() default "DROP_OLDEST";

    @AttributeDefinition(description = "QoS 1 publishes in flight at most (the broker's Receive Maximum lowers it)",
            min = "1", max = "65535")
    int max_in_flight() default 64;

    @AttributeDefinition(description = "Bus values are moved into the outbox at most this often, in milliseconds: one "
            + "commit and fsync for all devices per move, and larger DDATA under load; 0 moves at every pass",
            min = "0", max = "1000")
    int batch_interval_ms() default 20;

    @AttributeDefinition(description = "Node health metrics are sampled and published (NDATA, by exception) at most "
            + "this often, in seconds", min = "1")
    int node_metrics_interval_s() default 10;

    @AttributeDefinition(description = "Also publish plain JSON {value, quality, timestamp} per tag (off by default)")
    boolean json_enabled() default false;

    @AttributeDefinition(description = "Topic prefix of the plain JSON tree: <prefix>/<cell>/<device>/<tag>")
    String json_prefix() default "cellgate";

    @AttributeDefinition(description = "Publish the plain JSON values retained (the broker keeps the last value)")
    boolean json_retain() default true;
}
