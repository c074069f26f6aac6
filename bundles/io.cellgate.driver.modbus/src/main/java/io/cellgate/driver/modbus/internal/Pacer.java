package io.cellgate.driver.modbus.internal;

/** Enforces a device's minimum gap between requests; called right before bytes go on the wire. */
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
}
