package io.cellgate.driver.modbus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.config.DeviceConfig;
import io.cellgate.api.config.Endpoint;
import io.cellgate.api.config.PollGroup;
import io.cellgate.api.driver.DeviceSession;
import io.cellgate.api.driver.SessionStats;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The driver statistics health reads: round-trip histogram, errors by kind, poll time, sessions by device. */
class ModbusDriverStatsTest {

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

    private DeviceConfig device(String id, int port) {
        return new DeviceConfig(id, id, "p", true, new Endpoint(Endpoint.MODBUS_TCP, "127.0.0.1", port, null, 0, null,
                0, 0), 1, List.of(new PollGroup("fast", 1000)), 300, 0, 0, 2, 10, 125);
    }

    @Test
    void stats_answeredPolls_fillHistogramAndPollTime() throws Exception {
        try (DeviceSession s = driver.open(device("d1", server.port()), ModbusDriverTcpTest.profile())) {
            for (int i = 0; i < 5; i++) {
                s.poll("fast");
            }
            SessionStats st = s.stats();
            assertThat(st.roundTrips().total()).isEqualTo(st.requests()).isPositive();
            assertThat(st.roundTrips().percentileMillis(0.5)).isPositive();
            assertThat(st.roundTrips().percentileMillis(0.99)).isGreaterThanOrEqualTo(st.roundTrips().percentileMillis(0.5));
            assertThat(st.lastPollMillis()).isPositive();
            assertThat(st.errorsByKind()).isEmpty();
            assertThat(driver.sessions()).containsOnlyKeys("d1");
            assertThat(driver.sessions().get("d1").requests()).isEqualTo(st.requests());
        }
        assertThat(driver.sessions()).isEmpty();
    }

    @Test
    void stats_exceptionResponses_countedByCode() throws Exception {
        // holding registers answer exception 0x02 (illegal data address), coils answer normally
        server.script = (r, out) -> r.fc() == 3
                ? FakeModbusTcpServer.frame(r.tid(), r.unit(), new byte[] {(byte) 0x83, 2}) : FakeModbusTcpServer.NORMAL;
        try (DeviceSession s = driver.open(device("d1", server.port()), ModbusDriverTcpTest.profile())) {
            s.poll("fast");
            SessionStats st = s.stats();
            assertThat(st.errorsByKind()).containsKey(SessionStats.exceptionKind(2));
            assertThat(st.errorsByKind().get("exception_0x02")).isEqualTo(st.exceptions()).isPositive();
        }
    }

    @Test
    void stats_silentDevice_countsTimeouts() throws Exception {
        server.script = (r, out) -> null;
        try (DeviceSession s = driver.open(device("d1", server.port()), ModbusDriverTcpTest.profile())) {
            s.poll("fast");
            assertThat(s.stats().errorsByKind().get(SessionStats.ERROR_TIMEOUT)).isEqualTo(s.stats().timeouts())
                    .isPositive();
        }
    }

    @Test
    void stats_connectionRefused_countsConnect() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        try (DeviceSession s = driver.open(device("d2", closedPort), ModbusDriverTcpTest.profile())) {
            s.poll("fast");
            assertThat(s.stats().errorsByKind()).containsEntry(SessionStats.ERROR_CONNECT, 1L);
            assertThat(s.stats().requests()).isZero();
        }
    }

    @Test
    void stats_garbledFrame_countsBadResponse() throws Exception {
        // a response whose byte count disagrees with the request: a framing error of the PDU
        server.script = (r, out) -> r.fc() == 3
                ? FakeModbusTcpServer.frame(r.tid(), r.unit(), new byte[] {3, 7, 0}) : FakeModbusTcpServer.NORMAL;
        try (DeviceSession s = driver.open(device("d1", server.port()), ModbusDriverTcpTest.profile())) {
            s.poll("fast");
            assertThat(s.stats().errorsByKind().get(SessionStats.ERROR_BAD_RESPONSE)).isPositive();
        }
    }
}
