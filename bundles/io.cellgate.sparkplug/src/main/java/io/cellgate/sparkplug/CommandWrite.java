package io.cellgate.sparkplug;

import io.cellgate.api.tag.TagPath;
import java.util.Objects;

/**
 * A tag write decoded from a DCMD, to hand to the write service.
 *
 * @param path   the tag
 * @param value  the value, of the tag's {@link io.cellgate.api.tag.TagInfo#valueType()}; never null
 * @param metric how the host addressed it: the metric name, or {@code alias <n>}
 */
public record CommandWrite(TagPath path, Object value, String metric) {
    public CommandWrite {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(metric, "metric");
    }
}
