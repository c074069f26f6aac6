package io.cellgate.driver.modbus.internal;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with +-20 % jitter, so that many gateways don't reconnect in lockstep. */
final class Backoff {
    private final long initialMillis;
    private final long capMillis;
    private int failures;
    private long notBeforeNanos;

    Backoff(long initialMillis, long capMillis) {
        this.initialMillis = initialMillis;
        this.capMillis = capMillis;
    }

    synchronized void failed() {
        failures++;
        long base = Math.min(capMillis, initialMillis << Math.min(20, failures - 1));
        long jittered = (long) (base * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
        notBeforeNanos = System.nanoTime() + Math.min(capMillis, jittered) * 1_000_000L;
    }

    synchronized void succeeded() {
        failures = 0;
        notBeforeNanos = 0;
    }

    /** Milliseconds left to wait, 0 when an attempt may be made now. */
    synchronized long remainingMillis() {
        if (failures == 0) {
            return 0;
        }
        long left = notBeforeNanos - System.nanoTime();
        return left <= 0 ? 0 : Math.max(1, left / 1_000_000L);
    }
}
