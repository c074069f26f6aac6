package io.cellgate.boundary.internal;

import io.cellgate.api.config.DeviceConfig;
import io.cellgate.api.config.Endpoint;
import io.cellgate.config.LoadResult;
import java.util.ArrayList;
import java.util.List;

/**
 * What of a cell decides its boundary: the OPC UA port, the devices' endpoints and the MQTT brokers. Taken from a
 * valid {@link LoadResult}; tests build it directly.
 *
 * @param brokers broker URLs as written in {@code mqtt.brokers}; empty without an mqtt section
 */
record Cell(String id, String hash, int opcuaPort, List<Device> devices, List<String> brokers) {

    /** The OPC UA server's port when {@code opcua.port} is not written (OpcUaConfig's default). */
    static final int DEFAULT_OPCUA_PORT = 4840;

    Cell {
        devices = List.copyOf(devices);
        brokers = List.copyOf(brokers);
    }

    /**
     * A device: {@code host}/{@code port} for the TCP protocols, {@code serialPort} for modbus-rtu.
     *
     * @param index the device's position in cell.yaml (for error messages: devices[i])
     */
    record Device(int index, String id, String protocol, String host, int port, String serialPort, boolean enabled) {

        boolean tcp() {
            return host != null;
        }
    }

    static Cell from(LoadResult result) {
        var config = result.config().orElseThrow(() -> new IllegalArgumentException("the configuration is invalid"));
        List<Device> devices = new ArrayList<>();
        for (int i = 0; i < config.devices().size(); i++) {
            DeviceConfig d = config.devices().get(i);
            Endpoint e = d.endpoint();
            boolean tcp = !Endpoint.MODBUS_RTU.equals(e.protocol());
            devices.add(new Device(i, d.id(), e.protocol(), tcp ? e.host() : null, tcp ? e.port() : 0,
                    tcp ? null : e.serialPort(), d.enabled()));
        }
        int port = result.opcua().map(o -> o.port()).filter(p -> p != null).orElse(DEFAULT_OPCUA_PORT);
        List<String> brokers = result.mqtt().map(m -> m.brokers()).orElse(List.of());
        return new Cell(config.cellId(), config.hash(), port, devices, brokers);
    }
}
