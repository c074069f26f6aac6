package io.cellgate.driver.modbus.itest;

import static io.cellgate.driver.modbus.itest.Devices.tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cellgate.api.config.ByteOrder;
import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.config.WordOrder;
import io.cellgate.api.driver.DeviceSession;
import io.cellgate.api.driver.WriteOutcome;
import io.cellgate.api.tag.DataType;
import io.cellgate.driver.modbus.internal.ModbusDriver;

/**
 * Writes land in pymodbus' data store as pymodbus decodes them, with the function code the type
 * calls for; writes to read-only tags never reach the device.
 */
class WriteTest {

    private static final int UNIT = 1;
    private static final int BIT_REGISTER = 0xA005;
    private static final DeviceProfile PROFILE = Devices.profile(List.of(
            tag("coil", RegisterArea.COIL, 5, DataType.BOOL).build(),
            tag("i16", RegisterArea.HOLDING_REGISTER, 10, DataType.INT16).build(),
            tag("u16", RegisterArea.HOLDING_REGISTER, 11, DataType.UINT16).build(),
            tag("f32", RegisterArea.HOLDING_REGISTER, 12, DataType.FLOAT32)
                    .order(ByteOrder.BIG_ENDIAN, WordOrder.LOW_FIRST).build(),
            tag("i32", RegisterArea.HOLDING_REGISTER, 14, DataType.INT32)
                    .order(ByteOrder.LITTLE_ENDIAN, WordOrder.HIGH_FIRST).build(),
            tag("str", RegisterArea.HOLDING_REGISTER, 16, DataType.STRING).length(8).build(),
            tag("bit", RegisterArea.HOLDING_REGISTER, 20, DataType.BIT).bit(3).build(),
            tag("ro", RegisterArea.HOLDING_REGISTER, 21, DataType.INT16).readOnly().build(),
            tag("ir", RegisterArea.INPUT_REGISTER, 0, DataType.INT16).build()));

    @TempDir
    Path tempDir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tcp", "rtu-over-tcp", "rtu-none"})
    void write_eachKind_landsInDeviceWithItsFunctionCode(String transport) throws Exception {
        DeviceSpec spec = new DeviceSpec().registers(UNIT, "hr", 20, BIT_REGISTER, 77).registers(UNIT, "ir", 0, 5);
        try (PyModbusPeer peer = PyModbusPeer.start(transport, spec, tempDir);
                DeviceSession session = new ModbusDriver()
                        .open(Devices.device("writes", peer.endpoint, UNIT, 1000), PROFILE)) {
            PythonDevice device = peer.device;

            write(session, device, "coil", true, 5);
            assertThat(device.values(UNIT, "co", 5, 1)).containsExactly(1);
            write(session, device, "coil", false, 5);
            assertThat(device.values(UNIT, "co", 5, 1)).containsExactly(0);

            write(session, device, "i16", (short) -321, 6);
            assertThat(device.typed(UNIT, "hr", 10, "INT16", "BIG_ENDIAN", "HIGH_FIRST", 0)).isEqualTo("-321");
            write(session, device, "u16", 60000, 6);
            assertThat(device.typed(UNIT, "hr", 11, "UINT16", "BIG_ENDIAN", "HIGH_FIRST", 0)).isEqualTo("60000");
            write(session, device, "f32", -12.75f, 16);
            assertThat(device.typed(UNIT, "hr", 12, "FLOAT32", "BIG_ENDIAN", "LOW_FIRST", 0)).isEqualTo("-12.75");
            write(session, device, "i32", -2000000000, 16);
            assertThat(device.typed(UNIT, "hr", 14, "INT32", "LITTLE_ENDIAN", "HIGH_FIRST", 0))
                    .isEqualTo("-2000000000");
            write(session, device, "str", "Hi CG", 16);
            assertThat(device.typed(UNIT, "hr", 16, "STRING", "BIG_ENDIAN", "HIGH_FIRST", 8)).isEqualTo("'Hi CG'");

            // Read-modify-write: only bit 3 changes, the register's other bits stay.
            write(session, device, "bit", true, -1);
            assertThat(device.values(UNIT, "hr", 20, 1)).containsExactly(BIT_REGISTER | 0x8);
            device.command("SET " + UNIT + " hr 20 " + (BIT_REGISTER | 0x8 | 0x100)); // the device changes a bit
            write(session, device, "bit", false, -1);
            assertThat(device.values(UNIT, "hr", 20, 1)).containsExactly(BIT_REGISTER | 0x100);

            for (String readOnly : List.of("ro", "ir")) {
                long before = device.requests();
                WriteOutcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(10),
                        () -> session.write(readOnly, (short) 9));
                assertThat(outcome.success()).as("write to read-only %s: %s", readOnly, outcome).isFalse();
                assertThat(outcome.error()).as("reason of the refusal").isNotBlank();
                assertThat(device.requests()).as("requests reaching the device").isEqualTo(before);
            }
            assertThat(device.values(UNIT, "hr", 21, 1)).containsExactly(77);
            assertThat(device.values(UNIT, "ir", 0, 1)).containsExactly(5);
        }
    }

    /**
     * Writes, checks the acknowledged read-back, and that exactly one request of {@code functionCode}
     * (FC 6 or 16 when -1: a single register may go either way) was executed.
     */
    private static void write(DeviceSession session, PythonDevice device, String tag, Object value,
            int functionCode) {
        Map<Integer, Long> before = device.requestsByFunction();
        WriteOutcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> session.write(tag, value));
        Map<Integer, Long> after = device.requestsByFunction();

        assertThat(outcome.success()).as("write %s = %s: %s", tag, value, outcome).isTrue();
        assertThat(outcome.readBack()).as("read-back of %s", tag).isNotNull();
        assertThat(outcome.readBack().isGood()).as("read-back of %s: %s", tag, outcome.readBack()).isTrue();
        assertThat(outcome.readBack().value()).as("read-back of %s", tag).isEqualTo(value);
        long writes5 = delta(before, after, 5);
        long writes6 = delta(before, after, 6);
        long writes15 = delta(before, after, 15);
        long writes16 = delta(before, after, 16);
        if (functionCode == -1) {
            assertThat(writes6 + writes16).as("register writes for %s", tag).isEqualTo(1);
            assertThat(writes5 + writes15).as("coil writes for %s", tag).isZero();
        } else {
            assertThat(delta(before, after, functionCode)).as("FC %d requests for %s", functionCode, tag)
                    .isEqualTo(1);
            assertThat(writes5 + writes6 + writes15 + writes16).as("write requests for %s", tag).isEqualTo(1);
        }
    }

    private static long delta(Map<Integer, Long> before, Map<Integer, Long> after, int fc) {
        return after.getOrDefault(fc, 0L) - before.getOrDefault(fc, 0L);
    }
}
