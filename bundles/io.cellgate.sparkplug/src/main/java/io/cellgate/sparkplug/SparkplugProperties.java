package io.cellgate.sparkplug;

import io.cellgate.api.tag.Quality;

/**
 * Keys of the metric properties CellGate publishes, and the quality codes of the specification.
 *
 * <p>{@value #QUALITY} is the one property the Sparkplug 3.0 specification defines (6.4.9): Int32, 0 = BAD,
 * 192 = GOOD, 500 = STALE. CellGate maps BAD to 0, UNCERTAIN to 500 and GOOD to 192, and adds
 * {@value #QUALITY_REASON} (String, CellGate's {@link io.cellgate.api.tag.QualityReason}) when not Good.
 * The descriptive keys follow the tag property names Ignition's MQTT Engine understands.
 */
public final class SparkplugProperties {

    /** Int32 quality code (specification 6.4.9). */
    public static final String QUALITY = "Quality";
    /** String: CellGate's quality reason name, only when the quality is not Good. */
    public static final String QUALITY_REASON = "qualityReason";
    /** String: engineering unit. */
    public static final String ENG_UNIT = "engUnit";
    /** Double: lower limit (write limit / range low) in engineering units. */
    public static final String ENG_LOW = "engLow";
    /** Double: upper limit. */
    public static final String ENG_HIGH = "engHigh";
    /** String: description. */
    public static final String DOCUMENTATION = "documentation";
    /** Boolean: true when a DCMD write of this metric will be refused. */
    public static final String READ_ONLY = "readOnly";

    public static final int QUALITY_BAD = 0;
    public static final int QUALITY_GOOD = 192;
    public static final int QUALITY_STALE = 500;

    private SparkplugProperties() {
    }

    /** The Sparkplug quality code of a CellGate quality. */
    public static int qualityCode(Quality quality) {
        return switch (quality) {
            case GOOD -> QUALITY_GOOD;
            case UNCERTAIN -> QUALITY_STALE;
            case BAD -> QUALITY_BAD;
        };
    }

    /**
     * The CellGate quality of a Sparkplug quality code.
     *
     * @throws IllegalArgumentException for a code other than 0, 192, 500
     */
    public static Quality quality(int code) {
        return switch (code) {
            case QUALITY_GOOD -> Quality.GOOD;
            case QUALITY_STALE -> Quality.UNCERTAIN;
            case QUALITY_BAD -> Quality.BAD;
            default -> throw new IllegalArgumentException("unknown Sparkplug quality code " + code
                    + " (expected 0, 192 or 500)");
        };
    }
}
