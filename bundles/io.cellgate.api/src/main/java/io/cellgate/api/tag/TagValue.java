package io.cellgate.api.tag;

import java.time.Instant;
import java.util.Objects;

/**
 * One sample of a tag: value, quality (with a reason when not Good) and the source timestamp
 * (when the device answered). A Bad value may still carry the last known value for diagnostics,
 * but consumers must never present it as current.
 *
 * @param value   the value, of {@link DataType#javaType()} or Double when scaled; null when never read
 * @param quality quality of the value
 * @param reason  why the quality is not Good; {@link QualityReason#NONE} when Good
 * @param detail  human readable detail for not-Good values (e.g. "timeout after 1000 ms"), or null
 * @param sourceTime when the value was sampled at the source
 */
public record TagValue(Object value, Quality quality, QualityReason reason, String detail, Instant sourceTime) {

    public TagValue {
        Objects.requireNonNull(quality, "quality");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(sourceTime, "sourceTime");
        if (quality == Quality.GOOD && reason != QualityReason.NONE) {
            throw new IllegalArgumentException("a Good value has no quality reason, got " + reason);
        }
        if (quality != Quality.GOOD && reason == QualityReason.NONE) {
            throw new IllegalArgumentException("a " + quality + " value needs a reason");
        }
    }

    public static TagValue good(Object value, Instant sourceTime) {
        return new TagValue(value, Quality.GOOD, QualityReason.NONE, null, sourceTime);
    }

    public static TagValue bad(QualityReason reason, String detail, Instant sourceTime) {
        return new TagValue(null, Quality.BAD, reason, detail, sourceTime);
    }

    public boolean isGood() {
        return quality == Quality.GOOD;
    }
}
