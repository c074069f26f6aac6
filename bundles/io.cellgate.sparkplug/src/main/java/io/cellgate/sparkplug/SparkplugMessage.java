package io.cellgate.sparkplug;

import java.util.Objects;

/**
 * An encoded Sparkplug message, ready to publish. Publish messages in the order they were built: the
 * seq numbers are assigned at build time.
 *
 * @param topic   the topic
 * @param payload the encoded payload (not copied: don't modify it)
 * @param seq     the payload's seq number 0..255, or -1 for NDEATH and STATE, which carry none
 */
public record SparkplugMessage(SparkplugTopic topic, byte[] payload, long seq) {

    public SparkplugMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
    }

    /** QoS the specification requires: 1 for the NDEATH Will and STATE, 0 for the others. */
    public int qos() {
        return topic.type().specQos();
    }

    /** Retain flag the specification requires: only STATE is retained. */
    public boolean retain() {
        return topic.type().specRetain();
    }

    @Override
    public String toString() {
        return topic + " seq=" + seq + " (" + payload.length + " bytes)";
    }
}
