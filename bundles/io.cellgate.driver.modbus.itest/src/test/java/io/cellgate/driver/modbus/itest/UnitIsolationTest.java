package io.cellgate.driver.modbus.itest;

import static io.cellgate.driver.modbus.itest.Devices.tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.driver.DeviceSession;
import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.QualityReason;
import io.cellgate.api.tag.TagValue;
import io.cellgate.driver.modbus.internal.ModbusDriver;

/**
 * Two units behind one channel, of which only unit 1 exists: pymodbus drops unit 2's requests, so
 * unit 2 times out while unit 1 stays Good, polled in turn and at the same time.
 */
class UnitIsolationTest {

    private static final long TIMEOUT = 300;
    private static final Duration HANG_GUARD = Duration.ofSeconds(10);
    private static final DeviceProfile PROFILE = Devices.profile(List.of(
            tag("temperature", RegisterArea.HOLDING_REGISTER, 0, DataType.INT16).build(),
            tag("alarm", RegisterArea.COIL, 0, DataType.BOOL).build()));

    @TempDir
    Path tempDir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tcp", "rtu-none"})
    void poll_missingUnitOnSharedChannel_otherUnitStaysGood(String transport) throws Exception {
        DeviceSpec spec = new DeviceSpec().registers(1, "hr", 0, 215).bits(1, "co", 0, true);
        ModbusDriver driver = new ModbusDriver();
        try (PyModbusPeer peer = PyModbusPeer.start(transport, spec, tempDir);
                DeviceSession unit1 = driver.open(Devices.device("unit1", peer.endpoint, 1, TIMEOUT), PROFILE);
                DeviceSession unit2 = driver.open(Devices.device("unit2", peer.endpoint, 2, TIMEOUT), PROFILE)) {
            for (int round = 0; round < 3; round++) {
                assertUnit1Good(Polls.poll(unit1, Devices.FAST, HANG_GUARD));
                assertUnit2Bad(Polls.poll(unit2, Devices.FAST, HANG_GUARD));
            }
            for (int round = 0; round < 2; round++) {
                CompletableFuture<Map<String, TagValue>> missing =
                        CompletableFuture.supplyAsync(() -> Polls.poll(unit2, Devices.FAST, HANG_GUARD));
                CompletableFuture<Map<String, TagValue>> present =
                        CompletableFuture.supplyAsync(() -> Polls.poll(unit1, Devices.FAST, HANG_GUARD));
                assertUnit1Good(present.get());
                assertUnit2Bad(missing.get());
            }
            assertThat(unit2.stats().timeouts()).as("unit 2 timeouts").isPositive();
        }
    }

    private static void assertUnit1Good(Map<String, TagValue> values) {
        assertThat(values).containsOnlyKeys("temperature", "alarm");
        values.forEach((name, value) -> assertThat(value.isGood()).as("unit 1 %s: %s", name, value).isTrue());
        assertThat(values.get("temperature").value()).isEqualTo((short) 215);
        assertThat(values.get("alarm").value()).isEqualTo(true);
    }

    private static void assertUnit2Bad(Map<String, TagValue> values) {
        assertThat(values).containsOnlyKeys("temperature", "alarm");
        values.forEach((name, value) -> {
            assertThat(value.reason()).as("unit 2 %s: %s", name, value).isEqualTo(QualityReason.COMM_FAILURE);
            assertThat(value.value()).as("unit 2 %s never read", name).isNull();
        });
    }
}
