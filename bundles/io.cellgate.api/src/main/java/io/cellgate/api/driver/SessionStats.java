package io.cellgate.api.driver;

/**
 * Protocol counters of a device session.
 *
 * @param requests     requests sent
 * @param timeouts     requests that got no answer in time
 * @param exceptions   protocol exception responses
 * @param badResponses malformed or mismatched responses discarded
 * @param lastRoundTripMillis round-trip of the last answered request, or -1
 */
public record SessionStats(long requests, long timeouts, long exceptions, long badResponses,
        double lastRoundTripMillis) {
}
