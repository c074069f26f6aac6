package io.cellgate.driver.modbus.itest;

import java.nio.file.Path;

import io.cellgate.api.config.Endpoint;

/**
 * A pymodbus device reachable over one transport: {@code tcp}, {@code rtu-over-tcp} (RTU frames on a TCP
 * socket), {@code rtu-none} or {@code rtu-even} (RTU over a socat pty pair, the driver's end configured with
 * that parity).
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
        if (transport.equals("rtu-over-tcp")) {
            PythonDevice device = PythonDevice.rtuOverTcp(spec);
            return new PyModbusPeer(device, Devices.rtuOverTcp(device.port()), null);
        }
        String parity = transport.substring("rtu-".length());
        Env.requireSocat();
        PtyPair pty = new PtyPair(tempDir);
        try {
            // A pty has no parity bit and Linux refuses PARENB on it (pyserial: EINVAL), so pymodbus' end
            // stays 'N'; the driver's end is configured with the parity under test.
            PythonDevice device = PythonDevice.rtu(spec, pty.deviceEnd(), 'N');
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
