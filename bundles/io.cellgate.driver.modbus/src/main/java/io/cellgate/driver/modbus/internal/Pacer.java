package io.cellgate.driver.modbus.internal;

/**
 * Enforces a device's minimum gap between requests. Channels wait out the gap before taking their own
 * lock (so one unit's gap never stalls another unit) and report with {@link #sent} when the bytes went
 * out, holding this pacer's monitor in between so the device's sends stay one at a time.
 */
final class Pacer {
    private final long minGapNanos;
    private long lastSendNanos;
    private boolean sentBefore;

    Pacer(long minGapMillis) {
        this.minGapNanos = minGapMillis * 1_000_000L;
    }

    /** Waits for the gap on the caller's thread, never past the deadline. */
    synchronized void beforeSend(long deadlineNanos) throws ExchangeFailure {
        if (sentBefore && minGapNanos > 0) {
            long wait = lastSendNanos + minGapNanos - System.nanoTime();
            if (wait > 0) {
                if (System.nanoTime() + wait > deadlineNanos) {
                    throw new ExchangeFailure(ExchangeFailure.Kind.TIMEOUT, "pacing gap exceeds the time budget");
                }
                try {
                    Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ExchangeFailure(ExchangeFailure.Kind.COMM, "interrupted");
                }
            }
        }
        sentBefore = true;
        lastSendNanos = System.nanoTime();
    }

    /** When the request actually went out (after any wait for the channel): the next gap counts from it. */
    synchronized void sent(long nanos) {
        if (nanos - lastSendNanos > 0) {
            lastSendNanos = nanos;
        }
    }
}
