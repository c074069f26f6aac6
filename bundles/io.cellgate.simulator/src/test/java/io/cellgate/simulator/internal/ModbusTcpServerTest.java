package io.cellgate.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellgate.api.config.RegisterArea;
import io.cellgate.simulator.internal.ModbusTcpServer.UnknownUnit;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModbusTcpServerTest {

    private ModbusTcpServer server;
    private UnitDataModel unit1;

    @BeforeEach
    void start() throws IOException {
        server = new ModbusTcpServer("127.0.0.1", 0);
        unit1 = server.unit(1);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void port_ephemeralRequested_returnsBoundPort() {
        assertThat(server.port()).isBetween(1, 65535);
        assertThat(server.isRunning()).isTrue();
    }

    @Test
    void readHoldingRegisters_valuesInModel_returnsThem() throws IOException {
        unit1.writeRegisters(RegisterArea.HOLDING_REGISTER, 100, new int[] {0x1234, 0xFFFF, 0, 7});
        try (RawModbusClient client = new RawModbusClient(server.port())) {
            assertThat(client.readRegisters(1, 3, 100, 4)).containsExactly(0x1234, 0xFFFF, 0, 7);
        }
    }

    @Test
    void readInputRegisters_lastAddress_returnsIt() throws IOException {
        unit1.writeRegisters(RegisterArea.INPUT_REGISTER, 65535, new int[] {0xBEEF});
        try (RawModbusClient client = new RawModbusClient(server.port())) {
            assertThat(client.readRegisters(1, 4, 65535, 1)).containsExactly(0xBEEF);
            // Holding and input registers are separate areas.
            assertThat(client.readRegisters(1, 3, 65535, 1)).containsExactly(0);
        }
    }

    @Test
    void readBits_coilsAndDiscreteInputs_packedLsbFirst() throws IOException {
        boolean[] pattern = {true, false, true, true, false, false, false, false, false, true};
        unit1.writeBits(RegisterArea.COIL, 20, pattern);
        unit1.writeBits(RegisterArea.DISCRETE_INPUT, 3, new boolean[] {false, true});
        try (RawModbusClient client = new RawModbusClient(server.port())) {
            byte[] raw = client.request(1, new byte[] {1, 0, 20, 0, 10});
            assertThat(raw).containsExactly(1, 2, 0b0000_1101, 0b0000_0010);
            assertThat(client.readBits(1, 2, 3, 2)).containsExactly(false, true);
        }
    }

    @Test
    void readHoldingRegisters_rangeBeyondLastAddress_exception02() throws IOException {
        try (RawModbusClient client = new RawModbusClient(server.port())) {
            assertThat(client.request(1, new byte[] {3, (byte) 0xFF, (byte) 0xF0, 0, 17})).containsExactly(0x83, 0x02);
            assertThat(client.request(1, new byte[] {1, (byte) 0xFF, (byte) 0xFF, 0, 2})).containsExactly(0x81, 0x02);
        }
    }

    @Test
    void readHoldingRegisters_quantityZeroOrAbove125_exception03() throws IOException {
        try (RawModbusClient client = new RawModbusClient(server.port())) {
            assertThat(client.request(1, new byte[] {3, 0, 0, 0, 0})).containsExactly(0x83, 0x03);
            assertThat(client.request(1, new byte[] {4, 0, 0, 0, 126})).containsExactly(0x84, 0x03);
            assertThat(client.request(1, new byte[] {2, 0, 0, 0x07, (byte) 0xD1})).containsExactly(0x82, 0x03);
            // The largest legal read still works.
            assertThat(client.readRegisters(1, 3, 0, 125)).hasSize(125);
        }
    }

    @Test
    void request_truncatedPdu_exception03() throws IOException {
        try (RawModbusClient client = new RawModbusClient(server.port())) {
            assertThat(client.request(1, new byte[] {3, 0, 0})).containsExactly(0x83, 0x03);
        }
    }

    @Test
    void request_unknownFunction_exception01() throws IOException {
        try (RawModbusClient client = new RawModbusClient(server.port())) {
            assertThat(client.request(1, new byte[] {0x2B, 0x0E, 1, 0})).containsExactly(0xAB, 0x01);
            assertThat(client.request(1, new byte[] {7})).containsExactly(0x87, 0x01);
        }
    }

    @Test
    void request_unknownUnitByDefault_exception0B() throws IOException {
        try (RawModbusClient client = new RawModbusClient(server.port())) {
            assertThat(client.request(9, new byte[] {3, 0, 0, 0, 1})).containsExactly(0x83, 0x0B);
        }
    }

    @Test
    void request_unknownUnitWithIgnorePolicy_noAnswerAndNextRequestServed() throws IOException {
        try (ModbusTcpServer silent = new ModbusTcpServer("127.0.0.1", 0, UnknownUnit.IGNORE, 4, 10_000)) {
            silent.unit(1).writeRegisters(RegisterArea.HOLDING_REGISTER, 0, new int[] {42});
            silent.start();
            try (RawModbusClient client = new RawModbusClient(silent.port())) {
                client.send(9, new byte[] {3, 0, 0, 0, 1});
                int tid = client.send(1, new byte[] {3, 0, 0, 0, 1});
                // The first frame read back must be the answer to the second request: the first got none.
                assertThat(client.receive(tid, 1)).containsExactly(3, 2, 0, 42);
            }
        }
    }

    @Test
    void writeSingleRegister_thenRead_returnsWrittenAndMarksClientOwned() throws IOException {
        try (RawModbusClient client = new RawModbusClient(server.port())) {
            client.writeRegister(1, 40, 0xABCD);
            assertThat(client.readRegisters(1, 3, 40, 1)).containsExactly(0xABCD);
        }
        assertThat(unit1.isClientWritten(RegisterArea.HOLDING_REGISTER, 40, 1)).isTrue();
        assertThat(unit1.isClientWritten(RegisterArea.HOLDING_REGISTER, 41, 1)).isFalse();
    }

    @Test
    void writeMultipleRegisters_thenRead_returnsWritten() throws IOException {
        try (RawModbusClient client = new RawModbusClient(server.port())) {
            client.writeRegisters(1, 500, 1, 2, 0xFFFF);
            assertThat(client.readRegisters(1, 3, 499, 5)).containsExactly(0, 1, 2, 0xFFFF, 0);
        }
    }

    @Test
    void writeMultipleRegisters_byteCountNotTwiceQuantity_exception03() throws IOException {
        try (RawModbusClient client = new RawModbusClient(server.port())) {
            assertThat(client.request(1, new byte[] {16, 0, 0, 0, 2, 3, 0, 1, 0})).containsExactly(0x90, 0x03);
            assertThat(client.readRegisters(1, 3, 0, 2)).containsExactly(0, 0);
        }
    }

    @Test
    void writeCoils_singleAndMultiple_thenRead() throws IOException {
        try (RawModbusClient client = new RawModbusClient(server.port())) {
            byte[] on = {5, 0, 7, (byte) 0xFF, 0};
            assertThat(client.request(1, on)).containsExactly(on);
            byte[] multiple = {15, 0, 10, 0, 9, 2, (byte) 0b1000_0001, 1};
            assertThat(client.request(1, multiple)).containsExactly(15, 0, 10, 0, 9);
            assertThat(client.readBits(1, 1, 7, 12))
                    .containsExactly(true, false, false, true, false, false, false, false, false, false, true, true);
        }
    }

    @Test
    void writeSingleCoil_valueNeitherOnNorOff_exception03() throws IOException {
        try (RawModbusClient client = new RawModbusClient(server.port())) {
            assertThat(client.request(1, new byte[] {5, 0, 7, 0, 1})).containsExactly(0x85, 0x03);
        }
    }

    @Test
    void connection_garbageBytes_closedAndServerServesAnotherClient() throws IOException {
        unit1.writeRegisters(RegisterArea.HOLDING_REGISTER, 0, new int[] {99});
        try (RawModbusClient hostile = new RawModbusClient(server.port())) {
            hostile.sendRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(hostile.closedByServer()).isTrue();
        }
        try (RawModbusClient client = new RawModbusClient(server.port())) {
            assertThat(client.readRegisters(1, 3, 0, 1)).containsExactly(99);
        }
    }

    @Test
    void connection_oversizedMbapLength_closedAndServerServesAnotherClient() throws IOException {
        try (RawModbusClient client = new RawModbusClient(server.port());
                RawModbusClient hostile = new RawModbusClient(server.port())) {
            hostile.sendRaw(new byte[] {0, 1, 0, 0, (byte) 0xFF, (byte) 0xFF, 1, 3, 0, 0, 0, 1});
            assertThat(hostile.closedByServer()).isTrue();
            // A client connected before the hostile one is unaffected.
            assertThat(client.readRegisters(1, 3, 0, 1)).containsExactly(0);
        }
        try (RawModbusClient client = new RawModbusClient(server.port())) {
            assertThat(client.readRegisters(1, 3, 0, 1)).containsExactly(0);
        }
    }

    @Test
    void connection_lengthBelowTwo_closed() throws IOException {
        try (RawModbusClient hostile = new RawModbusClient(server.port())) {
            hostile.sendRaw(new byte[] {0, 1, 0, 0, 0, 1, 1});
            assertThat(hostile.closedByServer()).isTrue();
        }
    }

    @Test
    void connection_silentOrStuckInsideAFrame_closedAfterIdleTimeout() throws IOException {
        try (ModbusTcpServer strict = new ModbusTcpServer("127.0.0.1", 0, UnknownUnit.EXCEPTION, 4, 100)) {
            strict.unit(1);
            strict.start();
            try (RawModbusClient silent = new RawModbusClient(strict.port());
                    RawModbusClient stuck = new RawModbusClient(strict.port())) {
                stuck.sendRaw(new byte[] {0, 1, 0});
                assertThat(silent.closedByServer()).isTrue();
                assertThat(stuck.closedByServer()).isTrue();
            }
            try (RawModbusClient client = new RawModbusClient(strict.port())) {
                assertThat(client.readRegisters(1, 3, 0, 1)).containsExactly(0);
            }
        }
    }

    @Test
    void connection_clientsInterleaved_eachGetsOwnAnswers() throws IOException {
        unit1.writeRegisters(RegisterArea.HOLDING_REGISTER, 0, new int[] {11, 22});
        try (RawModbusClient a = new RawModbusClient(server.port());
                RawModbusClient b = new RawModbusClient(server.port())) {
            int ta = a.send(1, new byte[] {3, 0, 0, 0, 1});
            int tb = b.send(1, new byte[] {3, 0, 1, 0, 1});
            assertThat(b.receive(tb, 1)).containsExactly(3, 2, 0, 22);
            assertThat(a.receive(ta, 1)).containsExactly(3, 2, 0, 11);
        }
    }

    @Test
    void connection_pipelinedRequests_answeredInOrder() throws IOException {
        unit1.writeRegisters(RegisterArea.HOLDING_REGISTER, 0, new int[] {5, 6, 7});
        try (RawModbusClient client = new RawModbusClient(server.port())) {
            int t1 = client.send(1, new byte[] {3, 0, 0, 0, 1});
            int t2 = client.send(1, new byte[] {3, 0, 1, 0, 2});
            assertThat(client.receive(t1, 1)).containsExactly(3, 2, 0, 5);
            assertThat(client.receive(t2, 1)).containsExactly(3, 4, 0, 6, 0, 7);
        }
    }

    @Test
    void connection_beyondMaxConnections_closed() throws IOException {
        try (ModbusTcpServer small = new ModbusTcpServer("127.0.0.1", 0, UnknownUnit.EXCEPTION, 1, 10_000)) {
            small.unit(1);
            small.start();
            try (RawModbusClient first = new RawModbusClient(small.port())) {
                assertThat(first.readRegisters(1, 3, 0, 1)).containsExactly(0); // now surely registered
                try (RawModbusClient second = new RawModbusClient(small.port())) {
                    assertThat(second.closedByServer()).isTrue();
                }
                assertThat(first.readRegisters(1, 3, 0, 1)).containsExactly(0);
            }
        }
    }

    @Test
    void close_openConnection_closedAndNotRunning() throws IOException {
        try (RawModbusClient client = new RawModbusClient(server.port())) {
            assertThat(client.readRegisters(1, 3, 0, 1)).containsExactly(0);
            server.close();
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(server.isRunning()).isFalse();
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void start_portInUse_ioExceptionNamingAddressAndPort() throws IOException {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ModbusTcpServer second = new ModbusTcpServer("127.0.0.1", busy.getLocalPort());
            assertThatThrownBy(second::start).isInstanceOf(IOException.class)
                    .hasMessageContaining("127.0.0.1:" + busy.getLocalPort());
            assertThat(second.isRunning()).isFalse();
            second.close();
        }
    }

    @Test
    void constructor_defaultBindAddress_isLoopback() {
        assertThat(new ModbusTcpServer(null, 0).bindAddress()).isEqualTo("127.0.0.1");
        assertThat(ModbusTcpServer.DEFAULT_BIND_ADDRESS).isEqualTo("127.0.0.1");
    }
}
