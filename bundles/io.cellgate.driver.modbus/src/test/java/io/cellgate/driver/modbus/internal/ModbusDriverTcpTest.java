package io.cellgate.driver.modbus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.cellgate.api.driver.DriverConfigException;
import io.cellgate.api.driver.WriteOutcome;
import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.QualityReason;
import io.cellgate.api.tag.TagValue;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModbusDriverTcpTest {

    private FakeModbusTcpServer server;
    private ModbusDriver driver;

    @BeforeEach
    void start() throws Exception {
        server = new FakeModbusTcpServer(0);
        server.registers[0] = 0xFFFE; // INT16 -2
        server.registers[1] = 0x42F6; // FLOAT32 123.456
        server.registers[2] = 0xE979;
        server.registers[10] = 0x0008; // bit 3
        server.coils[5] = true;
        driver = new ModbusDriver();
    }

    @AfterEach
    void stop() throws Exception {
        driver.deactivate();
        server.close();
    }

    static TagDefinition tag(String name, RegisterArea area, int address, DataType type, int bit, Access access) {
        return new TagDefinition(name, area, address, type, bit, type == DataType.STRING ? 4 : 0,
                ByteOrder.BIG_ENDIAN, WordOrder.HIGH_FIRST, 1, 0, null, null, access, null, null, 0, "fast");
    }

    static DeviceProfile profile() {
        return new DeviceProfile("p", null, null, null, List.of(
                tag("temp", RegisterArea.HOLDING_REGISTER, 0, DataType.INT16, -1, Access.READ_WRITE),
                tag("flow", RegisterArea.HOLDING_REGISTER, 1, DataType.FLOAT32, -1, Access.READ_WRITE),
                tag("alarm", RegisterArea.HOLDING_REGISTER, 10, DataType.BIT, 3, Access.READ_WRITE),
                tag("run", RegisterArea.COIL, 5, DataType.BOOL, -1, Access.READ_WRITE),
                tag("fixed", RegisterArea.HOLDING_REGISTER, 20, DataType.UINT16, -1, Access.READ_ONLY)));
    }

    DeviceConfig device(String id, int unit, long timeoutMillis, int retries) {
        return new DeviceConfig(id, id, "p", true, new Endpoint(Endpoint.MODBUS_TCP, "127.0.0.1", server.port(),
                null, 0, null, 0, 0), unit, List.of(new PollGroup("fast", 1000)), timeoutMillis, retries, 0, 2, 10, 125);
    }

    DeviceSession open(long timeoutMillis, int retries) throws DriverConfigException {
        return driver.open(device("d1", 1, timeoutMillis, retries), profile());
    }

    @Test
    void poll_normalReads_decodeEveryTag() throws Exception {
        try (DeviceSession s = open(1000, 0)) {
            Map<String, TagValue> v = s.poll("fast");
            assertThat(v).hasSize(5);
            assertThat(v.values()).allMatch(TagValue::isGood);
            assertThat(v.get("temp").value()).isEqualTo((short) -2);
            assertThat(v.get("flow").value()).isEqualTo(123.456f);
            assertThat(v.get("alarm").value()).isEqualTo(true);
            assertThat(v.get("run").value()).isEqualTo(true);
            assertThat(s.requestsPerPoll("fast")).isEqualTo(2); // HR 0..20 (holes of 7 and 9 <= max gap 10); coil 5
            assertThat(s.stats().requests()).isEqualTo(2);
        }
    }

    @Test
    void poll_wrongByteCount_isBadResponseNamingIt() throws Exception {
        server.script = (r, out) -> r.fc() == 3 && r.pdu()[2] == 0
                ? FakeModbusTcpServer.frame(r.tid(), r.unit(), new byte[] {3, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
                : FakeModbusTcpServer.NORMAL;
        try (DeviceSession s = open(1000, 0)) {
            Map<String, TagValue> v = s.poll("fast");
            assertThat(v.get("temp").reason()).isEqualTo(QualityReason.BAD_RESPONSE);
            assertThat(v.get("temp").detail()).isEqualTo("unit 1: byte count 10, expected 42 for 21 registers");
            assertThat(v.get("run").isGood()).isTrue();
            assertThat(s.stats().badResponses()).isEqualTo(1);
        }
    }

    @Test
    void poll_exceptionResponse_isDeviceException() throws Exception {
        server.script = (r, out) -> r.fc() == 1 ? FakeModbusTcpServer.frame(r.tid(), r.unit(), new byte[] {(byte) 0x81, 2})
                : FakeModbusTcpServer.NORMAL;
        try (DeviceSession s = open(1000, 0)) {
            TagValue run = s.poll("fast").get("run");
            assertThat(run.reason()).isEqualTo(QualityReason.DEVICE_EXCEPTION);
            assertThat(run.detail()).contains("0x02 illegal data address");
            assertThat(s.stats().exceptions()).isEqualTo(1);
        }
    }

    @Test
    void poll_wrongUnitId_isBadResponseNotDelivered() throws Exception {
        server.script = (r, out) -> FakeModbusTcpServer.frame(r.tid(), 9, server.normal(r.pdu()));
        try (DeviceSession s = open(1000, 0)) {
            Map<String, TagValue> v = s.poll("fast");
            assertThat(v.values()).allSatisfy(t -> assertThat(t.reason()).isEqualTo(QualityReason.BAD_RESPONSE));
            assertThat(v.get("temp").detail()).contains("unit id 9");
        }
    }

    @Test
    void poll_wrongTransactionId_isDiscardedAndTimesOut() throws Exception {
        server.script = (r, out) -> FakeModbusTcpServer.frame(r.tid() ^ 0x5555, r.unit(), server.normal(r.pdu()));
        try (DeviceSession s = open(300, 0)) {
            Map<String, TagValue> v = s.poll("fast");
            assertThat(v.values()).allSatisfy(t -> {
                assertThat(t.reason()).isEqualTo(QualityReason.COMM_FAILURE);
                assertThat(t.value()).isNull();
            });
            assertThat(s.stats().badResponses()).isGreaterThanOrEqualTo(1);
            assertThat(s.stats().timeouts()).isEqualTo(2);
        }
    }

    @Test
    void poll_wrongProtocolId_closesAndReconnects() throws Exception {
        server.script = (r, out) -> server.received.size() == 1
                ? FakeModbusTcpServer.frame(r.tid(), 7, 5, r.unit(), new byte[] {3, 2, 0, 1})
                : FakeModbusTcpServer.NORMAL;
        try (DeviceSession s = open(1000, 0)) {
            Map<String, TagValue> first = s.poll("fast");
            assertThat(first.values()).anySatisfy(t -> {
                assertThat(t.reason()).isEqualTo(QualityReason.BAD_RESPONSE);
                assertThat(t.detail()).contains("protocol id 7");
            });
            Map<String, TagValue> later = pollUntilGood(s);
            assertThat(later.get("temp").value()).isEqualTo((short) -2);
            assertThat(server.connections.get()).isEqualTo(2);
        }
    }

    @Test
    void poll_oversizedMbapLength_isRefusedWithoutReadingIt() throws Exception {
        server.script = (r, out) -> FakeModbusTcpServer.frame(r.tid(), 0, 60000, r.unit(), new byte[] {3, 2, 0, 1});
        try (DeviceSession s = open(1000, 0)) {
            Map<String, TagValue> v = s.poll("fast");
            assertThat(v.values()).anySatisfy(t -> assertThat(t.detail()).contains("MBAP length 60000"));
            assertThat(v.values()).noneMatch(TagValue::isGood);
        }
    }

    @Test
    void poll_garbageBytes_isBadResponse() throws Exception {
        server.script = (r, out) -> new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        try (DeviceSession s = open(1000, 0)) {
            Map<String, TagValue> v = s.poll("fast");
            assertThat(v.values()).noneMatch(TagValue::isGood);
            assertThat(v.values()).anySatisfy(t -> assertThat(t.reason()).isEqualTo(QualityReason.BAD_RESPONSE));
        }
    }

    @Test
    void poll_connectionClosedMidFrame_isCommFailure() throws Exception {
        server.script = (r, out) -> {
            out.write(new byte[] {(byte) (r.tid() >> 8), (byte) r.tid(), 0, 0, 0, 5, 1, 3});
            out.flush();
            throw new java.io.IOException("drop");
        };
        try (DeviceSession s = open(1000, 0)) {
            Map<String, TagValue> v = s.poll("fast");
            assertThat(v.values()).noneMatch(TagValue::isGood);
            assertThat(v.values()).anySatisfy(t -> assertThat(t.detail()).contains("mid-frame"));
        }
    }

    @Test
    void poll_noResponse_timesOutThenSkipsUnitImmediately() throws Exception {
        server.script = (r, out) -> null;
        try (DeviceSession s = open(200, 1)) {
            Map<String, TagValue> v = s.poll("fast");
            assertThat(v.values()).allSatisfy(t -> {
                assertThat(t.reason()).isEqualTo(QualityReason.COMM_FAILURE);
                assertThat(t.detail()).contains("no response");
            });
            int sent = server.received.size();
            Map<String, TagValue> next = s.poll("fast");
            assertThat(next.get("temp").detail()).contains("not answering");
            assertThat(server.received).hasSize(sent);
        }
    }

    @Test
    void poll_lateResponseToTimedOutRequest_isNeverMatchedToTheRetry() throws Exception {
        server.registers[0] = 7;
        server.script = (r, out) -> {
            if (r.fc() != 3 || r.pdu()[2] != 0) {
                return FakeModbusTcpServer.NORMAL;
            }
            if (server.received.stream().filter(x -> x.fc() == 3 && x.pdu()[2] == 0).count() == 1) {
                return null; // first attempt: silence
            }
            FakeModbusTcpServer.Request first = server.received.stream().filter(x -> x.fc() == 3 && x.pdu()[2] == 0)
                    .findFirst().orElseThrow();
            byte[] stale = server.normal(first.pdu());
            stale[2] = 0x03; // a different value for temp: 999
            stale[3] = (byte) 0xE7;
            out.write(FakeModbusTcpServer.frame(first.tid(), r.unit(), stale));
            return FakeModbusTcpServer.NORMAL;
        };
        try (DeviceSession s = open(300, 1)) {
            Map<String, TagValue> v = s.poll("fast");
            assertThat(v.get("temp").isGood()).isTrue();
            assertThat(v.get("temp").value()).isEqualTo((short) 7);
            assertThat(s.stats().badResponses()).isEqualTo(1);
            assertThat(s.stats().timeouts()).isEqualTo(1);
        }
    }

    @Test
    void poll_silentUnitOnSharedGateway_doesNotStallOtherUnit() throws Exception {
        CountDownLatch silentAsked = new CountDownLatch(1);
        server.script = (r, out) -> {
            if (r.unit() == 1) {
                silentAsked.countDown();
                return null;
            }
            return FakeModbusTcpServer.NORMAL;
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (DeviceSession silent = driver.open(device("silent", 1, 5000, 0), profile());
                DeviceSession healthy = driver.open(device("healthy", 2, 1000, 0), profile())) {
            Future<Map<String, TagValue>> silentPoll = pool.submit(() -> silent.poll("fast"));
            assertThat(silentAsked.await(5, TimeUnit.SECONDS)).isTrue();
            Map<String, TagValue> v = healthy.poll("fast");
            assertThat(v.values()).allMatch(TagValue::isGood);
            assertThat(v.get("temp").value()).isEqualTo((short) -2);
            assertThat(silentPoll.get(10, TimeUnit.SECONDS).get("temp").reason()).isEqualTo(QualityReason.COMM_FAILURE);
            assertThat(server.connections.get()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void poll_afterServerRestart_reconnects() throws Exception {
        try (DeviceSession s = open(500, 0)) {
            assertThat(s.poll("fast").values()).allMatch(TagValue::isGood);
            int port = server.port();
            server.close();
            Map<String, TagValue> down = s.poll("fast");
            assertThat(down.values()).noneMatch(TagValue::isGood);
            server = rebind(port);
            server.registers[0] = 42;
            Map<String, TagValue> up = pollUntilGood(s);
            assertThat(up.get("temp").value()).isEqualTo((short) 42);
        }
    }

    /** The closed port may linger briefly (or be taken by a parallel test run): retry for a while. */
    private static FakeModbusTcpServer rebind(int port) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                return new FakeModbusTcpServer(port);
            } catch (java.net.BindException e) {
                if (attempt == 50) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    @Test
    void write_registerTypes_useFc6Fc16AndReadBack() throws Exception {
        try (DeviceSession s = open(1000, 0)) {
            WriteOutcome w = s.write("temp", (short) -5);
            assertThat(w.success()).isTrue();
            assertThat(w.readBack().value()).isEqualTo((short) -5);
            assertThat(s.write("flow", 1.5f).readBack().value()).isEqualTo(1.5f);
            assertThat(server.received).extracting(FakeModbusTcpServer.Request::fc).containsExactly(6, 3, 16, 3);
        }
    }

    @Test
    void write_bitAndCoil_readModifyWriteAndFc5() throws Exception {
        server.registers[10] = 0x00F0;
        try (DeviceSession s = open(1000, 0)) {
            assertThat(s.write("alarm", true).readBack().value()).isEqualTo(true);
            assertThat(server.registers[10]).isEqualTo(0x00F8);
            assertThat(s.write("run", false).readBack().value()).isEqualTo(false);
            assertThat(server.received).extracting(FakeModbusTcpServer.Request::fc).containsExactly(3, 6, 3, 5, 1);
        }
    }

    @Test
    void write_readOnlyOrBadValue_isRefusedWithoutTraffic() throws Exception {
        try (DeviceSession s = open(1000, 0)) {
            assertThat(s.write("fixed", 1).error()).contains("does not declare writable");
            assertThat(s.write("temp", 70000).error()).contains("INT16");
            assertThat(s.write("nope", 1).error()).contains("tag 'nope', which the device profile does not declare");
            assertThat(server.received).isEmpty();
        }
    }

    @Test
    void open_invalidConfig_namesDeviceTagAndReason() {
        DeviceProfile bad = new DeviceProfile("p", null, null, null, List.of(
                tag("x", RegisterArea.INPUT_REGISTER, 0, DataType.INT16, -1, Access.READ_WRITE)));
        assertThatThrownBy(() -> driver.open(device("d9", 1, 1000, 0), bad)).isInstanceOf(DriverConfigException.class)
                .hasMessageContaining("device d9, tag x").hasMessageContaining("read-only");
        DeviceProfile wrongGroup = new DeviceProfile("p", null, null, null, List.of(new TagDefinition("y",
                RegisterArea.COIL, 0, DataType.INT16, -1, 0, ByteOrder.BIG_ENDIAN, WordOrder.HIGH_FIRST, 1, 0, null, null,
                Access.READ_ONLY, null, null, 0, "fast")));
        assertThatThrownBy(() -> driver.open(device("d9", 1, 1000, 0), wrongGroup)).hasMessageContaining("only BOOL");
        assertThatThrownBy(() -> driver.open(device("d9", 256, 1000, 0), profile())).hasMessageContaining("unit id 256");
        DeviceConfig rtu = new DeviceConfig("r", "r", "p", true, new Endpoint(Endpoint.MODBUS_RTU, null, 0, "/dev/null",
                9600, "none", 8, 1), 0, List.of(new PollGroup("fast", 1000)), 1000, 0, 0, 1, 0, 125);
        assertThatThrownBy(() -> driver.open(rtu, profile())).hasMessageContaining("outside 1..247");
    }

    @Test
    void open_secondDeviceWithSameUnitOnSameEndpoint_isRefusedNamingBoth() throws Exception {
        try (DeviceSession first = driver.open(device("d1", 1, 1000, 0), profile())) {
            assertThatThrownBy(() -> driver.open(device("d2", 1, 1000, 0), profile()))
                    .isInstanceOf(DriverConfigException.class)
                    .hasMessage("device d2: unit id 1 on channel modbus-tcp://127.0.0.1:" + server.port()
                            + " is already used by device d1");
            // Another unit behind the same endpoint is fine, and the refusal disturbed nothing.
            try (DeviceSession other = driver.open(device("d3", 2, 1000, 0), profile())) {
                assertThat(other.poll("fast").values()).allMatch(TagValue::isGood);
            }
            assertThat(first.poll("fast").values()).allMatch(TagValue::isGood);
            assertThat(server.received).extracting(FakeModbusTcpServer.Request::unit).containsOnly(1, 2);
        }
        // Once d1 is closed its unit is free again.
        try (DeviceSession second = driver.open(device("d2", 1, 1000, 0), profile())) {
            assertThat(second.poll("fast").values()).allMatch(TagValue::isGood);
        }
    }

    @Test
    void open_sameUnitOnSerialLineAndRtuOverTcp_isRefused() throws Exception {
        DeviceConfig serial1 = new DeviceConfig("s1", "s1", "p", true, new Endpoint(Endpoint.MODBUS_RTU, null, 0,
                "/dev/ttyCellGateTest0", 9600, "none", 8, 1), 3, List.of(new PollGroup("fast", 1000)), 1000, 0, 0, 1,
                0, 125);
        DeviceConfig serial2 = new DeviceConfig("s2", "s2", "p", true, serial1.endpoint(), 3, serial1.pollGroups(),
                1000, 0, 0, 1, 0, 125);
        Endpoint rtuTcp = new Endpoint(Endpoint.MODBUS_RTU_OVER_TCP, "127.0.0.1", server.port(), null, 0, null, 0, 0);
        DeviceConfig raw1 = new DeviceConfig("r1", "r1", "p", true, rtuTcp, 7, serial1.pollGroups(), 1000, 0, 0, 1,
                0, 125);
        DeviceConfig raw2 = new DeviceConfig("r2", "r2", "p", true, rtuTcp, 7, serial1.pollGroups(), 1000, 0, 0, 1,
                0, 125);
        try (DeviceSession s1 = driver.open(serial1, profile()); DeviceSession r1 = driver.open(raw1, profile())) {
            assertThatThrownBy(() -> driver.open(serial2, profile())).isInstanceOf(DriverConfigException.class)
                    .hasMessageContaining("device s2: unit id 3").hasMessageContaining("/dev/ttyCellGateTest0")
                    .hasMessageContaining("device s1");
            assertThatThrownBy(() -> driver.open(raw2, profile())).isInstanceOf(DriverConfigException.class)
                    .hasMessageContaining("device r2: unit id 7").hasMessageContaining("device r1");
        }
        assertThat(server.received).isEmpty(); // opening sends nothing
    }

    @Test
    void open_sameDeviceAgainWhileItsOldSessionIsOpen_sharesTheChannelUntilBothClose() throws Exception {
        // The core opens a device's new session (configuration change) before the old one is closed.
        DeviceSession old = driver.open(device("d1", 1, 1000, 0), profile());
        try (DeviceSession replacement = driver.open(device("d1", 1, 1000, 0), profile())) {
            assertThat(old.poll("fast").values()).allMatch(TagValue::isGood);
            old.close();
            assertThat(replacement.poll("fast").values()).allMatch(TagValue::isGood);
            assertThat(server.connections.get()).as("the channel stayed open for the replacement").isEqualTo(1);
            assertThatThrownBy(() -> driver.open(device("d2", 1, 1000, 0), profile()))
                    .isInstanceOf(DriverConfigException.class).hasMessageContaining("already used by device d1");
        }
        try (DeviceSession other = driver.open(device("d2", 1, 1000, 0), profile())) {
            assertThat(other.poll("fast").values()).allMatch(TagValue::isGood);
        }
    }

    @Test
    void open_lineSettingsChangedForEveryDevice_newSessionsOpenOnTheNewSettings() throws Exception {
        Endpoint old = new Endpoint(Endpoint.MODBUS_RTU, null, 0, "/dev/ttyCellGateTest1", 9600, "none", 8, 1);
        Endpoint faster = new Endpoint(Endpoint.MODBUS_RTU, null, 0, "/dev/ttyCellGateTest1", 19200, "even", 8, 1);
        java.util.function.BiFunction<String, Endpoint, DeviceConfig> dev = (id, ep) -> new DeviceConfig(id, id, "p",
                true, ep, id.equals("s1") ? 1 : 2, List.of(new PollGroup("fast", 1000)), 1000, 0, 0, 1, 0, 125);
        DeviceSession s1 = driver.open(dev.apply("s1", old), profile());
        DeviceSession s2 = driver.open(dev.apply("s2", old), profile());
        // The core reconfigures the devices of the line one by one, opening each replacement before it
        // closes the old session: neither replacement may be refused for the other's old settings.
        DeviceSession s1new = driver.open(dev.apply("s1", faster), profile());
        s1.close();
        DeviceSession s2new = driver.open(dev.apply("s2", faster), profile());
        s2.close();
        // Units stay exclusive on the new channel.
        assertThatThrownBy(() -> driver.open(new DeviceConfig("s3", "s3", "p", true, faster, 1,
                List.of(new PollGroup("fast", 1000)), 1000, 0, 0, 1, 0, 125), profile()))
                .isInstanceOf(DriverConfigException.class).hasMessageContaining("already used by device s1");
        s1new.close();
        s2new.close();
    }

    private static Map<String, TagValue> pollUntilGood(DeviceSession s) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            Map<String, TagValue> v = s.poll("fast");
            if (v.values().stream().allMatch(TagValue::isGood)) {
                return v;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("device did not come back");
    }
}
