package io.cellgate.driver.modbus.itest;

import static io.cellgate.driver.modbus.itest.Devices.tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cellgate.api.config.ByteOrder;
import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.api.config.WordOrder;
import io.cellgate.api.driver.DeviceSession;
import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.TagValue;
import io.cellgate.driver.modbus.internal.ModbusDriver;

/**
 * Every data type in every byte and word order, encoded by pymodbus' side with Python's struct, read
 * by the driver over TCP, RTU over TCP and RTU: each value must be Good, of the type's Java class, and exact.
 */
class DecodingTest {

    private static final int UNIT = 1;

    @TempDir
    Path tempDir;

    /** A tag and the value the driver must report for it. */
    private record Case(TagDefinition tag, Object expected) {
    }

    private final List<Case> cases = new ArrayList<>();
    private final DeviceSpec spec = new DeviceSpec().unit(UNIT);
    private int nextHolding;
    private int nextInput;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tcp", "rtu-over-tcp", "rtu-none", "rtu-even"})
    void poll_everyTypeAndOrder_matchesIndependentEncoding(String transport) throws Exception {
        buildCases();
        List<TagDefinition> tags = cases.stream().map(Case::tag).toList();

        try (PyModbusPeer peer = PyModbusPeer.start(transport, spec, tempDir);
                DeviceSession session = new ModbusDriver()
                        .open(Devices.device("decoding", peer.endpoint, UNIT, 1000), Devices.profile(tags))) {
            Map<String, TagValue> values = Polls.poll(session, Devices.FAST, Duration.ofSeconds(20));

            assertThat(values.keySet()).as("one value per tag of the group")
                    .containsExactlyInAnyOrderElementsOf(tags.stream().map(TagDefinition::name).toList());
            SoftAssertions softly = new SoftAssertions();
            for (Case c : cases) {
                TagValue value = values.get(c.tag().name());
                softly.assertThat(value.isGood()).as("%s is Good (got %s)", c.tag().name(), value).isTrue();
                if (c.expected() instanceof Double d && c.tag().isScaled()) {
                    softly.assertThat(value.value()).as(c.tag().name()).isInstanceOf(Double.class);
                    if (value.value() instanceof Double actual) {
                        softly.assertThat(actual).as(c.tag().name()).isCloseTo(d, within(Math.abs(d) * 1e-12));
                    }
                } else {
                    softly.assertThat(value.value()).as("%s value", c.tag().name()).isEqualTo(c.expected());
                }
            }
            softly.assertAll();
        }
    }

    private void buildCases() {
        // Bit areas.
        spec.bits(UNIT, "co", 0, true, false, true);
        spec.bits(UNIT, "di", 0, false, true);
        bool("coil0", RegisterArea.COIL, 0, true);
        bool("coil1", RegisterArea.COIL, 1, false);
        bool("coil2", RegisterArea.COIL, 2, true);
        bool("di0", RegisterArea.DISCRETE_INPUT, 0, false);
        bool("di1", RegisterArea.DISCRETE_INPUT, 1, true);

        // Bits of registers: bit 0 is the least significant bit of the register's value.
        spec.registers(UNIT, "hr", 0, 0xA005);
        spec.registers(UNIT, "ir", 0, 0x8001);
        nextHolding = 1;
        nextInput = 1;
        int[] hrBits = {0, 1, 2, 13, 14, 15};
        for (int b : hrBits) {
            cases.add(new Case(tag("hrBit" + b, RegisterArea.HOLDING_REGISTER, 0, DataType.BIT).bit(b).build(),
                    ((0xA005 >> b) & 1) == 1));
        }
        for (int b : new int[] {0, 7, 15}) {
            cases.add(new Case(tag("irBit" + b, RegisterArea.INPUT_REGISTER, 0, DataType.BIT).bit(b).build(),
                    ((0x8001 >> b) & 1) == 1));
        }

        // Numbers whose bytes all differ, so any byte or word mix-up changes the value.
        for (ByteOrder bo : ByteOrder.values()) {
            typed(RegisterArea.HOLDING_REGISTER, DataType.INT16, bo, WordOrder.HIGH_FIRST, (short) -12345);
            typed(RegisterArea.HOLDING_REGISTER, DataType.UINT16, bo, WordOrder.HIGH_FIRST, 0xABCD);
            for (WordOrder wo : WordOrder.values()) {
                typed(RegisterArea.HOLDING_REGISTER, DataType.INT32, bo, wo, -123456789);
                typed(RegisterArea.HOLDING_REGISTER, DataType.UINT32, bo, wo, 0xDEADBEEFL);
                typed(RegisterArea.HOLDING_REGISTER, DataType.INT64, bo, wo, -1234567890123456789L);
                typed(RegisterArea.HOLDING_REGISTER, DataType.FLOAT32, bo, wo, -1234.5678f);
                typed(RegisterArea.HOLDING_REGISTER, DataType.FLOAT64, bo, wo, -98765.4321);
                typed(RegisterArea.INPUT_REGISTER, DataType.INT32, bo, wo, 305419896);
            }
            typed(RegisterArea.INPUT_REGISTER, DataType.UINT16, bo, WordOrder.HIGH_FIRST, 0xFEDC);
        }
        typed(RegisterArea.INPUT_REGISTER, DataType.FLOAT64, ByteOrder.BIG_ENDIAN, WordOrder.HIGH_FIRST, Math.PI);

        // Strings: two characters per register, first character in the high byte (big endian).
        string(RegisterArea.HOLDING_REGISTER, "CellGate", 8, ByteOrder.BIG_ENDIAN);
        string(RegisterArea.HOLDING_REGISTER, "CellGate", 8, ByteOrder.LITTLE_ENDIAN);
        string(RegisterArea.HOLDING_REGISTER, "ABCDE", 5, ByteOrder.BIG_ENDIAN); // odd: NUL-padded register
        string(RegisterArea.HOLDING_REGISTER, "Line 1", 10, ByteOrder.BIG_ENDIAN); // shorter: NUL-padded
        string(RegisterArea.INPUT_REGISTER, "pymodbus", 8, ByteOrder.LITTLE_ENDIAN);

        // Scale and offset: raw value decoded first, then raw * scale + offset, as a Double.
        scaled(DataType.UINT16, ByteOrder.BIG_ENDIAN, WordOrder.HIGH_FIRST, 1234, 0.1, -10.0);
        scaled(DataType.INT16, ByteOrder.LITTLE_ENDIAN, WordOrder.HIGH_FIRST, -200, 0.5, 0.0);
        scaled(DataType.INT32, ByteOrder.BIG_ENDIAN, WordOrder.LOW_FIRST, -100000, 0.001, 0.0);
        scaled(DataType.UINT32, ByteOrder.LITTLE_ENDIAN, WordOrder.LOW_FIRST, 4000000000L, 1.0, 0.5);
        scaled(DataType.FLOAT32, ByteOrder.LITTLE_ENDIAN, WordOrder.LOW_FIRST, 2.5f, 2.0, 1.0);
        scaled(DataType.FLOAT64, ByteOrder.BIG_ENDIAN, WordOrder.LOW_FIRST, 12.5, -4.0, 100.0);
        scaled(DataType.INT64, ByteOrder.LITTLE_ENDIAN, WordOrder.HIGH_FIRST, 123456789L, 0.01, 0.0);
    }

