package io.cellgate.driver.modbus.internal;

import io.cellgate.driver.modbus.internal.ExchangeFailure.Kind;
import io.cellgate.modbus.Mbap;
import io.cellgate.modbus.ModbusExceptionResponse;
import io.cellgate.modbus.ModbusProtocolException;
import io.cellgate.modbus.ModbusResponses;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Modbus TCP (MBAP) on one socket, shared by all units behind it.
 *
 * <p>No threads of its own: callers waiting for answers take turns reading the socket (one reader at
 * a time, the others wait on a condition), and the reader hands every frame to the call with that
 * transaction id. So a silent unit never holds up another unit's answer. Transaction ids come from a
 * counter that wraps at 65536, skipping ids still in flight, so a late answer to a call that timed out
 * finds no call and is discarded.
 */
final class TcpChannel implements Channel {
    private static final Logger LOG = LoggerFactory.getLogger(TcpChannel.class);

    private final String host;
    private final int port;
    private final String name;
    private final Backoff backoff;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<Integer, Call> pending = new HashMap<>();
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private long generation;
    private boolean reading;
    private int nextTid;
    private boolean closed;

    // Partial frame state; touched only by the current reader.
    private final byte[] header = new byte[Mbap.HEADER_LENGTH];
    private int headerHave;
    private Mbap.Header current;
    private byte[] pdu;
    private int pduHave;

    TcpChannel(String host, int port, Backoff backoff) {
        this.host = host;
        this.port = port;
        this.name = host + ":" + port;
        this.backoff = backoff;
    }

