package io.cellgate.policy.internal;

import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets, one per key (rule, and identity and/or tag). Time comes from an injectable clock, so tests are
 * deterministic. A clock that goes back refills nothing.
 */
final class RateLimiter {

    /** Buckets kept at most; beyond, full buckets (which carry no state worth keeping) are dropped. */
    static final int MAX_BUCKETS = 10_000;

    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(Clock clock) {
        this.clock = clock;
    }

    /** Takes one token from {@code key}'s bucket for {@code rate}; false when it is empty. */
    boolean tryAcquire(String key, Rate rate) {
        long now = clock.millis();
        if (buckets.size() >= MAX_BUCKETS) {
            evictFull(now);
        }
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(rate.count(), now));
        synchronized (b) {
            b.refill(rate, now);
            if (b.tokens >= 1.0) {
                b.tokens -= 1.0;
                return true;
            }
            return false;
        }
    }

    /** Whether {@code key}'s bucket holds a token for {@code rate}, without taking it (nothing is changed). */
    boolean available(String key, Rate rate) {
        Bucket b = buckets.get(key);
        if (b == null) {
            return rate.count() >= 1;
        }
        long now = clock.millis();
        synchronized (b) {
            double tokens = now > b.last ? Math.min(rate.count(), b.tokens + (double) (now - b.last) * rate.count()
                    / rate.periodMillis()) : b.tokens;
            return tokens >= 1.0;
        }
    }

    int size() {
        return buckets.size();
    }

    private void evictFull(long now) {
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext();) {
            Bucket b = it.next();
            synchronized (b) {
                if (b.rate != null) {
                    b.refill(b.rate, now);
                    if (b.tokens >= b.rate.count()) {
                        it.remove();
                    }
                }
            }
        }
    }

    private static final class Bucket {
        double tokens;
        long last;
        Rate rate;

        Bucket(double tokens, long last) {
            this.tokens = tokens;
            this.last = last;
        }

        void refill(Rate r, long now) {
            rate = r;
            if (now > last) {
                tokens = Math.min(r.count(), tokens + (double) (now - last) * r.count() / r.periodMillis());
                last = now;
            }
        }
    }
}
