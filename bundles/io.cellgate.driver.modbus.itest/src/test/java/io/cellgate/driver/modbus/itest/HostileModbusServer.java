package io.cellgate.driver.modbus.itest;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scripted Modbus TCP server on loopback that answers register reads (FC 3 and 4) correctly, or
 * according to a chosen {@link Fault}. Correct answers hold {@link #good(int)} per address; every faulty
 * frame that carries register data holds {@link #poison(int)} instead, so a driver that accepts a frame
 * it should have rejected shows it as a wrong value.
 */
final class HostileModbusServer implements AutoCloseable {

    enum Fault {
        NONE,
        WRONG_TRANSACTION_ID,
        WRONG_UNIT_ID,
        WRONG_PROTOCOL_ID,
        /** A well-formed read response of the other register function (4 for 3, 3 for 4). */
        WRONG_FUNCTION_CODE,
        /** Byte count (and the data) one register short of the requested quantity; MBAP length consistent. */
        BYTE_COUNT_MISMATCH,
        TRUNCATED_THEN_SILENCE,
        TRUNCATED_THEN_CLOSE,
        /** MBAP length 0xFFFF followed by an otherwise plausible PDU. */
        OVERSIZED_LENGTH,
        /** An exception response with {@link HostileModbusServer#exceptionCode(int)}. */
        EXCEPTION,
        NO_RESPONSE,
        GARBAGE,
        /**
         * The response (poison data, the request's own transaction id) is held back until the next request
         * arrives on the same connection, then sent just before the correct answer to that next request;
         * the server behaves correctly from then on. Independent of timing: the late frame always arrives
         * while the next request waits.
         */
        LATE_RESPONSE
    }

    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong lateFramesSent = new AtomicLong();
    private volatile Fault fault = Fault.NONE;
    private volatile int exceptionCode = 2;
    private volatile boolean closed;

    HostileModbusServer() {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a loopback port", e);
        }
        acceptor = new Thread(this::accept, "hostile-modbus-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    HostileModbusServer fault(Fault f) {
        fault = f;
        return this;
    }

    HostileModbusServer exceptionCode(int code) {
        exceptionCode = code;
        return this;
    }

    /** Requests received (complete frames). */
    long requests() {
        return requests.get();
    }

    /** Connections accepted. */
    long connections() {
        return connections.get();
    }

    /** Late frames ({@link Fault#LATE_RESPONSE}) actually sent, ahead of the answer to a later request. */
    long lateFramesSent() {
        return lateFramesSent.get();
    }

    /** The register value a correct answer holds at {@code address}. */
    static int good(int address) {
        return 1000 + address;
    }

    /** The register value a faulty answer holds at {@code address}: never equal to a good one. */
    static int poison(int address) {
        return 0x7700 + address;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                clients.add(client);
                connections.incrementAndGet();
                Thread t = new Thread(() -> serve(client), "hostile-modbus-" + client.getPort());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            DataInputStream in = new DataInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            byte[][] held = new byte[1][];
            while (!closed) {
                byte[] header = new byte[7];
                in.readFully(header);
                ByteBuffer h = ByteBuffer.wrap(header);
                int tid = h.getShort() & 0xFFFF;
                h.getShort(); // protocol id
                int length = h.getShort() & 0xFFFF;
                int unit = h.get() & 0xFF;
                byte[] pdu = new byte[length - 1];
                in.readFully(pdu);
                requests.incrementAndGet();
                if (held[0] != null) {
                    out.write(held[0]);
                    held[0] = null;
                    lateFramesSent.incrementAndGet();
                }
                if (!answer(out, tid, unit, pdu, held)) {
                    return;
                }
            }
        } catch (EOFException e) {
            // the driver closed the connection
        } catch (IOException e) {
            // closed by the test or the driver
        }
    }

    /** Answers one request; false when the connection is to be closed. */
    private boolean answer(OutputStream out, int tid, int unit, byte[] pdu, byte[][] held) throws IOException {
        int fc = pdu[0] & 0xFF;
        int address = ((pdu[1] & 0xFF) << 8) | (pdu[2] & 0xFF);
        int quantity = ((pdu[3] & 0xFF) << 8) | (pdu[4] & 0xFF);
        Fault f = fault;
        if (fc != 3 && fc != 4) {
            out.write(frame(tid, 0, unit, new byte[] {(byte) (fc | 0x80), 1})); // illegal function
            return true;
        }
        switch (f) {
            case NONE -> out.write(readResponse(tid, 0, unit, fc, address, quantity, quantity, false));
            case WRONG_TRANSACTION_ID ->
                out.write(readResponse(tid ^ 0x5A5A, 0, unit, fc, address, quantity, quantity, true));
            case WRONG_UNIT_ID -> out.write(readResponse(tid, 0, (unit + 1) & 0xFF, fc, address, quantity, quantity, true));
            case WRONG_PROTOCOL_ID -> out.write(readResponse(tid, 1, unit, fc, address, quantity, quantity, true));
            case WRONG_FUNCTION_CODE ->
                out.write(readResponse(tid, 0, unit, fc == 3 ? 4 : 3, address, quantity, quantity, true));
            case BYTE_COUNT_MISMATCH ->
                out.write(readResponse(tid, 0, unit, fc, address, quantity, quantity - 1, true));
            case TRUNCATED_THEN_SILENCE, TRUNCATED_THEN_CLOSE -> {
                byte[] full = readResponse(tid, 0, unit, fc, address, quantity, quantity, true);
                out.write(Arrays.copyOf(full, full.length / 2 + 1));
                out.flush();
                return f == Fault.TRUNCATED_THEN_SILENCE;
            }
            case OVERSIZED_LENGTH -> {
                byte[] full = readResponse(tid, 0, unit, fc, address, quantity, quantity, true);
                full[4] = (byte) 0xFF;
                full[5] = (byte) 0xFF;
                out.write(full);
            }
            case EXCEPTION -> out.write(frame(tid, 0, unit, new byte[] {(byte) (fc | 0x80), (byte) exceptionCode}));
            case NO_RESPONSE -> {
                // silence
            }
            case GARBAGE -> out.write(new byte[] {(byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF, 0x13, 0x37,
                    0x42, (byte) 0x99, 0x01, 0x02, 0x77, 0x00, 0x55, (byte) 0xAA});
            case LATE_RESPONSE -> {
                held[0] = readResponse(tid, 0, unit, fc, address, quantity, quantity, true);
                fault = Fault.NONE;
            }
        }
        out.flush();
        return true;
    }

    /** A read response with {@code registers} registers of good or poison values. */
    private static byte[] readResponse(int tid, int protocol, int unit, int fc, int address, int quantity,
            int registers, boolean poisoned) {
        ByteBuffer pdu = ByteBuffer.allocate(2 + 2 * registers);
        pdu.put((byte) fc).put((byte) (2 * registers));
        for (int i = 0; i < registers; i++) {
            pdu.putShort((short) (poisoned ? poison(address + i) : good(address + i)));
        }
        return frame(tid, protocol, unit, pdu.array());
    }

    private static byte[] frame(int tid, int protocol, int unit, byte[] pdu) {
        return ByteBuffer.allocate(7 + pdu.length).putShort((short) tid).putShort((short) protocol)
                .putShort((short) (pdu.length + 1)).put((byte) unit).put(pdu).array();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
        for (Socket s : clients) {
            try {
                s.close();
            } catch (IOException e) {
                // closing
            }
        }
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
