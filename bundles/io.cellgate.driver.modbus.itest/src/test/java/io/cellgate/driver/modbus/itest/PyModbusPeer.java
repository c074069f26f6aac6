package io.cellgate.driver.modbus.itest;

import java.nio.file.Path;

import io.cellgate.api.config.Endpoint;

/**
 * A pymodbus device reachable over one transport: {@code tcp}, {@code rtu-none} or {@code rtu-even}
 * (RTU over a socat pty pair with that parity configured on both sides).
 */
final class PyModbusPeer implements AutoCloseable {

    final PythonDevice device;
    final Endpoint endpoint;
    private final PtyPair pty;

    private PyModbusPeer(PythonDevice device, Endpoint endpoint, PtyPair pty) {
        this.device = device;
        this.endpoint = endpoint;
        this.pty = pty;
    }

    static PyModbusPeer start(String transport, DeviceSpec spec, Path tempDir) {
        Env.requirePymodbus();
        if (transport.equals("tcp")) {
            PythonDevice device = PythonDevice.tcp(spec);
            return new PyModbusPeer(device, Devices.tcp(device.port()), null);
        }
        String parity = transport.substring("rtu-".length());
        Env.requireSocat();
        PtyPair pty = new PtyPair(tempDir);
        try {
            PythonDevice device = PythonDevice.rtu(spec, pty.deviceEnd(), Character.toUpperCase(parity.charAt(0)));
            return new PyModbusPeer(device, Devices.rtu(pty.driverPort(), parity), pty);
        } catch (RuntimeException | Error e) {
            pty.close();
            throw e;
        }
    }

    @Override
    public void close() {
        device.close();
        if (pty != null) {
            pty.close();
        }
    }
}
