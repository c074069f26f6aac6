package io.cellgate.api.bus;

import java.time.Instant;

/**
 * Communication state of a device, as seen by the poller.
 *
 * @param deviceId      device id
 * @param status        current status
 * @param lastError     last error text, or null
 * @param lastGoodRead  when a poll last succeeded, or null if never
 * @param pollCount     polls done since the device was configured
 * @param errorCount    polls that failed
 * @param requestCount  protocol requests sent
 * @param lastRoundTripMillis round-trip time of the last successful request, or -1
 */
public record DeviceState(String deviceId, Status status, String lastError, Instant lastGoodRead, long pollCount,
        long errorCount, long requestCount, double lastRoundTripMillis) {

    public enum Status {
        /** Configured, not yet polled. */
        STARTING,
        /** The last poll succeeded. */
        CONNECTED,
        /** The last poll failed; tags are Bad. */
        FAILING,
        /** Disabled in the configuration. */
        DISABLED
    }
}
