package io.cellgate.driver.modbus.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted Modbus TCP server on 127.0.0.1: holding registers and coils in memory, and a script that
 * may replace any answer with raw bytes (or silence). Every request is recorded with its arrival time;
 * answers may be held back ({@link #holdAnswers}) to see how many requests a client puts in flight.
 */
final class FakeModbusTcpServer implements AutoCloseable {

    /** A received request; {@code arrivedNanos} is {@link System#nanoTime()} when its last byte was read. */
    record Request(int tid, int unit, byte[] pdu, long arrivedNanos) {
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

    /** An answer held back, and where it goes. */
    private record Held(int unit, OutputStream out, byte[] answer, long sinceNanos) {
    }

    // Guarded by this.
    private final List<Held> held = new ArrayList<>();
    private final Map<Integer, Integer> inFlight = new HashMap<>();
    private final Map<Integer, Integer> maxInFlight = new HashMap<>();
    private int holdBatch;
    private long holdFallbackNanos;
    private ScheduledExecutorService releaser;

    FakeModbusTcpServer(int port) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        Thread t = new Thread(this::accept, "fake-modbus-accept");
        t.setDaemon(true);
        t.start();
    }

    /**
     * From now on answers are held back until {@code batch} requests (of any unit) wait for one, or the
     * oldest has waited {@code fallbackMillis}; then all are sent, oldest first. A request counts as in
     * flight from its arrival until just before its answer is written, so a client that waits for an
     * answer before sending more can never be seen with more in flight than it allows.
     */
    synchronized void holdAnswers(int batch, long fallbackMillis) {
        holdBatch = batch;
        holdFallbackNanos = TimeUnit.MILLISECONDS.toNanos(fallbackMillis);
        if (releaser == null) {
            releaser = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "fake-modbus-releaser");
                t.setDaemon(true);
                return t;
            });
            releaser.scheduleWithFixedDelay(this::releaseOverdue, 5, 5, TimeUnit.MILLISECONDS);
        }
    }

    /** The most requests of {@code unit} that waited for an answer at the same time (held answers only). */
    synchronized int maxInFlight(int unit) {
        return maxInFlight.getOrDefault(unit, 0);
    }

    private synchronized void hold(int unit, OutputStream out, byte[] answer) {
        held.add(new Held(unit, out, answer, System.nanoTime()));
        int now = inFlight.merge(unit, 1, Integer::sum);
        maxInFlight.merge(unit, now, Math::max);
        if (held.size() >= holdBatch) {
            releaseHeld();
        }
    }

    private synchronized void releaseOverdue() {
        if (!held.isEmpty() && System.nanoTime() - held.get(0).sinceNanos() >= holdFallbackNanos) {
            releaseHeld();
        }
    }

    private synchronized void releaseHeld() {
        for (Held h : held) {
            inFlight.merge(h.unit(), -1, Integer::sum);
            try {
                synchronized (h.out()) {
                    h.out().write(h.answer());
                    h.out().flush();
                }
            } catch (IOException e) {
                // the client went away; nothing to answer
            }
        }
        held.clear();
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
                Request r = new Request(((h[0] & 0xFF) << 8) | (h[1] & 0xFF), h[6] & 0xFF, pdu, System.nanoTime());
                received.add(r);
                byte[] answer = script.answer(r, out);
                if (answer == NORMAL) {
                    answer = frame(r.tid(), r.unit(), normal(r.pdu()));
                }
                boolean holding;
                synchronized (this) {
                    holding = holdBatch > 0;
                }
                if (answer != null && holding) {
                    hold(r.unit(), out, answer);
                } else if (answer != null) {
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
        synchronized (this) {
            if (releaser != null) {
                releaser.shutdownNow();
            }
        }
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
