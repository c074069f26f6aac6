package io.cellgate.driver.modbus.itest;

import static io.cellgate.api.tag.QualityReason.BAD_RESPONSE;
import static io.cellgate.api.tag.QualityReason.COMM_FAILURE;
import static io.cellgate.api.tag.QualityReason.DEVICE_EXCEPTION;
import static io.cellgate.driver.modbus.itest.Devices.tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.driver.DeviceSession;
import io.cellgate.api.driver.SessionStats;
import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.QualityReason;
import io.cellgate.api.tag.TagValue;
import io.cellgate.driver.modbus.internal.ModbusDriver;
import io.cellgate.driver.modbus.itest.HostileModbusServer.Fault;

/**
 * Devices that answer wrongly. Each poll must return within its budget without throwing, every tag
 * must be Bad with a fitting reason and never carry a value from a rejected frame, and a correct device
 * must make the tags Good again on the same session (polled at the group's interval, bounded).
 */
class HostileDeviceTest {

    private static final long TIMEOUT = 300;
    /** Only a guard against hangs (10x the timeout budget of the one request), not a performance bound. */
    private static final Duration HANG_GUARD = Duration.ofMillis(10 * TIMEOUT);
    private static final int UNIT = 1;
    private static final long POLL_INTERVAL = 500;
    /** Bounds recovery to 4 s of polling: enough for a reconnect back-off of about a second. */
    private static final int RECOVERY_POLLS = 8;

    /** Two registers read with one request: hr 0 INT16 and hr 1 UINT16. */
    private static final DeviceProfile PROFILE = Devices.profile(List.of(
            tag("a", RegisterArea.HOLDING_REGISTER, 0, DataType.INT16).build(),
            tag("b", RegisterArea.HOLDING_REGISTER, 1, DataType.UINT16).build()));
    private static final Map<String, Object> GOOD = Map.of(
            "a", (short) HostileModbusServer.good(0), "b", HostileModbusServer.good(1));
    private static final Set<Object> POISON = Set.of(
            (short) HostileModbusServer.poison(0), HostileModbusServer.poison(1),
            HostileModbusServer.poison(0), (short) HostileModbusServer.poison(1));

    @TempDir
    Path tempDir;

