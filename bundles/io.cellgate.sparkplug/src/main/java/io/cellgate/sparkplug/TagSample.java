package io.cellgate.sparkplug;

import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import java.util.Objects;

/** One value of one tag, as it goes into a DDATA (live or historical). */
public record TagSample(TagPath path, TagValue value) {
    public TagSample {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(value, "value");
    }
}
