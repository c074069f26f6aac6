package io.cellgate.bench.cell;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.config.CellConfig;
import io.cellgate.api.config.DeviceConfig;
import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.bench.plan.PlanReport;
import io.cellgate.modbus.Mbap;
import io.cellgate.modbus.ModbusRequest;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCellTest {

    @Test
    void simulateCell_smallSyntheticCell_servesEveryDevice(@TempDir Path dir) throws IOException {
        int base = freePortPair();
        new SyntheticCell(3, 2, 1, 20, "127.0.0.1", base).write(dir);
        CellConfig cell = PlanReport.load(dir);

        try (SimulateCell sim = new SimulateCell(cell)) {
            assertThat(sim.serverCount()).isEqualTo(2);
            for (DeviceConfig device : cell.devices()) {
                TagDefinition tag = cell.profiles().get(device.profile()).tags().stream()
                        .filter(t -> t.area() == RegisterArea.HOLDING_REGISTER).findFirst().orElseThrow();
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), device.endpoint().port())) {
                    s.setSoTimeout(5000);
                    ModbusRequest request = ModbusRequest.read(tag.area(), tag.address(), tag.quantity());
                    s.getOutputStream().write(Mbap.encode(7, device.unitId(), request.pdu()));
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    byte[] header = new byte[7];
                    in.readFully(header);
                    byte[] pdu = new byte[((header[4] & 0xFF) << 8 | (header[5] & 0xFF)) - 1];
                    in.readFully(pdu);
                    // Function 3 echoed (no exception bit), byte count for the registers asked.
                    assertThat(pdu[0]).isEqualTo((byte) 3);
                    assertThat(pdu[1] & 0xFF).isEqualTo(2 * tag.quantity());
                }
            }
        }
    }

    /** The lower of two consecutive ports that were free a moment ago. */
    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = a.getLocalPort();
                if (port < 65535) {
                    try (ServerSocket b = new ServerSocket(port + 1, 1, InetAddress.getLoopbackAddress())) {
                        return port;
                    } catch (IOException taken) {
                        // try another pair
                    }
                }
            }
        }
        throw new IOException("no two consecutive free ports on 127.0.0.1");
    }
}
