package io.cellgate.simulator.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A deliberately minimal Modbus TCP client for the tests, written from the specification and
 * independent of the server code: it sends a PDU in an MBAP frame and returns the response PDU.
 */
final class RawModbusClient implements AutoCloseable {

    /** Raised for an exception response (function code with the high bit set). */
    static final class ModbusErrorResponse extends IOException {
        final int code;

        ModbusErrorResponse(int functionCode, int code) {
            super("exception " + code + " for function " + functionCode);
            this.code = code;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int transactionId = 0x1200;

    RawModbusClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(5000); // only to keep a broken test from hanging; no test asserts on time
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends {@code pdu} to {@code unit} and returns the response PDU (exception responses included). */
    byte[] request(int unit, byte[] pdu) throws IOException {
        int tid = send(unit, pdu);
        return receive(tid, unit);
    }

    /** Sends a request frame and returns its transaction id, without waiting for an answer. */
    int send(int unit, byte[] pdu) throws IOException {
        int tid = ++transactionId & 0xFFFF;
        byte[] frame = new byte[7 + pdu.length];
        frame[0] = (byte) (tid >> 8);
        frame[1] = (byte) tid;
        frame[4] = (byte) ((pdu.length + 1) >> 8);
        frame[5] = (byte) (pdu.length + 1);
        frame[6] = (byte) unit;
        System.arraycopy(pdu, 0, frame, 7, pdu.length);
        sendRaw(frame);
        return tid;
    }

    /** Reads one response frame and checks its MBAP header against the expected transaction and unit. */
    byte[] receive(int expectedTid, int expectedUnit) throws IOException {
        byte[] header = new byte[7];
        in.readFully(header);
        int tid = u16(header, 0);
        if (tid != expectedTid || u16(header, 2) != 0 || (header[6] & 0xFF) != expectedUnit) {
            throw new IOException("unexpected MBAP header: tid " + tid + " (expected " + expectedTid + "), protocol "
                    + u16(header, 2) + ", unit " + (header[6] & 0xFF) + " (expected " + expectedUnit + ")");
        }
        byte[] pdu = new byte[u16(header, 4) - 1];
        in.readFully(pdu);
        return pdu;
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    int[] readRegisters(int unit, int functionCode, int address, int quantity) throws IOException {
        byte[] pdu = checked(request(unit, new byte[] {(byte) functionCode, (byte) (address >> 8), (byte) address,
            (byte) (quantity >> 8), (byte) quantity}), functionCode);
        if ((pdu[1] & 0xFF) != 2 * quantity || pdu.length != 2 + 2 * quantity) {
            throw new IOException("byte count " + (pdu[1] & 0xFF) + " for " + quantity + " registers");
        }
        int[] regs = new int[quantity];
        for (int i = 0; i < quantity; i++) {
            regs[i] = u16(pdu, 2 + 2 * i);
        }
        return regs;
    }

    boolean[] readBits(int unit, int functionCode, int address, int quantity) throws IOException {
        byte[] pdu = checked(request(unit, new byte[] {(byte) functionCode, (byte) (address >> 8), (byte) address,
            (byte) (quantity >> 8), (byte) quantity}), functionCode);
        if ((pdu[1] & 0xFF) != (quantity + 7) / 8 || pdu.length != 2 + (quantity + 7) / 8) {
            throw new IOException("byte count " + (pdu[1] & 0xFF) + " for " + quantity + " bits");
        }
        boolean[] bits = new boolean[quantity];
        for (int i = 0; i < quantity; i++) {
            bits[i] = ((pdu[2 + i / 8] >> (i % 8)) & 1) == 1;
        }
        return bits;
    }

    void writeRegister(int unit, int address, int value) throws IOException {
        byte[] request = {6, (byte) (address >> 8), (byte) address, (byte) (value >> 8), (byte) value};
        byte[] pdu = checked(request(unit, request), 6);
        if (!java.util.Arrays.equals(pdu, request)) {
            throw new IOException("FC6 response does not echo the request");
        }
    }

    void writeRegisters(int unit, int address, int... values) throws IOException {
        byte[] request = new byte[6 + 2 * values.length];
        request[0] = 16;
        request[1] = (byte) (address >> 8);
        request[2] = (byte) address;
        request[4] = (byte) values.length;
        request[5] = (byte) (2 * values.length);
        for (int i = 0; i < values.length; i++) {
            request[6 + 2 * i] = (byte) (values[i] >> 8);
            request[7 + 2 * i] = (byte) values[i];
        }
        byte[] pdu = checked(request(unit, request), 16);
        if (pdu.length != 5 || u16(pdu, 1) != address || u16(pdu, 3) != values.length) {
            throw new IOException("FC16 response does not confirm address and quantity");
        }
    }

    /**
     * True when the server has closed the connection: end of stream or a reset. A server that keeps
     * the connection open and silent makes this throw SocketTimeoutException, failing the test.
     */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            return true; // connection reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    static byte[] checked(byte[] pdu, int functionCode) throws IOException {
        if ((pdu[0] & 0xFF) == (functionCode | 0x80)) {
            throw new ModbusErrorResponse(functionCode, pdu[1] & 0xFF);
        }
        if ((pdu[0] & 0xFF) != functionCode) {
            throw new IOException("response function " + (pdu[0] & 0xFF) + " to request " + functionCode);
        }
        return pdu;
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }
}
