package io.cellgate.simulator.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Modbus TCP server (slave) serving one {@link UnitDataModel} per unit id.
 *
 * <p>One acceptor thread plus one thread per connection, all owned by the server and stopped by
 * {@link #close()}; connections beyond {@code maxConnections} are closed at once. A connection whose
 * MBAP header is invalid (protocol id not 0, length outside 2..254), or that stays silent longer than the
 * idle timeout, is closed; nothing a client sends can stop the server. Requests on one connection are
 * answered in order.
 *
 * <p>A request for a unit id that is not served gets exception 0x0B (gateway target device failed to
 * respond) by default, which tells a client at once that the unit is absent; {@link UnknownUnit#IGNORE}
 * instead drops it silently, as pymodbus and many real devices do, and the client times out.
 */
public final class ModbusTcpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModbusTcpServer.class);

    /** Loopback: the simulator is never reachable from other hosts unless configured so. */
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_MAX_CONNECTIONS = 16;
    public static final int DEFAULT_IDLE_TIMEOUT_MILLIS = 120_000;

    private static final int MBAP_HEADER = 7;
    private static final int MAX_PDU = 253;

    /** What to do with a request for a unit id that has no data model. */
    public enum UnknownUnit {
        /** Answer exception 0x0B (gateway target device failed to respond). */
        EXCEPTION,
        /** Send nothing, like pymodbus; the client times out. */
        IGNORE
    }

    private final String bindAddress;
    private final int requestedPort;
    private final UnknownUnit unknownUnit;
    private final int maxConnections;
    private final int idleTimeoutMillis;
    private final Map<Integer, UnitDataModel> units = new ConcurrentHashMap<>();
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionCounter = new AtomicInteger();

    private volatile ServerSocket serverSocket;
    private volatile Thread acceptor;
    private volatile boolean closed;

    /** A server with the defaults: exception 0x0B for unknown units, 16 connections, 120 s idle timeout. */
    public ModbusTcpServer(String bindAddress, int port) {
        this(bindAddress, port, UnknownUnit.EXCEPTION, DEFAULT_MAX_CONNECTIONS, DEFAULT_IDLE_TIMEOUT_MILLIS);
    }

    /**
     * @param bindAddress       local address to listen on (null or blank = 127.0.0.1)
     * @param port              TCP port, 0 = an ephemeral port (see {@link #port()})
     * @param unknownUnit       answer for unit ids without a data model
     * @param maxConnections    connections served at once (>= 1)
     * @param idleTimeoutMillis a connection silent this long is closed (0 = never)
     */
    public ModbusTcpServer(String bindAddress, int port, UnknownUnit unknownUnit, int maxConnections,
            int idleTimeoutMillis) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections " + maxConnections + " must be at least 1");
        }
        if (idleTimeoutMillis < 0) {
            throw new IllegalArgumentException("idleTimeoutMillis " + idleTimeoutMillis + " must not be negative");
        }
        this.bindAddress = bindAddress == null || bindAddress.isBlank() ? DEFAULT_BIND_ADDRESS : bindAddress.trim();
        this.requestedPort = port;
        this.unknownUnit = unknownUnit;
        this.maxConnections = maxConnections;
        this.idleTimeoutMillis = idleTimeoutMillis;
    }

    /** The data model of a unit id, created empty on first call. */
    public UnitDataModel unit(int unitId) {
        checkUnitId(unitId);
        return units.computeIfAbsent(unitId, id -> new UnitDataModel());
    }

    /** Serves {@code model} as unit {@code unitId} (replacing any earlier one). */
    public void putUnit(int unitId, UnitDataModel model) {
        checkUnitId(unitId);
        units.put(unitId, model);
    }

    /**
     * Binds and starts accepting connections.
     *
     * @throws IOException when the address cannot be bound (the message names address and port)
     */
    public synchronized void start() throws IOException {
        if (closed) {
            throw new IllegalStateException("server " + bindAddress + ":" + requestedPort + " is closed");
        }
        if (serverSocket != null) {
            return;
        }
        ServerSocket socket = new ServerSocket();
        try {
            socket.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), requestedPort), 50);
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot listen on " + bindAddress + ":" + requestedPort + ": " + e.getMessage(), e);
        }
        serverSocket = socket;
        Thread thread = new Thread(this::acceptLoop, "cellgate-sim-modbus-" + socket.getLocalPort() + "-accept");
        thread.setDaemon(true);
        acceptor = thread;
        thread.start();
        LOG.info("Modbus TCP simulator listening on {}:{}", bindAddress, socket.getLocalPort());
    }

    /** The bound port, or -1 while not listening. */
    public int port() {
        ServerSocket socket = serverSocket;
        return socket == null ? -1 : socket.getLocalPort();
    }

    public String bindAddress() {
        return bindAddress;
    }

    /** True between a successful {@link #start()} and {@link #close()}. */
    public boolean isRunning() {
        return serverSocket != null && !closed;
    }

    /** Connections currently open. */
    public int connectionCount() {
        return connections.size();
    }

    /** Stops accepting, closes every connection and waits briefly for the threads to end. Idempotent. */
    @Override
    public void close() {
        Thread acceptThread;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            acceptThread = acceptor;
            closeQuietly(serverSocket);
        }
        for (Socket connection : connections) {
            closeQuietly(connection);
        }
        if (acceptThread != null && acceptThread != Thread.currentThread()) {
            try {
                acceptThread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void acceptLoop() {
        ServerSocket socket = serverSocket;
        while (!closed) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.error("Modbus TCP simulator on port {}: accept failed, no longer listening", port(), e);
                }
                return;
            }
            if (closed || connections.size() >= maxConnections) {
                LOG.warn("Modbus TCP simulator on port {}: refusing {} ({} connections open, limit {})", port(),
                        client.getRemoteSocketAddress(), connections.size(), maxConnections);
                closeQuietly(client);
                continue;
            }
            connections.add(client);
            if (closed) { // close() may have swept the set just before the add
                connections.remove(client);
                closeQuietly(client);
                return;
            }
            Thread thread = new Thread(() -> serve(client),
                    "cellgate-sim-modbus-" + socket.getLocalPort() + "-conn-" + connectionCounter.incrementAndGet());
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void serve(Socket client) {
        Object remote = client.getRemoteSocketAddress();
        try (client) {
            client.setTcpNoDelay(true);
            client.setSoTimeout(idleTimeoutMillis);
            DataInputStream in = new DataInputStream(new BufferedInputStream(client.getInputStream()));
            OutputStream out = new BufferedOutputStream(client.getOutputStream());
            byte[] header = new byte[MBAP_HEADER];
            while (!closed) {
                int first = in.read();
                if (first < 0) {
                    return; // orderly close by the client
                }
                header[0] = (byte) first;
                in.readFully(header, 1, MBAP_HEADER - 1);
                int protocolId = u16(header, 2);
                int length = u16(header, 4);
                if (protocolId != 0 || length < 2 || length > MAX_PDU + 1) {
                    LOG.warn("Modbus TCP simulator on port {}: closing {}: invalid MBAP header (protocol id {}, "
                            + "length {}; expected 0 and 2..{})", port(), remote, protocolId, length, MAX_PDU + 1);
                    return;
                }
                byte[] pdu = new byte[length - 1];
                in.readFully(pdu);
                int unitId = header[6] & 0xFF;
                UnitDataModel unit = units.get(unitId);
                byte[] response;
                if (unit != null) {
                    response = ModbusRequestHandler.handle(unit, pdu);
                } else if (unknownUnit == UnknownUnit.EXCEPTION) {
                    response = ModbusRequestHandler.exception(pdu[0] & 0xFF, ModbusRequestHandler.GATEWAY_TARGET_FAILED);
                } else {
                    continue;
                }
                byte[] frame = new byte[MBAP_HEADER + response.length];
                frame[0] = header[0];
                frame[1] = header[1];
                frame[4] = (byte) ((response.length + 1) >> 8);
                frame[5] = (byte) (response.length + 1);
                frame[6] = header[6];
                System.arraycopy(response, 0, frame, MBAP_HEADER, response.length);
                out.write(frame);
                out.flush();
            }
        } catch (SocketTimeoutException e) {
            LOG.info("Modbus TCP simulator on port {}: closing {}: idle for {} ms", port(), remote, idleTimeoutMillis);
        } catch (EOFException e) {
            LOG.warn("Modbus TCP simulator on port {}: {} closed the connection inside a frame", port(), remote);
        } catch (SocketException e) {
            if (!closed) {
                LOG.debug("Modbus TCP simulator on port {}: connection {} ended: {}", port(), remote, e.getMessage());
            }
        } catch (IOException | RuntimeException e) {
            // A bug or an I/O failure on one connection must never take the server down.
            LOG.warn("Modbus TCP simulator on port {}: closing {} after an error", port(), remote, e);
        } finally {
            connections.remove(client);
        }
    }

    private static void checkUnitId(int unitId) {
        if (unitId < 0 || unitId > 255) {
            throw new IllegalArgumentException("unit id " + unitId + " is outside 0..255");
        }
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("closing {} failed", closeable, e);
        }
    }
}
