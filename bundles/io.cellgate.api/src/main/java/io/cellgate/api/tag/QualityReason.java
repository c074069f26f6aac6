package io.cellgate.api.tag;

/** Why a value is not Good. {@link #NONE} for Good values. */
public enum QualityReason {
    NONE,
    /** Never read yet since the device or tag was configured. */
    WAITING_FOR_INITIAL_DATA,
    /** The device did not answer, the connection failed or timed out. */
    COMM_FAILURE,
    /** The device answered with a protocol exception (e.g. Modbus illegal data address). */
    DEVICE_EXCEPTION,
    /** The device answered with a frame that could not be trusted (malformed, wrong length, wrong ids). */
    BAD_RESPONSE,
    /** The tag's configuration cannot be served (e.g. a value that cannot be decoded with its data type). */
    CONFIG_ERROR,
    /** The decoded value is outside the range configured for the tag. */
    OUT_OF_RANGE,
    /** The device is disabled in the configuration. */
    DEVICE_DISABLED,
    /** The last good value is older than the tag's poll interval allows (used with Uncertain). */
    STALE
}
