package io.cellgate.modbus;

import io.cellgate.api.config.Access;
import io.cellgate.api.config.ByteOrder;
import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.api.config.WordOrder;
import io.cellgate.api.tag.DataType;

final class Tags {
    private Tags() {
    }

    static TagDefinition tag(String name, RegisterArea area, int address, DataType type) {
        return full(name, area, address, type, -1, 0, ByteOrder.BIG_ENDIAN, WordOrder.HIGH_FIRST, 1, 0);
    }

    static TagDefinition holding(DataType type, ByteOrder bo, WordOrder wo) {
        return full("t", RegisterArea.HOLDING_REGISTER, 0, type, type == DataType.BIT ? 3 : -1,
                type == DataType.STRING ? 7 : 0, bo, wo, 1, 0);
    }

    static TagDefinition scaled(DataType type, double scale, double offset) {
        return full("s", RegisterArea.HOLDING_REGISTER, 0, type, -1, 0, ByteOrder.BIG_ENDIAN, WordOrder.HIGH_FIRST,
                scale, offset);
    }

    static TagDefinition string(String name, int address, int length) {
        return full(name, RegisterArea.HOLDING_REGISTER, address, DataType.STRING, -1, length, ByteOrder.BIG_ENDIAN,
                WordOrder.HIGH_FIRST, 1, 0);
    }

    static TagDefinition bit(String name, int address, int bit) {
        return full(name, RegisterArea.HOLDING_REGISTER, address, DataType.BIT, bit, 0, ByteOrder.BIG_ENDIAN,
                WordOrder.HIGH_FIRST, 1, 0);
    }

    static TagDefinition full(String name, RegisterArea area, int address, DataType type, int bit, int length,
            ByteOrder bo, WordOrder wo, double scale, double offset) {
        return new TagDefinition(name, area, address, type, bit, length, bo, wo, scale, offset, null, null,
                Access.READ_WRITE, null, null, 0, "fast");
    }
}
