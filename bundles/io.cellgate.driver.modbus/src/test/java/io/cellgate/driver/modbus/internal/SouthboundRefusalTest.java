package io.cellgate.driver.modbus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.config.Access;
import io.cellgate.api.config.ByteOrder;
import io.cellgate.api.config.DeviceConfig;
import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.Endpoint;
import io.cellgate.api.config.PollGroup;
import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.api.config.WordOrder;
import io.cellgate.api.driver.WriteOutcome;
import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.QualityReason;
import io.cellgate.modbus.ModbusRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every refusal of the southbound allowlist happens before a byte is sent, and is audited. "Nothing sent" is
 * shown on the wire: a valid read goes over the same TCP connection before and after the refused request, and
 * the peer receives exactly those two (TCP keeps order, so a refused frame sent in between would be seen).
 */
class SouthboundRefusalTest {

    private FakeModbusTcpServer server;
    private ModbusDriver driver;
    private final List<AuditEvent> audited = new CopyOnWriteArrayList<>();
    private final AuditSink sink = audited::add;
    private ModbusSession session;

    @BeforeEach
    void start() throws Exception {
        server = new FakeModbusTcpServer(0);
        driver = new ModbusDriver();
        driver.setAuditSink(sink);
        session = (ModbusSession) driver.open(device(), profile());
    }

    @AfterEach
    void stop() throws Exception {
        session.close();
        driver.deactivate();
        server.close();
    }


    private static TagDefinition tag(String name, RegisterArea area, int address, DataType type, Access access) {
        return new TagDefinition(name, area, address, type, -1, 0, ByteOrder.BIG_ENDIAN, WordOrder.HIGH_FIRST, 1, 0,
                null, null, access, null, null, 0, "fast");
    }

    /** Writable: holding registers 10..11 (a FLOAT32 setpoint) and coil 3; everything else read-only. */
    private static DeviceProfile profile() {
        return new DeviceProfile("p", null, null, null, List.of(
                tag("setpoint", RegisterArea.HOLDING_REGISTER, 10, DataType.FLOAT32, Access.READ_WRITE),
                tag("limit", RegisterArea.HOLDING_REGISTER, 20, DataType.INT16, Access.READ_ONLY),
                tag("run", RegisterArea.COIL, 3, DataType.BOOL, Access.READ_WRITE),
                tag("count", RegisterArea.INPUT_REGISTER, 0, DataType.UINT16, Access.READ_ONLY)));
    }

    private DeviceConfig device() {
        return new DeviceConfig("plc", "plc", "p", true, new Endpoint(Endpoint.MODBUS_TCP, "127.0.0.1", server.port(),
                null, 0, null, 0, 0), 7, List.of(new PollGroup("fast", 1000)), 500, 0, 0, 1, 0, 125);
    }

    private static ModbusRequest raw(int fc, int address, int quantity, int... pdu) {
        byte[] bytes = new byte[pdu.length];
        for (int i = 0; i < pdu.length; i++) {
            bytes[i] = (byte) pdu[i];
        }
        return new ModbusRequest(fc, address, quantity, bytes);
    }

    /** Reads before and after {@code refused}; asserts that only those two reads reached the peer. */
    private ExchangeFailure refusedOnTheWire(ModbusRequest refused) throws Exception {
        ModbusRequest probe = ModbusRequest.read(RegisterArea.INPUT_REGISTER, 0, 1);
        session.exchange(probe);
        ExchangeFailure failure = null;
        try {
            session.exchange(refused);
        } catch (ExchangeFailure f) {
            failure = f;
        }
        session.exchange(probe);
        assertThat(server.received).extracting(FakeModbusTcpServer.Request::fc).containsExactly(4, 4);
        assertThat(server.received).extracting(FakeModbusTcpServer.Request::unit).containsOnly(7);
        assertThat(server.connections.get()).isEqualTo(1);
        assertThat(failure).as("refusal of %s", refused).isNotNull();
        assertThat(failure.kind()).isEqualTo(ExchangeFailure.Kind.REFUSED);
        // Tags of a refused request would turn Bad(CONFIG_ERROR): a configuration problem, never retried.
        assertThat(failure.kind().reason).isEqualTo(QualityReason.CONFIG_ERROR);
        assertThat(failure.kind().retryable).isFalse();
        return failure;
    }

    private AuditEvent onlyAudit() {
        assertThat(audited).hasSize(1);
        AuditEvent e = audited.get(0);
        assertThat(e.action()).isEqualTo(ModbusDriver.AUDIT_ACTION);
        assertThat(e.result()).isEqualTo(AuditEvent.Result.DENIED);
        assertThat(e.identity()).isEqualTo("system");
        assertThat(e.reason()).contains("unit 7 of modbus-tcp://127.0.0.1:" + server.port());
        return e;
    }

