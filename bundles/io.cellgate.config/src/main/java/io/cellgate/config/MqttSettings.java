package io.cellgate.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The {@code mqtt:} section of cell.yaml: the northbound MQTT session of the Sparkplug edge node. A null field was
 * not written and leaves the MQTT component's own default in force; files are resolved to absolute paths.
 *
 * @param brokers        broker URLs in failover order (ssl://, or tcp:// with allowInsecure)
 * @param clientId       MQTT client id ({@code cellgate-<cell id>} when not written)
 * @param caFile         PEM trust anchors for the broker's certificate, or null
 * @param passwordFile   file holding the password (read when the configuration is applied), or null
 * @param keepAliveSeconds      keepalive in whole seconds, or null
 * @param connectTimeoutSeconds connect timeout in whole seconds, or null
 */
public record MqttSettings(List<String> brokers, String clientId, Path caFile, Boolean usePkiTrust, String username,
        Path passwordFile, Integer keepAliveSeconds, Integer connectTimeoutSeconds, Boolean allowInsecure) {

    public MqttSettings {
        brokers = List.copyOf(brokers);
    }
}
