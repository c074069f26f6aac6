package io.cellgate.config;

/**
 * The {@code sparkplug:} section of cell.yaml: the cell as a Sparkplug B edge node. A null field was not written and
 * leaves the edge node's own default in force.
 *
 * @param edgeNodeId      the edge node id, or null for the cell id
 * @param outboxOverflow  {@code DROP_OLDEST} or {@code REJECT_NEW} (as the edge node's configuration spells them)
 */
public record SparkplugSettings(String groupId, String edgeNodeId, String primaryHostId, String commandIdentity,
        Long outboxMaxBytes, Long outboxMaxAgeSeconds, String outboxOverflow, Integer maxInFlight,
        Integer nodeMetricsIntervalSeconds, Boolean jsonEnabled, String jsonPrefix, Boolean jsonRetain) {
}
