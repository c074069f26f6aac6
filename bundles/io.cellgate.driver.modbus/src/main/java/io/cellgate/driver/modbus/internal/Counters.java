package io.cellgate.driver.modbus.internal;

import io.cellgate.api.driver.SessionStats;
import java.util.concurrent.atomic.AtomicLong;

/** Protocol counters of one session, updated by whichever thread sees the event. */
final class Counters {
    final AtomicLong requests = new AtomicLong();
    final AtomicLong timeouts = new AtomicLong();
    final AtomicLong exceptions = new AtomicLong();
    final AtomicLong badResponses = new AtomicLong();
    private volatile double lastRoundTripMillis = -1;

    void roundTrip(long nanos) {
        lastRoundTripMillis = nanos / 1_000_000.0;
    }

    SessionStats snapshot() {
        return new SessionStats(requests.get(), timeouts.get(), exceptions.get(), badResponses.get(),
                lastRoundTripMillis);
    }
}