    @ParameterizedTest(name = "FC {0}")
    @CsvSource({"8, diagnostics", "43, read device identification", "90, UMAS programming",
        "65, user-defined", "101, user-defined", "17, report server id", "23, read/write multiple registers",
        "22, mask write register", "136, an exception code"})
    void exchange_functionCodeNotOnTheAllowlist_refusedUnsentAndAudited(int fc, String name) throws Exception {
        // 43/14 read device identification, 8/0 diagnostics echo, ...: the shape does not matter, the code does.
        ExchangeFailure f = refusedOnTheWire(raw(fc, 0, 1, fc, 14, 1, 0, 1));

        assertThat(f.getMessage()).contains("function code " + fc).contains(name);
        AuditEvent e = onlyAudit();
        assertThat(e.resource()).isEqualTo("plc/0");
        assertThat(e.reason()).contains("function code " + fc).contains(name).contains("not allowed");
    }

    @Test
    void exchange_quantityZero_refusedUnsentAndAudited() throws Exception {
        ExchangeFailure f = refusedOnTheWire(raw(3, 20, 0, 3, 0, 20, 0, 0));

        assertThat(f.getMessage()).contains("function code 3: quantity 0 outside 1..125");
        assertThat(onlyAudit().resource()).isEqualTo("plc/20");
    }

    @Test
    void exchange_pduQuantityDiffersFromRequest_refusedUnsentAndAudited() throws Exception {
        // The record claims one register, the bytes a device would act on say 0.
        ExchangeFailure f = refusedOnTheWire(raw(3, 20, 1, 3, 0, 20, 0, 0));

        assertThat(f.getMessage()).contains("quantity 0 in the PDU does not match quantity 1");
        onlyAudit();
    }

    @Test
    void exchange_writeToRegisterNotDeclaredWritable_refusedUnsentAndAudited() throws Exception {
        ExchangeFailure f = refusedOnTheWire(ModbusRequest.writeSingleRegister(20, 99));

        assertThat(f.getMessage()).contains("function code 6: holding register address 20 not declared writable");
        AuditEvent e = onlyAudit();
        assertThat(e.resource()).isEqualTo("plc/20");
        assertThat(e.reason()).contains("function code 6");
        assertThat(server.registers[20]).isZero();
    }

    @Test
    void exchange_writeBeyondTheWritableTag_refusedUnsentAndAudited() throws Exception {
        // 10..11 is the setpoint; 10..12 reaches one register further.
        ExchangeFailure f = refusedOnTheWire(ModbusRequest.writeMultipleRegisters(10, new int[] {1, 2, 3}));

        assertThat(f.getMessage()).contains("function code 16: holding register addresses 10..12 not declared writable");
        onlyAudit();
    }

    @Test
    void exchange_writeOfCoilNotDeclaredWritable_refusedUnsentAndAudited() throws Exception {
        refusedOnTheWire(ModbusRequest.writeSingleCoil(4, true));

        assertThat(onlyAudit().reason()).contains("function code 5: coil address 4 not declared writable");
    }

    @Test
    void write_readOnlyTag_refusedUnsentAndAudited() throws Exception {
        WriteOutcome outcome = session.write("limit", (short) 5);

        assertThat(outcome.success()).isFalse();
        assertThat(outcome.error()).contains("does not declare writable");
        assertThat(server.received).isEmpty();
        assertThat(onlyAudit().resource()).isEqualTo("plc/20");
    }

    @Test
    void write_unknownTag_refusedUnsentAndAudited() throws Exception {
        WriteOutcome outcome = session.write("firmware", 1);

        assertThat(outcome.success()).isFalse();
        assertThat(server.received).isEmpty();
        assertThat(onlyAudit().resource()).isEqualTo("plc/firmware");
    }

    @Test
    void write_declaredWritableTag_sentAndNotAudited() throws Exception {
        WriteOutcome outcome = session.write("setpoint", 21.5f);

        assertThat(outcome.success()).as("%s", outcome).isTrue();
        assertThat(server.received).extracting(FakeModbusTcpServer.Request::fc).containsExactly(16, 3);
        assertThat(session.write("run", true).success()).isTrue();
        assertThat(audited).isEmpty();
    }

    @Test
    void exchange_noAuditSink_stillRefusedAndUnsent() throws Exception {
        driver.unsetAuditSink(sink);

        refusedOnTheWire(raw(8, 0, 1, 8, 0, 0, 0, 0));
        assertThat(audited).isEmpty();
    }

    @Test
    void refusal_otherUnitId_refused() {
        SouthboundAllowlist allowlist = new SouthboundAllowlist(7, profile().tags());

        assertThat(allowlist.refusal(8, ModbusRequest.read(RegisterArea.INPUT_REGISTER, 0, 1)))
                .isEqualTo("unit id 8 is not the device's configured unit id 7");
        assertThat(allowlist.refusal(7, ModbusRequest.read(RegisterArea.INPUT_REGISTER, 0, 1))).isNull();
    }
}
