package io.cellgate.driver.modbus.itest;

import static io.cellgate.driver.modbus.itest.Devices.tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.Endpoint;
import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.driver.DeviceSession;
import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.QualityReason;
import io.cellgate.api.tag.TagValue;
import io.cellgate.driver.modbus.internal.ModbusDriver;

/**
 * A device that loses power and comes back, over Modbus TCP and RTU over TCP: Bad within two polls, Good
 * again on the same session.
 */
class DeviceRestartTest {

    private static final long TIMEOUT = 300;
    private static final Duration HANG_GUARD = Duration.ofSeconds(5);
    private static final DeviceProfile PROFILE = Devices.profile(List.of(
            tag("speed", RegisterArea.HOLDING_REGISTER, 0, DataType.INT16).build(),
            tag("count", RegisterArea.INPUT_REGISTER, 4, DataType.UINT32).build(),
            tag("running", RegisterArea.COIL, 2, DataType.BOOL).build()));
    private static final DeviceSpec SPEC = new DeviceSpec().registers(1, "hr", 0, 1500)
            .registers(1, "ir", 4, 1, 2).bits(1, "co", 2, true);

    @TempDir
    Path tempDir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tcp", "rtu-over-tcp"})
    void poll_deviceStoppedAndRestarted_badWithinTwoPollsThenGoodWithoutReopening(String transport)
            throws Exception {
        Env.requirePymodbus();
        boolean rtu = transport.equals("rtu-over-tcp");
        PythonDevice device = rtu ? PythonDevice.rtuOverTcp(SPEC) : PythonDevice.tcp(SPEC);
        int port = device.port();
        Endpoint endpoint = rtu ? Devices.rtuOverTcp(port) : Devices.tcp(port);
        try (DeviceSession session = new ModbusDriver()
                .open(Devices.device("restart", endpoint, 1, TIMEOUT), PROFILE)) {
            assertGood(Polls.poll(session, Devices.FAST, HANG_GUARD));

            device.kill();
            Map<String, TagValue> first = Polls.poll(session, Devices.FAST, HANG_GUARD);
            assertThat(first.values()).as("first poll after the device died: %s", first)
                    .noneMatch(TagValue::isGood);
            Map<String, TagValue> second = Polls.poll(session, Devices.FAST, HANG_GUARD);
            assertThat(second.keySet()).isEqualTo(Polls.tagsOf(PROFILE, Devices.FAST));
            second.forEach((name, value) -> assertThat(value.reason()).as("%s: %s", name, value)
                    .isEqualTo(QualityReason.COMM_FAILURE));

            device = rtu ? PythonDevice.rtuOverTcp(SPEC, port) : PythonDevice.tcp(SPEC, port);
            // Paced like the scheduler (500 ms); bounded so a driver that never reconnects fails.
            assertGood(Polls.pollUntil(session, Devices.FAST, HANG_GUARD, 16, 500, TagValue::isGood));
        } finally {
            device.close();
        }
    }

    private static void assertGood(Map<String, TagValue> values) {
        assertThat(values.keySet()).isEqualTo(Polls.tagsOf(PROFILE, Devices.FAST));
        values.forEach((name, value) -> assertThat(value.isGood()).as("%s: %s", name, value).isTrue());
        assertThat(values.get("speed").value()).isEqualTo((short) 1500);
        assertThat(values.get("count").value()).isEqualTo(65538L);
        assertThat(values.get("running").value()).isEqualTo(true);
    }
}
