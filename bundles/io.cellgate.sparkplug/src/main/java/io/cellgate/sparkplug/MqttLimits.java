package io.cellgate.sparkplug;

import java.nio.charset.StandardCharsets;

/** Turns the broker's Maximum Packet Size (MQTT 5 CONNACK) into a payload limit for a topic. */
public final class MqttLimits {

    /** MQTT's own upper bound of a packet: 268,435,455 bytes of remaining length + 5 header bytes. */
    public static final int MQTT_MAX_PACKET = 268_435_455 + 5;

    private MqttLimits() {
    }

    /**
     * The largest payload that fits a PUBLISH to {@code topic} within {@code maximumPacketSize}: the packet is
     * fixed header (up to 5 bytes) + topic (2 + UTF-8 length) + packet id (2, QoS &gt; 0) + properties length
     * (up to 4) + properties + payload.
     *
     * @param maximumPacketSize the broker's limit, or 0 when it announced none
     * @param propertiesBytes   encoded size of the PUBLISH properties the session adds (0 when none)
     * @return the payload limit; at least 0
     */
    public static int maxPayloadBytes(long maximumPacketSize, SparkplugTopic topic, int propertiesBytes) {
        long packet = maximumPacketSize <= 0 ? MQTT_MAX_PACKET : Math.min(maximumPacketSize, MQTT_MAX_PACKET);
        long overhead = 5 + 2 + topic.format().getBytes(StandardCharsets.UTF_8).length + 2 + 4 + propertiesBytes;
        return (int) Math.max(0, packet - overhead);
    }
}
