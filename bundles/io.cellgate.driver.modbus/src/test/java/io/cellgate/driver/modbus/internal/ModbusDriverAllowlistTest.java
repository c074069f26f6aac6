package io.cellgate.driver.modbus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.config.Access;
import io.cellgate.api.config.ByteOrder;
import io.cellgate.api.config.DeviceConfig;
import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.Endpoint;
import io.cellgate.api.config.PollGroup;
import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.api.config.WordOrder;
import io.cellgate.api.driver.DeviceSession;
import io.cellgate.api.driver.WriteOutcome;
import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.TagValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The southbound allowlist as seen on the wire: over polls of every area and type and writes of every
 * kind (including refused ones and device exceptions), only function codes 1-6, 15 and 16 are sent.
 */
class ModbusDriverAllowlistTest {

    private static final Set<Integer> ALLOWED = Set.of(1, 2, 3, 4, 5, 6, 15, 16);

    private FakeModbusTcpServer server;
    private ModbusDriver driver;

    @BeforeEach
    void start() throws Exception {
        server = new FakeModbusTcpServer(0);
        driver = new ModbusDriver();
    }

    @AfterEach
    void stop() throws Exception {
        driver.deactivate();
        server.close();
    }

    private static TagDefinition tag(String name, RegisterArea area, int address, DataType type, int bit,
            int length, double scale, Access access) {
        return new TagDefinition(name, area, address, type, bit, length, ByteOrder.LITTLE_ENDIAN,
                WordOrder.LOW_FIRST, scale, 0, null, null, access, null, null, 0, "fast");
    }

    /** One tag of every type in every area it may live in; writable where the area allows. */
    private static DeviceProfile everyType() {
        List<TagDefinition> tags = new ArrayList<>();
        tags.add(tag("coil", RegisterArea.COIL, 0, DataType.BOOL, -1, 0, 1, Access.READ_WRITE));
        tags.add(tag("coilRo", RegisterArea.COIL, 1, DataType.BOOL, -1, 0, 1, Access.READ_ONLY));
        tags.add(tag("di", RegisterArea.DISCRETE_INPUT, 0, DataType.BOOL, -1, 0, 1, Access.READ_ONLY));
        int address = 0;
        for (DataType type : DataType.values()) {
            if (type == DataType.BOOL) {
                continue;
            }
            int length = type == DataType.STRING ? 6 : 0;
            int bit = type == DataType.BIT ? 9 : -1;
            int registers = type == DataType.STRING ? 3 : type.registers();
            tags.add(tag("hr" + type, RegisterArea.HOLDING_REGISTER, address, type, bit, length, 1, Access.READ_WRITE));
            tags.add(tag("ir" + type, RegisterArea.INPUT_REGISTER, address, type, bit, length, 1, Access.READ_ONLY));
            address += registers;
        }
        tags.add(tag("hrScaled", RegisterArea.HOLDING_REGISTER, address, DataType.INT32, -1, 0, 0.1, Access.READ_WRITE));
        return new DeviceProfile("p", null, null, null, tags);
    }

    private DeviceConfig device(int maxOutstanding, int retries) {
        return new DeviceConfig("d1", "d1", "p", true, new Endpoint(Endpoint.MODBUS_TCP, "127.0.0.1", server.port(),
                null, 0, null, 0, 0), 1, List.of(new PollGroup("fast", 1000)), 300, retries, 0, maxOutstanding, 0,
                125);
    }

    @Test
    void session_pollsAndWritesOfEveryKind_sendOnlyAllowedFunctionCodes() throws Exception {
        DeviceProfile profile = everyType();
        try (DeviceSession s = driver.open(device(2, 1), profile)) {
            Map<String, TagValue> values = s.poll("fast");
            assertThat(values).hasSize(profile.tags().size());
            assertThat(values.values()).allMatch(TagValue::isGood);

            write(s, "coil", true);
            write(s, "hrBIT", true);
            write(s, "hrINT16", (short) -7);
            write(s, "hrUINT16", 65000);
            write(s, "hrINT32", -70000);
            write(s, "hrUINT32", 4_000_000_000L);
            write(s, "hrINT64", -5_000_000_000L);
            write(s, "hrFLOAT32", 2.5f);
            write(s, "hrFLOAT64", -0.125);
            write(s, "hrSTRING", "CG-01");
            write(s, "hrScaled", 12.3);
            for (String refused : List.of("coilRo", "di", "irINT16", "irFLOAT64", "irSTRING", "irBIT")) {
                Object value = refused.startsWith("ir") && !refused.endsWith("BIT") && !refused.endsWith("STRING")
                        ? (Object) 1 : refused.endsWith("STRING") ? "x" : true;
                assertThat(s.write(refused, value).success()).as("write to read-only %s", refused).isFalse();
            }

            // Device exceptions and silence (with a retry) change nothing about what is sent.
            server.script = (r, out) -> r.fc() == 4
                    ? FakeModbusTcpServer.frame(r.tid(), r.unit(), new byte[] {(byte) 0x84, 2})
                    : r.fc() == 2 ? null : FakeModbusTcpServer.NORMAL;
            assertThat(s.poll("fast").values()).anyMatch(v -> !v.isGood());
            assertThat(s.write("hrINT16", (short) 1).success()).isTrue();
        }

        Set<Integer> sent = new TreeSet<>();
        server.received.forEach(r -> sent.add(r.fc()));
        assertThat(sent).isSubsetOf(ALLOWED);
        // What each kind of traffic uses: reads 1-4, coil FC 5, single registers FC 6, the rest FC 16.
        assertThat(sent).containsExactly(1, 2, 3, 4, 5, 6, 16);
    }

    private static void write(DeviceSession s, String tag, Object value) {
        WriteOutcome outcome = s.write(tag, value);
        assertThat(outcome.success()).as("write %s = %s: %s", tag, value, outcome).isTrue();
        assertThat(outcome.readBack().isGood()).as("read-back of %s: %s", tag, outcome.readBack()).isTrue();
    }
}
