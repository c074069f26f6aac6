package io.cellgate.api.write;

import io.cellgate.api.tag.TagPath;
import java.util.Objects;

/**
 * A request to write a tag.
 *
 * @param identity who asks (user name, certificate subject, application id); never null
 * @param channel  through which northbound interface (e.g. {@code opcua}, {@code sparkplug}, {@code console})
 * @param source   network source of the request (address:port), or null when local
 * @param path     the tag
 * @param value    the value in engineering units (Number, Boolean or String)
 */
public record WriteRequest(String identity, String channel, String source, TagPath path, Object value) {
    public WriteRequest {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(path, "path");
    }
}
