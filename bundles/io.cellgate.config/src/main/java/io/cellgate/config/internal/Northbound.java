package io.cellgate.config.internal;

import java.util.Optional;

/**
 * Is the gateway connected to the plant now? What a safe change watches. {@link #mqttOnline()} comes from the
 * edge node's health ({@code Health/Northbound/MQTT Online}, through the io.cellgate.api.health services);
 * {@link #listening(String, int)} is a TCP connection to the OPC UA server's port.
 */
interface Northbound {

    /** True while the edge node is connected and born on a broker; empty when no edge node reports (none runs). */
    Optional<Boolean> mqttOnline();

    /** True when something accepts a TCP connection on {@code host:port} now. */
    boolean listening(String host, int port);
}