    private void bool(String name, RegisterArea area, int address, boolean expected) {
        cases.add(new Case(tag(name, area, address, DataType.BOOL).build(), expected));
    }

    private int allocate(RegisterArea area, int registers) {
        int address;
        if (area == RegisterArea.HOLDING_REGISTER) {
            address = nextHolding;
            nextHolding += registers;
        } else {
            address = nextInput;
            nextInput += registers;
        }
        return address;
    }

    private static String pyArea(RegisterArea area) {
        return area == RegisterArea.HOLDING_REGISTER ? "hr" : "ir";
    }

    private static String suffix(ByteOrder bo, WordOrder wo) {
        return (bo == ByteOrder.BIG_ENDIAN ? "BE" : "LE") + (wo == WordOrder.HIGH_FIRST ? "HF" : "LF");
    }

    /** {@code value} is of the type's Java class and is also what the driver must report. */
    private void typed(RegisterArea area, DataType type, ByteOrder bo, WordOrder wo, Object value) {
        int address = allocate(area, type.registers());
        String name = pyArea(area) + "_" + type + "_" + suffix(bo, wo);
        spec.typed(UNIT, pyArea(area), address, type.name(), pythonNumber(value), bo.name(), wo.name(), 0);
        cases.add(new Case(tag(name, area, address, type).order(bo, wo).build(), value));
    }

    private void string(RegisterArea area, String text, int length, ByteOrder bo) {
        int address = allocate(area, (length + 1) / 2);
        String name = pyArea(area) + "_STRING" + length + "_" + suffix(bo, WordOrder.HIGH_FIRST) + "_" + address;
        spec.typed(UNIT, pyArea(area), address, "STRING", text, bo.name(), WordOrder.HIGH_FIRST.name(), length);
        cases.add(new Case(tag(name, area, address, DataType.STRING).length(length)
                .order(bo, WordOrder.HIGH_FIRST).build(), text));
    }

    private void scaled(DataType type, ByteOrder bo, WordOrder wo, Object raw, double scale, double offset) {
        int address = allocate(RegisterArea.HOLDING_REGISTER, type.registers());
        String name = "scaled_" + type + "_" + suffix(bo, wo);
        spec.typed(UNIT, "hr", address, type.name(), pythonNumber(raw), bo.name(), wo.name(), 0);
        double expected = ((Number) raw).doubleValue() * scale + offset;
        cases.add(new Case(tag(name, RegisterArea.HOLDING_REGISTER, address, type).order(bo, wo)
                .scaled(scale, offset).build(), expected));
    }

    /** A number whose JSON text Python parses to exactly this value (floats widened exactly to double). */
    private static Number pythonNumber(Object value) {
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        return (Number) value;
    }
}
