package io.cellgate.driver.modbus.internal;

import io.cellgate.driver.modbus.internal.ExchangeFailure.Kind;
import io.cellgate.modbus.ModbusExceptionResponse;
import io.cellgate.modbus.ModbusProtocolException;
import io.cellgate.modbus.ModbusResponses;
import io.cellgate.modbus.Rtu;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Modbus RTU on a serial line or a TCP socket: one request/response exchange at a time on the whole
 * line (fair lock, so units take turns). RTU has no transaction ids, so input is drained before every
 * request; the end of a response is known from the request (see {@link Rtu#expectedFrameLength}).
 */
final class RtuChannel implements Channel {
    private static final Logger LOG = LoggerFactory.getLogger(RtuChannel.class);

    private final Supplier<ByteLink> links;
    private final Backoff backoff;
    private final ReentrantLock lock = new ReentrantLock(true);
    private ByteLink link;
    private String name;
    private boolean closed;
    /** When the line last carried a byte (sent or received): the next frame waits the inter-frame silence after it. */
    private long lastActivityNanos;

    RtuChannel(Supplier<ByteLink> links, Backoff backoff) {
        this.links = links;
        this.backoff = backoff;
        this.name = links.get().name();
    }

    @Override
    public long reconnectDelayMillis() {
        return link != null ? 0 : backoff.remainingMillis();
    }

    @Override
    public void send(Call call, long deadlineNanos) {
        // The exchange happens in await(), under the line lock.
    }

    @Override
    public int[] await(Call call, long deadlineNanos) throws ExchangeFailure {
        // The unit's gap is waited out before the line is taken: other units may use the line meanwhile.
        // The pacer's monitor keeps this unit's own requests one at a time until the request is out.
        synchronized (call.pacer) {
            call.pacer.beforeSend(call.budgetEndNanos != 0 ? call.budgetEndNanos : deadlineNanos);
            try {
                return awaitLine(call, deadlineNanos);
            } finally {
                if (call.sentNanos != 0) {
                    call.pacer.sent(call.sentNanos);
                }
            }
        }
    }

    private int[] awaitLine(Call call, long deadlineNanos) throws ExchangeFailure {
        try {
            // Waiting for the line may use the whole poll budget; the exchange itself then gets its full timeout.
            long lockDeadline = call.budgetEndNanos != 0 ? call.budgetEndNanos : deadlineNanos;
            if (!lock.tryLock(Math.max(0, lockDeadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new ExchangeFailure(Kind.TIMEOUT, call.who() + ": line " + name + " busy until the deadline");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExchangeFailure(Kind.COMM, "interrupted");
        }
        try {
            return exchange(call, deadlineNanos);
        } finally {
            lock.unlock();
        }
    }

    private int[] exchange(Call call, long awaitDeadlineNanos) throws ExchangeFailure {
        long budgetEnd = call.budgetEndNanos != 0 ? call.budgetEndNanos : awaitDeadlineNanos;
        ensureOpen(budgetEnd);
        byte[] frame = Rtu.encode(call.unitId, call.request.pdu());
        byte[] buffer = new byte[Rtu.MAX_FRAME];
        int have = 0;
        long deadlineNanos;
        try {
            link.drain();
            // Line discipline: a request that goes on the line is owed its whole response timeout, counted
            // from when it is sent (not from when the poll began), so a late answer cannot collide with the
            // next frame. The session stops sending to a unit once one of its requests went unanswered.
            long quietUntil = lastActivityNanos + link.interFrameNanos();
            for (long wait = quietUntil - System.nanoTime(); wait > 0; wait = quietUntil - System.nanoTime()) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            call.counters.requests.incrementAndGet();
            call.sentNanos = System.nanoTime();
            deadlineNanos = call.timeoutNanos > 0 ? call.sentNanos + call.timeoutNanos : awaitDeadlineNanos;
            link.write(frame);
            lastActivityNanos = System.nanoTime();
            int expected = -1;
            while (expected < 0 || have < expected) {
                int want = expected < 0 ? Math.max(1, 3 - have) : expected - have;
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    throw fail(call, new ExchangeFailure(Kind.TIMEOUT, have == 0
                            ? call.who() + ": no response within "
                                    + TimeUnit.NANOSECONDS.toMillis(deadlineNanos - call.sentNanos) + " ms"
                            : call.who() + ": truncated frame, " + have + " bytes"
                                    + (expected > 0 ? " of " + expected : "")));
                }
                int n = link.read(buffer, have, want, (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
                if (n < 0) {
                    throw lost(call, new ExchangeFailure(Kind.COMM, call.who() + ": connection closed by " + name
                            + (have > 0 ? " mid-frame" : "")));
                }
                have += n;
                if (n > 0) {
                    lastActivityNanos = System.nanoTime();
                }
                if (expected < 0) {
                    if (have >= 1 && (buffer[0] & 0xFF) != call.unitId) {
                        throw fail(call, new ExchangeFailure(Kind.BAD_RESPONSE, call.who() + ": response from unit "
                                + (buffer[0] & 0xFF)));
                    }
                    expected = Rtu.expectedFrameLength(call.request, buffer, have);
                }
            }
            byte[] pdu = Rtu.decode(buffer, have, call.unitId);
            int[] values = ModbusResponses.parse(call.request, pdu);
            call.complete(values, System.nanoTime());
            backoff.succeeded();
            return values;
        } catch (ModbusExceptionResponse e) {
            throw fail(call, new ExchangeFailure(Kind.DEVICE_EXCEPTION, call.who() + ": " + e.getMessage(),
                    e.exceptionCode()));
        } catch (ModbusProtocolException e) {
            LOG.debug("{}: discarded a bad response: {}", name, e.getMessage());
            throw fail(call, new ExchangeFailure(Kind.BAD_RESPONSE, call.who() + ": " + e.getMessage()));
        } catch (io.cellgate.modbus.ModbusException e) {
            throw fail(call, new ExchangeFailure(Kind.BAD_RESPONSE, call.who() + ": " + e.getMessage()));
        } catch (IOException e) {
            throw lost(call, new ExchangeFailure(Kind.COMM, call.who() + ": " + name + " failed: " + e.getMessage()));
        }
    }

    private ExchangeFailure fail(Call call, ExchangeFailure f) {
        call.fail(f);
        try {
            link.drain(); // the rest of a bad frame must not be read as the next answer
        } catch (IOException e) {
            lost(call, new ExchangeFailure(Kind.COMM, e.getMessage()));
        }
        return f;
    }

    private ExchangeFailure lost(Call call, ExchangeFailure f) {
        call.fail(f);
        if (link != null) {
            link.close();
            link = null;
        }
        backoff.failed();
        LOG.info("Modbus RTU {}: {}; reopening in {} ms", name, f.getMessage(), backoff.remainingMillis());
        return f;
    }

    private void ensureOpen(long deadlineNanos) throws ExchangeFailure {
        if (closed) {
            throw new ExchangeFailure(Kind.UNAVAILABLE, "channel " + name + " closed");
        }
        if (link != null) {
            return;
        }
        long wait = backoff.remainingMillis();
        if (wait > 0) {
            throw new ExchangeFailure(Kind.UNAVAILABLE, name + " unavailable; reconnecting in " + wait + " ms");
        }
        ByteLink l = links.get();
        try {
            l.open((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
            link = l;
            LOG.info("Opened Modbus RTU line {}", name);
        } catch (IOException e) {
            l.close();
            backoff.failed();
            throw new ExchangeFailure(Kind.CONNECT_FAILED, "cannot open " + name + ": " + e.getMessage()
                    + "; reconnecting in " + backoff.remainingMillis() + " ms");
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            if (link != null) {
                link.close();
                link = null;
            }
        } finally {
            lock.unlock();
        }
    }
}
