package io.cellgate.api.tag;

import java.util.Objects;

/**
 * What northbound consumers know about a tag besides its value: type, unit, description, whether
 * it may be written, its limits and deadband. Built by the core from the device profile.
 *
 * @param path        the tag's path
 * @param dataType    the data type as read from the device
 * @param scaled      true when scale/offset apply, so values are Double
 * @param unit        engineering unit (e.g. "kWh"), or null
 * @param description free text, or null
 * @param writable    true when the profile declares the tag read-write
 * @param min         lower limit (write limit and EURange), or null
 * @param max         upper limit, or null
 * @param deadband    absolute deadband for report-by-exception; 0 reports every change
 * @param pollGroup   the poll group the tag belongs to
 * @param pollIntervalMillis interval of that poll group
 */
public record TagInfo(TagPath path, DataType dataType, boolean scaled, String unit, String description,
        boolean writable, Double min, Double max, double deadband, String pollGroup, long pollIntervalMillis) {

    public TagInfo {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(dataType, "dataType");
        if (deadband < 0) {
            throw new IllegalArgumentException("deadband must be >= 0");
        }
    }

    /** The Java type of this tag's values. */
    public Class<?> valueType() {
        return scaled ? Double.class : dataType.javaType();
    }
}