    @Override
    public long reconnectDelayMillis() {
        lock.lock();
        try {
            return socket != null ? 0 : backoff.remainingMillis();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void send(Call call, long deadlineNanos) throws ExchangeFailure {
        // The device's gap is waited out before the channel lock is taken: a unit pacing itself must not
        // hold up the other units behind the gateway (nor the reading of their answers). The pacer's
        // monitor keeps this device's own sends one at a time until the bytes are out.
        synchronized (call.pacer) {
            call.pacer.beforeSend(deadlineNanos);
            try {
                sendNow(call, deadlineNanos);
            } finally {
                if (call.sentNanos != 0) {
                    call.pacer.sent(call.sentNanos);
                }
            }
        }
    }

    private void sendNow(Call call, long deadlineNanos) throws ExchangeFailure {
        lock.lock();
        try {
            ensureConnected(deadlineNanos);
            if (socket == null) {
                throw new ExchangeFailure(Kind.COMM, "connection to " + name + " lost");
            }
            int tid = freshTransactionId();
            call.transactionId = tid;
            call.generation = generation;
            byte[] adu = Mbap.encode(tid, call.unitId, call.request.pdu());
            pending.put(tid, call);
            call.counters.requests.incrementAndGet();
            call.sentNanos = System.nanoTime();
            try {
                out.write(adu);
                out.flush();
            } catch (IOException e) {
                connectionLost(socket, new ExchangeFailure(Kind.COMM, "write to " + name + " failed: " + e.getMessage()));
            }
        } finally {
            lock.unlock();
        }
    }

    private int freshTransactionId() {
        for (int i = 0; i < 65536; i++) {
            int tid = nextTid;
            nextTid = (nextTid + 1) & 0xFFFF;
            if (!pending.containsKey(tid)) {
                return tid;
            }
        }
        throw new IllegalStateException("65536 requests in flight on " + name);
    }

    /** Connects on the caller's thread, or fails at once while backing off. Holds the lock. */
    private void ensureConnected(long deadlineNanos) throws ExchangeFailure {
        if (closed) {
            throw new ExchangeFailure(Kind.UNAVAILABLE, "channel " + name + " closed");
        }
        if (socket != null) {
            return;
        }
        long wait = backoff.remainingMillis();
        if (wait > 0) {
            throw new ExchangeFailure(Kind.UNAVAILABLE, "connection to " + name + " failed; reconnecting in "
                    + wait + " ms");
        }
        int timeout = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), timeout);
            socket = s;
            in = s.getInputStream();
            out = s.getOutputStream();
            generation++;
            headerHave = 0;
            current = null;
            LOG.info("Connected to Modbus TCP {}", name);
        } catch (IOException e) {
            closeQuietly(s);
            backoff.failed();
            throw new ExchangeFailure(Kind.CONNECT_FAILED, "cannot connect to " + name + ": " + e.getMessage()
                    + "; reconnecting in " + backoff.remainingMillis() + " ms");
        }
    }

    @Override
    public int[] await(Call call, long deadlineNanos) throws ExchangeFailure {
        lock.lock();
        try {
            while (!call.done) {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    pending.remove(call.transactionId, call);
                    call.fail(new ExchangeFailure(Kind.TIMEOUT, call.who() + ": no response within "
                            + TimeUnit.NANOSECONDS.toMillis(deadlineNanos - call.sentNanos) + " ms"));
                    break;
                }
                if (!reading && socket != null && call.generation == generation) {
                    readOneFrame(call, remaining);
                } else {
                    changed.awaitNanos(remaining);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.remove(call.transactionId, call);
            call.fail(new ExchangeFailure(Kind.COMM, "interrupted"));
        } finally {
            lock.unlock();
        }
        if (call.failure != null) {
            throw call.failure;
        }
        return call.values;
    }

    /** Becomes the reader for one frame; releases the lock while blocked on the socket. */
    private void readOneFrame(Call reader, long remainingNanos) {
        reading = true;
        Socket s = socket;
        InputStream stream = in;
        Object[] frame = null;
        Exception error = null;
        lock.unlock();
        try {
            frame = readFrame(s, stream, (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(remainingNanos)));
        } catch (SocketTimeoutException e) {
            // Nothing yet; the caller's loop decides whether its deadline has passed.
        } catch (IOException | ModbusProtocolException e) {
            error = e;
        } finally {
            lock.lock();
            reading = false;
        }
        if (frame != null) {
            dispatch((Mbap.Header) frame[0], (byte[]) frame[1], reader);
        } else if (error != null && s == socket) {
            Kind kind = error instanceof ModbusProtocolException ? Kind.BAD_RESPONSE : Kind.COMM;
            String what = error instanceof EOFException ? error.getMessage()
                    : error instanceof ModbusProtocolException ? "framing error from " + name + ": " + error.getMessage()
                    : "read from " + name + " failed: " + error.getMessage();
            if (kind == Kind.BAD_RESPONSE) {
                LOG.debug("Closing {} after a framing error: {}", name, error.getMessage());
            }
            connectionLost(s, new ExchangeFailure(kind, what), reader);
        }
        changed.signalAll();
    }

    private Object[] readFrame(Socket s, InputStream stream, int timeoutMillis)
            throws IOException, ModbusProtocolException {
        s.setSoTimeout(timeoutMillis);
        while (headerHave < header.length) {
            int n = stream.read(header, headerHave, header.length - headerHave);
            if (n < 0) {
                throw new EOFException(headerHave == 0 ? "connection closed by " + name
                        : "connection closed by " + name + " mid-frame");
            }
            headerHave += n;
        }
        if (current == null) {
            current = Mbap.parseHeader(header); // bounds the length before anything is allocated
            pdu = new byte[current.pduLength()];
            pduHave = 0;
        }
        while (pduHave < pdu.length) {
            int n = stream.read(pdu, pduHave, pdu.length - pduHave);
            if (n < 0) {
                throw new EOFException("connection closed by " + name + " mid-frame");
            }
            pduHave += n;
        }
        Object[] frame = {current, pdu};
        headerHave = 0;
        current = null;
        pdu = null;
        return frame;
    }

    /** Hands a frame to the call it answers, if it answers one exactly. Holds the lock. */
    private void dispatch(Mbap.Header h, byte[] body, Call reader) {
        Call call = pending.get(h.transactionId());
        if (call == null) {
            reader.counters.badResponses.incrementAndGet();
            LOG.debug("{}: discarded a response with transaction id {} that no request is waiting for (late or forged)",
                    name, h.transactionId());
            return;
        }
        pending.remove(h.transactionId());
        if (h.unitId() != call.unitId) {
            LOG.debug("{}: discarded a response for transaction {} from unit {}, expected unit {}", name,
                    h.transactionId(), h.unitId(), call.unitId);
            call.fail(new ExchangeFailure(Kind.BAD_RESPONSE, call.who() + ": response carries unit id " + h.unitId()));
            return;
        }
        try {
            call.complete(ModbusResponses.parse(call.request, body), System.nanoTime());
            backoff.succeeded();
        } catch (ModbusExceptionResponse e) {
            call.fail(new ExchangeFailure(Kind.DEVICE_EXCEPTION, call.who() + ": " + e.getMessage(),
                    e.exceptionCode()));
        } catch (ModbusProtocolException e) {
            LOG.debug("{}: discarded a bad response for transaction {}: {}", name, h.transactionId(), e.getMessage());
            call.fail(new ExchangeFailure(Kind.BAD_RESPONSE, call.who() + ": " + e.getMessage()));
        } catch (Exception e) {
            call.fail(new ExchangeFailure(Kind.BAD_RESPONSE, call.who() + ": " + e.getMessage()));
        }
    }

    /** Closes the socket (if still the current one) and fails every call in flight. Holds the lock. */
    private void connectionLost(Socket s, ExchangeFailure why) {
        connectionLost(s, why, null);
    }

    private void connectionLost(Socket s, ExchangeFailure why, Call reader) {
        if (s != socket || s == null) {
            return;
        }
        closeQuietly(s);
        socket = null;
        in = null;
        out = null;
        generation++;
        headerHave = 0;
        current = null;
        backoff.failed();
        LOG.info("Modbus TCP {}: {}; reconnecting in {} ms", name, why.getMessage(), backoff.remainingMillis());
        for (Call c : new ArrayList<>(pending.values())) {
            // Only the reader's own failure is BAD_RESPONSE; the others simply lost their connection.
            c.fail(why.kind() == Kind.BAD_RESPONSE && (c == reader || reader == null)
                    ? new ExchangeFailure(Kind.BAD_RESPONSE, c.who() + ": " + why.getMessage())
                    : new ExchangeFailure(Kind.COMM, c.who() + ": " + why.getMessage()));
        }
        pending.clear();
        changed.signalAll();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            if (socket != null) {
                connectionLost(socket, new ExchangeFailure(Kind.COMM, "channel closed"));
            }
        } finally {
            lock.unlock();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