    static Stream<Arguments> faults() {
        // Where two reasons are listed, both are defensible: a frame with someone else's transaction or
        // unit id may be discarded as a stray answer and waited past (then the request times out).
        return Stream.of(
                arguments(Fault.WRONG_TRANSACTION_ID, 0, EnumSet.of(BAD_RESPONSE, COMM_FAILURE)),
                arguments(Fault.WRONG_UNIT_ID, 0, EnumSet.of(BAD_RESPONSE, COMM_FAILURE)),
                arguments(Fault.WRONG_PROTOCOL_ID, 0, EnumSet.of(BAD_RESPONSE)),
                arguments(Fault.WRONG_FUNCTION_CODE, 0, EnumSet.of(BAD_RESPONSE)),
                arguments(Fault.BYTE_COUNT_MISMATCH, 0, EnumSet.of(BAD_RESPONSE)),
                arguments(Fault.TRUNCATED_THEN_SILENCE, 0, EnumSet.of(COMM_FAILURE, BAD_RESPONSE)),
                arguments(Fault.TRUNCATED_THEN_CLOSE, 0, EnumSet.of(COMM_FAILURE, BAD_RESPONSE)),
                arguments(Fault.OVERSIZED_LENGTH, 0, EnumSet.of(BAD_RESPONSE)),
                arguments(Fault.EXCEPTION, 1, EnumSet.of(DEVICE_EXCEPTION)),
                arguments(Fault.EXCEPTION, 2, EnumSet.of(DEVICE_EXCEPTION)),
                arguments(Fault.EXCEPTION, 3, EnumSet.of(DEVICE_EXCEPTION)),
                arguments(Fault.EXCEPTION, 4, EnumSet.of(DEVICE_EXCEPTION)),
                arguments(Fault.NO_RESPONSE, 0, EnumSet.of(COMM_FAILURE)),
                arguments(Fault.GARBAGE, 0, EnumSet.of(BAD_RESPONSE, COMM_FAILURE)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("faults")
    void poll_faultyResponse_tagsBadWithReasonThenGoodAgain(Fault fault, int exceptionCode,
            Set<QualityReason> reasons) throws Exception {
        try (HostileModbusServer server = new HostileModbusServer();
                DeviceSession session = new ModbusDriver()
                        .open(Devices.device("hostile", Devices.tcp(server.port()), UNIT, TIMEOUT), PROFILE)) {
            assertGood(Polls.poll(session, Devices.FAST, HANG_GUARD), "before the fault");
            SessionStats before = session.stats();

            server.fault(fault).exceptionCode(exceptionCode);
            Map<String, TagValue> values = Polls.poll(session, Devices.FAST, HANG_GUARD);

            assertThat(values).containsOnlyKeys("a", "b");
            values.forEach((name, value) -> {
                assertThat(value.quality()).as("%s under %s: %s", name, fault, value)
                        .isEqualTo(io.cellgate.api.tag.Quality.BAD);
                assertThat(value.reason()).as("%s under %s: %s", name, fault, value).isIn(reasons);
                assertNoWrongValue(name, value);
            });
            SessionStats after = session.stats();
            QualityReason reason = values.get("a").reason();
            if (reason == DEVICE_EXCEPTION) {
                assertThat(after.exceptions()).as("exceptions counted").isGreaterThan(before.exceptions());
            } else if (reason == BAD_RESPONSE) {
                assertThat(after.badResponses()).as("bad responses counted").isGreaterThan(before.badResponses());
            }

            server.fault(Fault.NONE);
            assertRecovers(session, "after the device answers correctly again");
        }
    }

    @Test
    void poll_lateResponseToEarlierRequest_neverTakenAsNextAnswer() throws Exception {
        try (HostileModbusServer server = new HostileModbusServer();
                DeviceSession session = new ModbusDriver()
                        .open(Devices.device("late", Devices.tcp(server.port()), UNIT, TIMEOUT), PROFILE)) {
            assertGood(Polls.poll(session, Devices.FAST, HANG_GUARD), "before the fault");

            server.fault(Fault.LATE_RESPONSE);
            Map<String, TagValue> timedOut = Polls.poll(session, Devices.FAST, HANG_GUARD);
            timedOut.forEach((name, value) -> {
                assertThat(value.reason()).as("%s of the request answered too late: %s", name, value)
                        .isEqualTo(COMM_FAILURE);
                assertNoWrongValue(name, value);
            });

            // The driver may back off before asking again; the late frame then arrives while that next
            // request waits, right before the real answer. Polled at the group's interval like the scheduler.
            for (int poll = 0; poll < RECOVERY_POLLS && server.requests() < 3; poll++) {
                Thread.sleep(POLL_INTERVAL);
                assertNoWrongValues(Polls.poll(session, Devices.FAST, HANG_GUARD), "after the late frame");
            }
            assertThat(server.requests()).as("a next request reached the device").isGreaterThanOrEqualTo(3);
            if (server.connections() == 1) {
                // Self-check of the fixture: on a kept connection the late frame did reach the driver.
                assertThat(server.lateFramesSent()).as("late frames sent").isEqualTo(1);
            }
            assertRecovers(session, "after the late frame");
        }
    }

    @Test
    void poll_rtuFrameWithBadCrc_tagsBadResponseThenGoodAgain() throws Exception {
        Env.requirePymodbus();
        Env.requireSocat();
        try (PtyPair pty = new PtyPair(tempDir);
                PythonDevice device = PythonDevice.script("rtu_faulty_device.py", "--port",
                        pty.deviceEnd().toString(), "--unit", Integer.toString(UNIT))) {
            assertBadCrcThenGoodAgain(device, Devices.rtu(pty.driverPort(), "none"));
        }
    }

    @Test
    void poll_rtuOverTcpFrameWithBadCrc_tagsBadResponseThenGoodAgain() throws Exception {
        Env.requirePymodbus();
        try (PythonDevice device = PythonDevice.onFreePort(port -> PythonDevice.scriptOnPort(
                "rtu_faulty_device.py", port, "--unit", Integer.toString(UNIT)))) {
            assertBadCrcThenGoodAgain(device, Devices.rtuOverTcp(device.port()));
        }
    }

    private static void assertBadCrcThenGoodAgain(PythonDevice device, io.cellgate.api.config.Endpoint endpoint)
            throws Exception {
        try (DeviceSession session = new ModbusDriver().open(Devices.device("crc", endpoint, UNIT, TIMEOUT),
                PROFILE)) {
            assertGood(Polls.poll(session, Devices.FAST, HANG_GUARD), "before the fault");

            device.command("MODE crc");
            Map<String, TagValue> values = Polls.poll(session, Devices.FAST, HANG_GUARD);
            values.forEach((name, value) -> {
                assertThat(value.reason()).as("%s answered with a bad CRC: %s", name, value)
                        .isEqualTo(BAD_RESPONSE);
                assertNoWrongValue(name, value);
            });

            device.command("MODE ok");
            assertRecovers(session, "after the CRC is right again");
        }
    }

    /**
     * Polls at the group's interval (as the scheduler would; the driver may back off after a failure) until
     * the tags are Good with the right values; no poll on the way may carry a wrong value.
     */
    private static void assertRecovers(DeviceSession session, String when) throws InterruptedException {
        Map<String, TagValue> values = Map.of();
        for (int poll = 0; poll < RECOVERY_POLLS; poll++) {
            Thread.sleep(POLL_INTERVAL);
            values = Polls.poll(session, Devices.FAST, HANG_GUARD);
            assertNoWrongValues(values, when);
            if (values.values().stream().allMatch(TagValue::isGood)) {
                break;
            }
        }
        assertGood(values, "within " + RECOVERY_POLLS + " polls " + when);
    }

    private static void assertNoWrongValues(Map<String, TagValue> values, String when) {
        assertThat(values).as(when).containsOnlyKeys("a", "b");
        values.forEach((name, value) -> {
            if (value.isGood()) {
                assertThat(value.value()).as("%s %s", name, when).isEqualTo(GOOD.get(name));
            } else {
                assertNoWrongValue(name, value);
            }
        });
    }

    private static void assertGood(Map<String, TagValue> values, String when) {
        assertThat(values).as(when).containsOnlyKeys("a", "b");
        values.forEach((name, value) -> {
            assertThat(value.isGood()).as("%s %s: %s", name, when, value).isTrue();
            assertThat(value.value()).as("%s %s", name, when).isEqualTo(GOOD.get(name));
        });
    }

    /** A Bad value may carry the last good value for diagnostics, never one from a rejected frame. */
    private static void assertNoWrongValue(String name, TagValue value) {
        if (value.value() != null) {
            assertThat(value.value()).as("value carried by Bad %s: %s", name, value)
                    .isNotIn(POISON).isEqualTo(GOOD.get(name));
        }
    }
}
