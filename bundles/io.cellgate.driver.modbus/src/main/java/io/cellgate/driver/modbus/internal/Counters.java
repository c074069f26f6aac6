package io.cellgate.driver.modbus.internal;

import io.cellgate.api.driver.RoundTrips;
import io.cellgate.api.driver.SessionStats;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Protocol counters of one session, updated by whichever thread sees the event. Round trips go into fixed
 * logarithmic buckets ({@link RoundTrips}): HdrHistogram is not a dependency of the gateway, and 82 atomic counters
 * per device give p50/p99 within 19 % at no allocation per request.
 */
final class Counters {
    final AtomicLong requests = new AtomicLong();
    final AtomicLong timeouts = new AtomicLong();
    final AtomicLong exceptions = new AtomicLong();
    final AtomicLong badResponses = new AtomicLong();
    private final AtomicLongArray roundTrips = new AtomicLongArray(RoundTrips.BUCKETS);
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private volatile double lastRoundTripMillis = -1;
    private volatile double lastPollMillis = -1;

    void roundTrip(long nanos) {
        double millis = nanos / 1_000_000.0;
        lastRoundTripMillis = millis;
        roundTrips.incrementAndGet(RoundTrips.bucketOf(millis));
    }

    /** One failed request of a kind ({@link SessionStats} keys). */
    void error(String kind) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    void pollTook(long nanos) {
        lastPollMillis = nanos / 1_000_000.0;
    }

    SessionStats snapshot() {
        long[] buckets = new long[RoundTrips.BUCKETS];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = roundTrips.get(i);
        }
        Map<String, Long> byKind = new TreeMap<>();
        errors.forEach((k, v) -> byKind.put(k, v.sum()));
        return new SessionStats(requests.get(), timeouts.get(), exceptions.get(), badResponses.get(),
                lastRoundTripMillis, new RoundTrips(buckets), byKind, lastPollMillis);
    }
}
