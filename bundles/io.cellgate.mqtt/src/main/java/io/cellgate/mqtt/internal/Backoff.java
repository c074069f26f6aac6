package io.cellgate.mqtt.internal;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays: exponential per round (a round tries every broker URL once), capped, with "equal
 * jitter" (a random delay between half and all of the exponential value) so that many gateways
 * reconnecting to a restarted broker spread out.
 */
final class Backoff {

    private final long initialMs;
    private final long maxMs;
    private final RandomGenerator random;

    Backoff(Duration initial, Duration max, RandomGenerator random) {
        this.initialMs = initial.toMillis();
        this.maxMs = max.toMillis();
        this.random = random;
    }

    /** The delay before the next attempt after {@code round} complete rounds of failures (0 = first round). */
    Duration delay(int round) {
        long exp = initialMs << Math.min(round, 30);
        long cap = exp <= 0 || exp > maxMs ? maxMs : exp;
        long half = cap / 2;
        return Duration.ofMillis(half + random.nextLong(cap - half + 1));
    }
}
