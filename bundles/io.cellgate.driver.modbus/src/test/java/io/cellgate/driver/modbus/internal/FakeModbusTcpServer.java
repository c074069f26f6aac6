package io.cellgate.driver.modbus.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted Modbus TCP server on 127.0.0.1: holding registers and coils in memory, and a script that
 * may replace any answer with raw bytes (or silence).
 */
final class FakeModbusTcpServer implements AutoCloseable {

    /** A received request. */
    record Request(int tid, int unit, byte[] pdu) {
        int fc() {
            return pdu[0] & 0xFF;
        }
    }

    /** Returns the raw bytes to send for a request (null = stay silent), or {@link #NORMAL}. */
    interface Script {
        byte[] answer(Request r, OutputStream out) throws IOException;
    }

    static final byte[] NORMAL = new byte[0];

    final int[] registers = new int[65536];
    final boolean[] coils = new boolean[65536];
    final AtomicInteger connections = new AtomicInteger();
    final List<Request> received = new CopyOnWriteArrayList<>();
    volatile Script script = (r, out) -> NORMAL;
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    FakeModbusTcpServer(int port) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        Thread t = new Thread(this::accept, "fake-modbus-accept");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                connections.incrementAndGet();
                Thread t = new Thread(() -> serve(s), "fake-modbus-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                byte[] h = new byte[7];
                in.readFully(h);
                int len = ((h[4] & 0xFF) << 8) | (h[5] & 0xFF);
                byte[] pdu = new byte[len - 1];
                in.readFully(pdu);
                Request r = new Request(((h[0] & 0xFF) << 8) | (h[1] & 0xFF), h[6] & 0xFF, pdu);
                received.add(r);
                byte[] answer = script.answer(r, out);
                if (answer == NORMAL) {
                    answer = frame(r.tid(), r.unit(), normal(r.pdu()));
                }
                if (answer != null) {
                    synchronized (out) {
                        out.write(answer);
                        out.flush();
                    }
                }
            }
        } catch (IOException e) {
            // connection ends
        }
    }

    synchronized byte[] normal(byte[] pdu) {
        int fc = pdu[0] & 0xFF;
        int addr = ((pdu[1] & 0xFF) << 8) | (pdu[2] & 0xFF);
        int qty = ((pdu[3] & 0xFF) << 8) | (pdu[4] & 0xFF);
        switch (fc) {
            case 3, 4 -> {
                byte[] out = new byte[2 + 2 * qty];
                out[0] = (byte) fc;
                out[1] = (byte) (2 * qty);
                for (int i = 0; i < qty; i++) {
                    out[2 + 2 * i] = (byte) (registers[addr + i] >> 8);
                    out[3 + 2 * i] = (byte) registers[addr + i];
                }
                return out;
            }
            case 1, 2 -> {
                byte[] out = new byte[2 + (qty + 7) / 8];
                out[0] = (byte) fc;
                out[1] = (byte) ((qty + 7) / 8);
                for (int i = 0; i < qty; i++) {
                    if (coils[addr + i]) {
                        out[2 + i / 8] |= (byte) (1 << (i % 8));
                    }
                }
                return out;
            }
            case 5 -> {
                coils[addr] = (pdu[3] & 0xFF) == 0xFF;
                return pdu.clone();
            }
            case 6 -> {
                registers[addr] = qty;
                return pdu.clone();
            }
            case 16 -> {
                for (int i = 0; i < qty; i++) {
                    registers[addr + i] = ((pdu[6 + 2 * i] & 0xFF) << 8) | (pdu[7 + 2 * i] & 0xFF);
                }
                return java.util.Arrays.copyOf(pdu, 5);
            }
            default -> {
                return new byte[] {(byte) (fc | 0x80), 1};
            }
        }
    }

    static byte[] frame(int tid, int unit, byte[] pdu) {
        return frame(tid, 0, pdu.length + 1, unit, pdu);
    }

    static byte[] frame(int tid, int protocol, int length, int unit, byte[] pdu) {
        byte[] a = new byte[7 + pdu.length];
        a[0] = (byte) (tid >> 8);
        a[1] = (byte) tid;
        a[2] = (byte) (protocol >> 8);
        a[3] = (byte) protocol;
        a[4] = (byte) (length >> 8);
        a[5] = (byte) length;
        a[6] = (byte) unit;
        System.arraycopy(pdu, 0, a, 7, pdu.length);
        return a;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
