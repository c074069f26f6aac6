package io.cellgate.api.driver;

import java.util.Map;
import java.util.Objects;

/**
 * Protocol counters of a device session.
 *
 * @param requests     requests sent
 * @param timeouts     requests that got no answer in time
 * @param exceptions   protocol exception responses
 * @param badResponses malformed or mismatched responses discarded
 * @param lastRoundTripMillis round-trip of the last answered request, or -1
 * @param roundTrips   the round trips of every answered request (since 1.1)
 * @param errorsByKind failed requests by kind, keys as the {@code ERROR_*} constants or {@link #exceptionKind(int)};
 *                     a kind that never happened may be absent (since 1.1)
 * @param lastPollMillis how long the last {@link DeviceSession#poll(String)} took, any group; -1 before the first
 *                     (since 1.1)
 */
public record SessionStats(long requests, long timeouts, long exceptions, long badResponses,
        double lastRoundTripMillis, RoundTrips roundTrips, Map<String, Long> errorsByKind, double lastPollMillis) {

    /** No answer within the device's timeout. */
    public static final String ERROR_TIMEOUT = "timeout";
    /** A response that could not be used: CRC or framing error, wrong unit or transaction, malformed PDU. */
    public static final String ERROR_BAD_RESPONSE = "bad_response";
    /** The connection could not be opened (refused, unreachable, serial port missing). */
    public static final String ERROR_CONNECT = "connect";
    /** The connection broke while requests were in flight (reset, closed by the peer, I/O error). */
    public static final String ERROR_CONNECTION_LOST = "connection_lost";
    /** Refused by the gateway itself before anything was sent (the southbound allowlist). */
    public static final String ERROR_REFUSED = "refused";

    public SessionStats {
        Objects.requireNonNull(roundTrips, "roundTrips");
        errorsByKind = errorsByKind == null ? Map.of() : Map.copyOf(errorsByKind);
    }

    /** The 1.0 constructor: no histogram, no errors by kind, no poll time. */
    public SessionStats(long requests, long timeouts, long exceptions, long badResponses, double lastRoundTripMillis) {
        this(requests, timeouts, exceptions, badResponses, lastRoundTripMillis, RoundTrips.EMPTY, Map.of(), -1);
    }

    /** The error kind of a protocol exception response with this code, e.g. {@code exception_0x02}. */
    public static String exceptionKind(int code) {
        return String.format("exception_0x%02x", code & 0xff);
    }
}
