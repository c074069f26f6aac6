package io.cellgate.api.config;

import io.cellgate.api.tag.DataType;

/**
 * One entry of a device profile's register map.
 *
 * @param name        tag name, unique within the profile ({@link io.cellgate.api.tag.TagPath#NAME})
 * @param area        Modbus area
 * @param address     zero-based protocol address (0..65535)
 * @param dataType    data type
 * @param bit         bit index 0..15 for {@link DataType#BIT}, else -1
 * @param length      characters for {@link DataType#STRING} (two per register), else 0
 * @param byteOrder   byte order within a register
 * @param wordOrder   register order for multi-register types
 * @param scale       multiplier applied after decoding (1 = none)
 * @param offset      added after scaling (0 = none)
 * @param unit        engineering unit, or null
 * @param description free text, or null
 * @param access      read-only or read-write
 * @param min         write limit / range low, in engineering units, or null
 * @param max         write limit / range high, in engineering units, or null
 * @param deadband    absolute deadband in engineering units, 0 = every change
 * @param pollGroup   name of the poll group (defined in the cell configuration per device)
 */
public record TagDefinition(String name, RegisterArea area, int address, DataType dataType, int bit, int length,
        ByteOrder byteOrder, WordOrder wordOrder, double scale, double offset, String unit, String description,
        Access access, Double min, Double max, double deadband, String pollGroup) {

    /** Number of 16-bit registers (or bits, in the bit areas) this tag occupies. */
    public int quantity() {
        if (area.isBits()) {
            return 1;
        }
        return switch (dataType) {
            case STRING -> (length + 1) / 2;
            case BOOL, BIT -> 1;
            default -> dataType.registers();
        };
    }

    /** True when scale or offset change the raw value, so values are Double. */
    public boolean isScaled() {
        return scale != 1.0 || offset != 0.0;
    }
}
