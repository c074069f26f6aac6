package io.cellgate.mqtt.internal;

/** A connection failure or loss, worded for an operator; the cause is Paho's or the JDK's exception. */
public final class MqttSessionException extends Exception {

    private static final long serialVersionUID = 1L;

    public MqttSessionException(String message, Throwable cause) {
        super(message, cause);
    }
}
