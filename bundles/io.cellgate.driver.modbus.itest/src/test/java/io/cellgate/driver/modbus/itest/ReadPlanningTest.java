package io.cellgate.driver.modbus.itest;

import static io.cellgate.driver.modbus.itest.Devices.tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.driver.DeviceSession;
import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.TagValue;
import io.cellgate.driver.modbus.internal.ModbusDriver;

/** The read plan is the minimum and is what goes on the wire, as counted by pymodbus itself. */
class ReadPlanningTest {

    private static final int MAX_GAP = 4;
    private static final int MAX_REGISTERS = 8;

    /**
     * With maxGap 4 and at most 8 registers per read, the fast group needs exactly 7 requests:
     * hr [0..2] (gap 0); hr [10..16] (joined over a gap of 2, 7 registers); hr [100..107] and [108..111]
     * (three FLOAT64 exceed 8 registers; a tag is never split); ir [0..1]; coils [0..3] (gap 2); di [3].
     * The slow group's tag (hr 50) is read only by the slow group.
     */
    private static final int FAST_MINIMUM = 7;
    private static final DeviceProfile PROFILE = Devices.profile(List.of(
            tag("h0", RegisterArea.HOLDING_REGISTER, 0, DataType.INT32).build(),
            tag("h2", RegisterArea.HOLDING_REGISTER, 2, DataType.INT16).build(),
            tag("h10", RegisterArea.HOLDING_REGISTER, 10, DataType.INT64).build(),
            tag("h16", RegisterArea.HOLDING_REGISTER, 16, DataType.UINT16).build(),
            tag("h100", RegisterArea.HOLDING_REGISTER, 100, DataType.FLOAT64).build(),
            tag("h104", RegisterArea.HOLDING_REGISTER, 104, DataType.FLOAT64).build(),
            tag("h108", RegisterArea.HOLDING_REGISTER, 108, DataType.FLOAT64).build(),
            tag("i0", RegisterArea.INPUT_REGISTER, 0, DataType.INT16).build(),
            tag("i1", RegisterArea.INPUT_REGISTER, 1, DataType.INT16).build(),
            tag("c0", RegisterArea.COIL, 0, DataType.BOOL).build(),
            tag("c3", RegisterArea.COIL, 3, DataType.BOOL).build(),
            tag("d3", RegisterArea.DISCRETE_INPUT, 3, DataType.BOOL).build(),
            tag("slow50", RegisterArea.HOLDING_REGISTER, 50, DataType.INT16).group(Devices.SLOW).build()));

    @TempDir
    Path tempDir;

    @Test
    void poll_plannedGroup_sendsTheMinimumNumberOfRequests() throws Exception {
        DeviceSpec spec = new DeviceSpec().registers(1, "hr", 2, 7).registers(1, "hr", 16, 65535)
                .registers(1, "hr", 50, 50).registers(1, "ir", 1, 1).bits(1, "co", 3, true).bits(1, "di", 3, true);
        try (PyModbusPeer peer = PyModbusPeer.start("tcp", spec, tempDir);
                DeviceSession session = new ModbusDriver().open(
                        Devices.device("plan", peer.endpoint, 1, 1000, MAX_GAP, MAX_REGISTERS), PROFILE)) {
            assertThat(session.requestsPerPoll(Devices.FAST)).isEqualTo(FAST_MINIMUM);
            assertThat(session.requestsPerPoll(Devices.SLOW)).isEqualTo(1);

            for (int poll = 0; poll < 3; poll++) {
                long deviceBefore = peer.device.requests();
                long sessionBefore = session.stats().requests();

                Map<String, TagValue> values = Polls.poll(session, Devices.FAST, Duration.ofSeconds(20));

                assertThat(values.keySet()).isEqualTo(Polls.tagsOf(PROFILE, Devices.FAST));
                assertThat(values.values()).allMatch(TagValue::isGood, "Good");
                assertThat(values.get("h2").value()).isEqualTo((short) 7);
                assertThat(values.get("h16").value()).isEqualTo(65535);
                assertThat(values.get("i1").value()).isEqualTo((short) 1);
                assertThat(values.get("c3").value()).isEqualTo(true);
                assertThat(values.get("d3").value()).isEqualTo(true);
                assertThat(peer.device.requests() - deviceBefore).as("requests pymodbus executed in poll %d", poll)
                        .isEqualTo(FAST_MINIMUM);
                assertThat(session.stats().requests() - sessionBefore).as("requests counted by the session")
                        .isEqualTo(FAST_MINIMUM);
            }

            long deviceBefore = peer.device.requests();
            Map<String, TagValue> slow = Polls.poll(session, Devices.SLOW, Duration.ofSeconds(20));
            assertThat(slow.keySet()).containsExactly("slow50");
            assertThat(slow.get("slow50").value()).isEqualTo((short) 50);
            assertThat(peer.device.requests() - deviceBefore).isEqualTo(1);
        }
    }
}
