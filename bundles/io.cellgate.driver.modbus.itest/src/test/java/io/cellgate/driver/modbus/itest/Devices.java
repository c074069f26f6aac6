package io.cellgate.driver.modbus.itest;

import java.util.List;

import io.cellgate.api.config.Access;
import io.cellgate.api.config.ByteOrder;
import io.cellgate.api.config.DeviceConfig;
import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.Endpoint;
import io.cellgate.api.config.PollGroup;
import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.api.config.WordOrder;
import io.cellgate.api.tag.DataType;

/** Builders of the API's device, endpoint and tag records for the tests. */
final class Devices {

    static final String FAST = "fast";
    static final String SLOW = "slow";

    private Devices() {
    }

    static Endpoint tcp(int port) {
        return new Endpoint(Endpoint.MODBUS_TCP, "127.0.0.1", port, null, 0, null, 0, 0);
    }

    /** RTU frames on a TCP socket (a serial device server in raw mode). */
    static Endpoint rtuOverTcp(int port) {
        return new Endpoint(Endpoint.MODBUS_RTU_OVER_TCP, "127.0.0.1", port, null, 0, null, 0, 0);
    }

    /** An RTU line; {@code parity} is {@code none}, {@code even} or {@code odd}. */
    static Endpoint rtu(String serialPort, String parity) {
        return new Endpoint(Endpoint.MODBUS_RTU, null, 0, serialPort, 19200, parity, 8, 1);
    }

    /** A device with a fast and a slow group, no retries, strictly one request in flight. */
    static DeviceConfig device(String id, Endpoint endpoint, int unitId, long timeoutMillis, int maxGap,
            int maxRegistersPerRead) {
        return new DeviceConfig(id, id, "itest", true, endpoint, unitId,
                List.of(new PollGroup(FAST, 500), new PollGroup(SLOW, 5000)), timeoutMillis, 0, 0, 1, maxGap,
                maxRegistersPerRead);
    }

    static DeviceConfig device(String id, Endpoint endpoint, int unitId, long timeoutMillis) {
        return device(id, endpoint, unitId, timeoutMillis, 8, 125);
    }

    /** {@link #device(String, Endpoint, int, long)} with a minimum gap between its requests. */
    static DeviceConfig pacedDevice(String id, Endpoint endpoint, int unitId, long timeoutMillis, long minGapMillis) {
        return new DeviceConfig(id, id, "itest", true, endpoint, unitId,
                List.of(new PollGroup(FAST, 500), new PollGroup(SLOW, 5000)), timeoutMillis, 0, minGapMillis, 1, 8,
                125);
    }

    static DeviceProfile profile(List<TagDefinition> tags) {
        return new DeviceProfile("itest", "CellGate", "itest", "integration test device", tags);
    }

    static Tag tag(String name, RegisterArea area, int address, DataType type) {
        return new Tag(name, area, address, type);
    }

    /** A fluent TagDefinition: big-endian, high word first, unscaled, read-write, group {@link #FAST}. */
    static final class Tag {
        private final String name;
        private final RegisterArea area;
        private final int address;
        private final DataType type;
        private int bit = -1;
        private int length;
        private ByteOrder byteOrder = ByteOrder.BIG_ENDIAN;
        private WordOrder wordOrder = WordOrder.HIGH_FIRST;
        private double scale = 1.0;
        private double offset;
        private Access access = Access.READ_WRITE;
        private String group = FAST;

        Tag(String name, RegisterArea area, int address, DataType type) {
            this.name = name;
            this.area = area;
            this.address = address;
            this.type = type;
            if (!area.isWritable()) {
                access = Access.READ_ONLY;
            }
        }

        Tag bit(int index) {
            bit = index;
            return this;
        }

        Tag length(int characters) {
            length = characters;
            return this;
        }

        Tag order(ByteOrder bytes, WordOrder words) {
            byteOrder = bytes;
            wordOrder = words;
            return this;
        }

        Tag scaled(double scaleFactor, double offsetValue) {
            scale = scaleFactor;
            offset = offsetValue;
            return this;
        }

        Tag readOnly() {
            access = Access.READ_ONLY;
            return this;
        }

        Tag group(String pollGroup) {
            group = pollGroup;
            return this;
        }

        TagDefinition build() {
            return new TagDefinition(name, area, address, type, bit, length, byteOrder, wordOrder, scale, offset,
                    null, null, access, null, null, 0.0, group);
        }
    }
}
