package io.cellgate.sparkplug;

import io.cellgate.sparkplug.proto.SparkplugB.DataType;
import java.time.Instant;
import java.util.Objects;

/**
 * A metric of the edge node itself (health: uptime, versions, outbox fill, ...), as published in NBIRTH/NDATA.
 *
 * @param name      metric name, e.g. {@code Health/Uptime}; folders separated by '/'
 * @param type      Sparkplug data type; the value is of {@link SparkplugTypes#javaType(DataType)}
 * @param value     the value, or null
 * @param timestamp when the value was taken
 */
public record NodeMetric(String name, DataType type, Object value, Instant timestamp) {

    public NodeMetric {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(timestamp, "timestamp");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("node metric name must not be empty");
        }
    }
}
