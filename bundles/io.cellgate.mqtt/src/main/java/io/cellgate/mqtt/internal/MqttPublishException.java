package io.cellgate.mqtt.internal;

/** Why a publish or subscribe did not succeed. */
public final class MqttPublishException extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** No connection at the time of the call; nothing was sent. */
        NOT_CONNECTED,
        /** Larger than the broker's Maximum Packet Size; nothing was sent. */
        TOO_LARGE,
        /** Sent, but the connection was lost before the acknowledgement: it may or may not have arrived. */
        CONNECTION_LOST,
        /** The broker answered with a reason code of 0x80 or above (e.g. 0x87 not authorized). */
        REFUSED,
        /** Paho refused it locally (e.g. too many in flight); nothing was sent. */
        CLIENT
    }

    private final Kind kind;
    private final int reasonCode;

    public MqttPublishException(Kind kind, int reasonCode, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.reasonCode = reasonCode;
    }

    public Kind kind() {
        return kind;
    }

    /** The MQTT v5 reason code from the broker for {@link Kind#REFUSED}; -1 otherwise. */
    public int reasonCode() {
        return reasonCode;
    }
}
