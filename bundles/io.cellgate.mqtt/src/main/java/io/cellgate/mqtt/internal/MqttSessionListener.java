package io.cellgate.mqtt.internal;

/**
 * What the owner of an {@link MqttSession} (the Sparkplug edge node) is told, and the Will it supplies.
 * All calls come one at a time on the session's scheduler thread, in order; they must not block.
 */
public interface MqttSessionListener {

    /**
     * The Will for this attempt, asked before every CONNECT (Sparkplug: the NDEATH with this attempt's
     * bdSeq); null for none. An exception fails the attempt (it is retried later).
     */
    Message willFor(ConnectAttempt attempt);

    /** CONNACK arrived with success. Subscriptions are not restored (Clean Start): subscribe again here. */
    void connected(Connection connection);

    /** An attempt failed; the session retries after a back-off. {@code cause} names what went wrong. */
    default void connectFailed(ConnectAttempt attempt, Throwable cause) {
    }

    /**
     * An established connection was lost (broker gone, dead link, DISCONNECT from the broker). Publishes
     * not yet acknowledged have failed with {@link MqttPublishException.Kind#CONNECTION_LOST}. Not called
     * after {@link MqttSession#stop}.
     */
    void connectionLost(Throwable cause);

    /** A message arrived for one of the subscriptions. */
    void messageArrived(String topic, byte[] payload);
}
