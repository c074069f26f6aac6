package io.cellgate.api.policy;

import java.time.Instant;

/**
 * The circumstances of a request; every field may be null when unknown (a condition on an unknown field fails).
 *
 * @param channel      northbound interface: {@code opcua}, {@code sparkplug}, {@code console}, {@code rest}
 * @param source       network source address (address or address:port)
 * @param endpoint     the endpoint the request came through (e.g. the OPC UA endpoint URL)
 * @param securityMode the message security mode: {@code none}, {@code sign}, {@code signandencrypt}
 * @param value        for a write: the value to write (Number, Boolean or String)
 * @param time         when the request was made; null means now (the policy's clock)
 */
public record Context(String channel, String source, String endpoint, String securityMode, Object value,
        Instant time) {

    /** Only the channel known. */
    public static Context of(String channel) {
        return new Context(channel, null, null, null, null, null);
    }

    public Context withValue(Object newValue) {
        return new Context(channel, source, endpoint, securityMode, newValue, time);
    }

    public Context withTime(Instant newTime) {
        return new Context(channel, source, endpoint, securityMode, value, newTime);
    }
}
