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
    @ValueSource(strings = {"tcp", "rtu-over-tcp", "rtu-none"})
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

    /**
     * A unit pacing itself (a one-second minimum gap between its two requests) leaves the line to the other
     * units while it waits: unit 2, whose timeout is far shorter than that gap, is asked and answers in
     * the meantime.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rtu-over-tcp", "rtu-none"})
    void poll_unitWaitingOutItsMinimumGap_otherUnitUsesTheLineMeanwhile(String transport) throws Exception {
        long gapMillis = 1000;
        DeviceSpec spec = new DeviceSpec().registers(1, "hr", 0, 215).bits(1, "co", 0, true)
                .registers(2, "hr", 0, 215).bits(2, "co", 0, true);
        ModbusDriver driver = new ModbusDriver();
        try (PyModbusPeer peer = PyModbusPeer.start(transport, spec, tempDir);
                DeviceSession paced = driver.open(Devices.pacedDevice("paced", peer.endpoint, 1, 1000, gapMillis),
                        PROFILE);
                DeviceSession other = driver.open(Devices.device("other", peer.endpoint, 2, TIMEOUT), PROFILE)) {
            long before = peer.device.requests();
            CompletableFuture<Map<String, TagValue>> pacedPoll =
                    CompletableFuture.supplyAsync(() -> Polls.poll(paced, Devices.FAST, HANG_GUARD));
            // The paced unit's first request was answered: it now waits out its gap before the second.
            for (int i = 0; i < 500 && peer.device.requests() == before; i++) {
                Thread.sleep(2);
            }
            assertThat(peer.device.requests()).as("the paced unit's first request reached the device")
                    .isGreaterThan(before);
            assertGood("unit 2", Polls.poll(other, Devices.FAST, HANG_GUARD));
            assertGood("paced unit 1", pacedPoll.get());
        }
    }

    /**
     * On a serial line a request that goes unanswered must be given its response timeout before the next
     * frame is sent (Modbus over serial line, master behaviour), or a late answer collides with the next
     * request and the device's framer merges the two frames. The two-block profile makes a silent unit's
     * first request use up the poll's budget; its second request must then not be put on the line.
     * The bound (80% of the timeout; the device measures from the end of the frame it read, and its own
     * delays only lengthen the silence it sees) fails only a driver that sends too early, never a slow one.
     */
    @org.junit.jupiter.api.Test
    void poll_silentUnitOnRtuLine_lineStaysQuietForTheTimeoutAfterEachUnansweredRequest() throws Exception {
        Env.requirePymodbus();
        Env.requireSocat();
        try (PtyPair pty = new PtyPair(tempDir);
                PythonDevice device = PythonDevice.script("rtu_faulty_device.py", "--port",
                        pty.deviceEnd().toString(), "--unit", "1")) {
            io.cellgate.api.config.Endpoint line = Devices.rtu(pty.driverPort(), "none");
            DeviceProfile twoBlocks = Devices.profile(List.of(
                    tag("first", RegisterArea.HOLDING_REGISTER, 0, DataType.INT16).build(),
                    tag("second", RegisterArea.INPUT_REGISTER, 0, DataType.INT16).build()));
            ModbusDriver driver = new ModbusDriver();
            try (DeviceSession unit1 = driver.open(Devices.device("unit1", line, 1, TIMEOUT), twoBlocks);
                    DeviceSession unit2 = driver.open(Devices.device("unit2", line, 2, TIMEOUT), twoBlocks)) {
                assertThat(Polls.poll(unit1, Devices.FAST, HANG_GUARD).values()).as("unit 1 opens the line")
                        .allMatch(TagValue::isGood);
                for (int round = 0; round < 2; round++) {
                    long sentBefore = unit2.stats().requests();
                    long started = System.nanoTime();
                    Map<String, TagValue> missing = Polls.poll(unit2, Devices.FAST, HANG_GUARD);
                    double pollMillis = (System.nanoTime() - started) / 1e6;
                    long sent = unit2.stats().requests() - sentBefore;
                    // Each request to a silent unit is owed a full response timeout, one after the other
                    // (max.outstanding 1): a poll that sent n of them cannot have been shorter than n timeouts.
                    assertThat(pollMillis).as("poll %d of silent unit 2 that sent %d requests, in ms", round, sent)
                            .isGreaterThanOrEqualTo(0.95 * sent * TIMEOUT);
                    missing.forEach((name, value) -> assertThat(value.reason()).as("unit 2 %s: %s", name, value)
                            .isEqualTo(QualityReason.COMM_FAILURE));
                    Map<String, TagValue> present = Polls.poll(unit1, Devices.FAST, HANG_GUARD);
                    assertThat(present.get("first").value()).as("unit 1 first: %s", present).isEqualTo((short) 1000);
                    assertThat(present.get("second").value()).as("unit 1 second: %s", present)
                            .isEqualTo((short) 1000);
                }
            }
            String[] quiet = device.command("QUIET").split(" ");
            assertThat(Long.parseLong(quiet[1])).as("unanswered frames seen by the device").isPositive();
            assertThat(Double.parseDouble(quiet[2]))
                    .as("shortest silence (ms) after an unanswered request before the next frame")
                    .isGreaterThanOrEqualTo(TIMEOUT * 0.8);
        }
    }

    private static void assertUnit1Good(Map<String, TagValue> values) {
        assertGood("unit 1", values);
    }

    /** Good with the values the spec gives the unit (215 and true for every unit that exists). */
    private static void assertGood(String unit, Map<String, TagValue> values) {
        assertThat(values).containsOnlyKeys("temperature", "alarm");
        values.forEach((name, value) -> assertThat(value.isGood()).as("%s %s: %s", unit, name, value).isTrue());
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
