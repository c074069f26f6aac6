package io.cellgate.api.write;

import io.cellgate.api.tag.TagPath;
import java.util.Objects;

/**
 * A request to write a tag.
 *
 * @param identity     who asks (user name, certificate subject, application id); never null
 * @param channel      through which northbound interface (e.g. {@code opcua}, {@code sparkplug}, {@code console})
 * @param source       network source of the request (address:port), or null when local
 * @param path         the tag
 * @param value        the value in engineering units (Number, Boolean or String)
 * @param endpoint     the endpoint the request came through (the OPC UA endpoint URL), or null when unknown
 * @param securityMode the message security mode of the request's channel ({@code none}, {@code sign},
 *                     {@code signandencrypt}), or null when unknown or not applicable
 * @since 1.1
 */
public record WriteRequest(String identity, String channel, String source, TagPath path, Object value,
        String endpoint, String securityMode) {

    public WriteRequest {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(path, "path");
    }

    /** A request without endpoint and security mode (channels that have neither, or do not know them). */
    public WriteRequest(String identity, String channel, String source, TagPath path, Object value) {
        this(identity, channel, source, path, value, null, null);
    }
}
