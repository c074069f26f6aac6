package io.cellgate.driver.modbus.internal;

import com.fazecast.jSerialComm.SerialPort;
import java.io.IOException;

/** A serial line (RS-485 adapter, or a pseudo-terminal in tests) through jSerialComm. */
final class SerialLink implements ByteLink {
    private final String path;
    private final int baudRate;
    private final int dataBits;
    private final int stopBits;
    private final String parity;
    private SerialPort port;

    SerialLink(String path, int baudRate, int dataBits, int stopBits, String parity) {
        this.path = path;
        this.baudRate = baudRate;
        this.dataBits = dataBits;
        this.stopBits = stopBits;
        this.parity = parity;
    }

    @Override
    public void open(int timeoutMillis) throws IOException {
        SerialPort p = SerialPort.getCommPort(path);
        p.setComPortParameters(baudRate, dataBits,
                stopBits == 2 ? SerialPort.TWO_STOP_BITS : SerialPort.ONE_STOP_BIT,
                switch (parity) {
                    case "even" -> SerialPort.EVEN_PARITY;
                    case "odd" -> SerialPort.ODD_PARITY;
                    default -> SerialPort.NO_PARITY;
                });
        p.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, Math.max(1, timeoutMillis), 0);
        if (!p.openPort()) {
            throw new IOException("cannot open serial port " + path + " (error " + p.getLastErrorCode() + ")");
        }
        port = p;
    }

    @Override
    public void write(byte[] data) throws IOException {
        int n = port.writeBytes(data, data.length);
        if (n != data.length) {
            throw new IOException("wrote " + n + " of " + data.length + " bytes to " + path);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length, int timeoutMillis) throws IOException {
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, Math.max(1, timeoutMillis), 0);
        int n = port.readBytes(buffer, length, offset);
        if (n < 0) {
            throw new IOException("read from " + path + " failed (error " + port.getLastErrorCode() + ")");
        }
        return n;
    }

    @Override
    public void drain() {
        byte[] skip = new byte[256];
        int available;
        while ((available = port.bytesAvailable()) > 0) {
            port.readBytes(skip, Math.min(available, skip.length), 0);
        }
    }

    @Override
    public String name() {
        return path;
    }

    /** 3.5 character times (start + data + parity + stop bits); a fixed 1.75 ms above 19200 baud (Modbus over serial line, 2.5.1.1). */
    @Override
    public long interFrameNanos() {
        if (baudRate > 19200) {
            return 1_750_000;
        }
        int bitsPerChar = 1 + dataBits + ("none".equals(parity) ? 0 : 1) + stopBits;
        return (long) (3.5 * bitsPerChar * 1_000_000_000L / baudRate);
    }

    @Override
    public void close() {
        if (port != null) {
            port.closePort();
        }
    }
}
