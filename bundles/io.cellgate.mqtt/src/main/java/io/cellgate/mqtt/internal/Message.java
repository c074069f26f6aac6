package io.cellgate.mqtt.internal;

import java.util.Objects;

/**
 * An application message to publish: a Will, a final message before DISCONNECT, or an ordinary publish.
 *
 * @param topic   the topic name (no wildcards)
 * @param payload the payload (not copied; don't change it afterwards)
 * @param qos     0, 1 or 2
 * @param retain  whether the broker retains it
 */
public record Message(String topic, byte[] payload, int qos, boolean retain) {

    public Message {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        if (topic.isEmpty() || topic.contains("#") || topic.contains("+")) {
            throw new IllegalArgumentException("topic '" + topic + "': empty or contains a wildcard");
        }
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("topic '" + topic + "': qos " + qos + " is not 0, 1 or 2");
        }
    }

    /** A Will as Sparkplug wants its NDEATH: QoS 1, not retained. */
    public static Message will(String topic, byte[] payload) {
        return new Message(topic, payload, 1, false);
    }

    @Override
    public String toString() {
        return "Message[" + topic + ", " + payload.length + " bytes, qos " + qos + (retain ? ", retained]" : "]");
    }
}
