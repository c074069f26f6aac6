package io.cellgate.mqtt.internal;

/**
 * An established connection, from the CONNACK.
 *
 * @param attempt           the attempt that connected
 * @param sessionPresent    the broker resumed a session (never with Clean Start)
 * @param maximumPacketSize the largest packet the broker accepts, in bytes (the MQTT limit when it names none)
 * @param receiveMaximum    QoS 1/2 publishes the broker accepts unacknowledged at once (65535 when it names none)
 * @param keepAliveSeconds  the keepalive in force (the broker's Server Keep Alive when it sent one)
 */
public record Connection(ConnectAttempt attempt, boolean sessionPresent, long maximumPacketSize, int receiveMaximum,
        int keepAliveSeconds) {

    /** Largest MQTT packet: 268,435,455 bytes of remaining length plus a 5-byte fixed header. */
    public static final long MQTT_MAX_PACKET_SIZE = 268_435_460L;
}
