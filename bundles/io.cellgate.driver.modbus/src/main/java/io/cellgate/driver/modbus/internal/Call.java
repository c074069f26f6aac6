package io.cellgate.driver.modbus.internal;

import io.cellgate.api.driver.SessionStats;
import io.cellgate.modbus.ModbusRequest;
import java.time.Instant;

/** One request in flight on a channel and, once settled, its outcome. Guarded by the channel's lock. */
final class Call {
    final int unitId;
    final ModbusRequest request;
    final Counters counters;
    final Pacer pacer;
    int transactionId = -1;
    long generation;
    long sentNanos;
    /** The device's response timeout, counted from when the request goes out. */
    long timeoutNanos;
    /** The end of the poll's (or write's) time budget: a request that cannot get its full timeout before it is not sent. */
    long budgetEndNanos;

    boolean done;
    int[] values;
    Instant arrived;
    ExchangeFailure failure;

    Call(int unitId, ModbusRequest request, Counters counters, Pacer pacer) {
        this.unitId = unitId;
        this.request = request;
        this.counters = counters;
        this.pacer = pacer;
    }

    void complete(int[] result, long nowNanos) {
        if (!done) {
            done = true;
            values = result;
            arrived = Instant.now();
            counters.roundTrip(nowNanos - sentNanos);
        }
    }

    void fail(ExchangeFailure f) {
        if (!done) {
            done = true;
            failure = f;
            switch (f.kind()) {
                case TIMEOUT -> {
                    counters.timeouts.incrementAndGet();
                    counters.error(SessionStats.ERROR_TIMEOUT);
                }
                case BAD_RESPONSE -> {
                    counters.badResponses.incrementAndGet();
                    counters.error(SessionStats.ERROR_BAD_RESPONSE);
                }
                case DEVICE_EXCEPTION -> {
                    counters.exceptions.incrementAndGet();
                    counters.error(SessionStats.exceptionKind(f.exceptionCode()));
                }
                case COMM -> counters.error(SessionStats.ERROR_CONNECTION_LOST);
                default -> {
                }
            }
        }
    }

    String who() {
        return "unit " + unitId;
    }
}
