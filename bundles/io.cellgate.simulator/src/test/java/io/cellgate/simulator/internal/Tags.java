package io.cellgate.simulator.internal;

import io.cellgate.api.config.Access;
import io.cellgate.api.config.ByteOrder;
import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.api.config.WordOrder;
import io.cellgate.api.tag.DataType;
import java.util.List;

/** Tag definitions for tests, with defaults for what a test does not care about. */
final class Tags {

    private Tags() {
    }

    static TagDefinition plain(String name, RegisterArea area, int address, DataType type) {
        return full(name, area, address, type, -1, 0, ByteOrder.BIG_ENDIAN, WordOrder.HIGH_FIRST, 1, 0, null, null);
    }

    static TagDefinition ordered(String name, RegisterArea area, int address, DataType type, ByteOrder byteOrder,
            WordOrder wordOrder) {
        return full(name, area, address, type, -1, 0, byteOrder, wordOrder, 1, 0, null, null);
    }

    static TagDefinition scaled(String name, RegisterArea area, int address, DataType type, ByteOrder byteOrder,
            WordOrder wordOrder, double scale, double offset) {
        return full(name, area, address, type, -1, 0, byteOrder, wordOrder, scale, offset, null, null);
    }

    static TagDefinition ranged(String name, int address, DataType type, double scale, Double min, Double max) {
        return full(name, RegisterArea.HOLDING_REGISTER, address, type, -1, 0, ByteOrder.BIG_ENDIAN,
                WordOrder.HIGH_FIRST, scale, 0, min, max);
    }

    static TagDefinition bit(String name, RegisterArea area, int address, int bit, ByteOrder byteOrder) {
        return full(name, area, address, DataType.BIT, bit, 0, byteOrder, WordOrder.HIGH_FIRST, 1, 0, null, null);
    }

    static TagDefinition string(String name, RegisterArea area, int address, int length, ByteOrder byteOrder) {
        return full(name, area, address, DataType.STRING, -1, length, byteOrder, WordOrder.HIGH_FIRST, 1, 0, null,
                null);
    }

    static TagDefinition full(String name, RegisterArea area, int address, DataType type, int bit, int length,
            ByteOrder byteOrder, WordOrder wordOrder, double scale, double offset, Double min, Double max) {
        return new TagDefinition(name, area, address, type, bit, length, byteOrder, wordOrder, scale, offset, null,
                null, area.isWritable() ? Access.READ_WRITE : Access.READ_ONLY, min, max, 0, "fast");
    }

    static DeviceProfile profile(String id, String model, List<TagDefinition> tags) {
        return new DeviceProfile(id, "CellGate", model, null, tags);
    }
}
