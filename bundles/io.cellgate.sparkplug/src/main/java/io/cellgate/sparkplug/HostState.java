package io.cellgate.sparkplug;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The payload of a Sparkplug 3.0 STATE message ({@code spBv1.0/STATE/<host id>}, retained, QoS 1):
 * {@code {"online":<bool>,"timestamp":<ms since epoch>}}.
 *
 * @param online    whether the host application is online
 * @param timestamp the host's connect time, ms since the epoch (UTC)
 */
public record HostState(boolean online, long timestamp) {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    /** STATE payloads are tiny; anything bigger is not one. */
    private static final int MAX_BYTES = 1024;

    public HostState {
        if (timestamp < 0) {
            throw new IllegalArgumentException("STATE timestamp must be >= 0, got " + timestamp);
        }
    }

    /** The JSON payload. */
    public byte[] toJson() {
        return ("{\"online\":" + online + ",\"timestamp\":" + timestamp + "}").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses a STATE payload strictly: one JSON object with a boolean {@code online} and an integral,
     * non-negative {@code timestamp}, each exactly once; other members are ignored (forward compatibility);
     * nothing after the object.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static HostState parse(byte[] payload) {
        if (payload == null || payload.length == 0) {
            throw new IllegalArgumentException("STATE payload is empty");
        }
        if (payload.length > MAX_BYTES) {
            throw new IllegalArgumentException("STATE payload has " + payload.length + " bytes, more than " + MAX_BYTES);
        }
        Boolean online = null;
        Long timestamp = null;
        try (JsonParser p = JSON.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("STATE payload is not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if ("online".equals(name)) {
                    if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE) {
                        throw new IllegalArgumentException("STATE 'online' must be true or false, got " + p.getText());
                    }
                    online = v == JsonToken.VALUE_TRUE;
                } else if ("timestamp".equals(name)) {
                    if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                        throw new IllegalArgumentException("STATE 'timestamp' must be an integer (ms since epoch), got "
                                + p.getText());
                    }
                    timestamp = p.getLongValue();
                    if (timestamp < 0) {
                        throw new IllegalArgumentException("STATE 'timestamp' must be >= 0, got " + timestamp);
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new IllegalArgumentException("STATE payload: unexpected " + t);
            }
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("STATE payload has content after the JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("STATE payload is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("STATE payload cannot be read: " + e.getMessage());
        }
        if (online == null) {
            throw new IllegalArgumentException("STATE payload lacks 'online'");
        }
        if (timestamp == null) {
            throw new IllegalArgumentException("STATE payload lacks 'timestamp'");
        }
        return new HostState(online, timestamp);
    }
}
