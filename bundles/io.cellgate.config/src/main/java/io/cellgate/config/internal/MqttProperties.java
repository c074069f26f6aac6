package io.cellgate.config.internal;

import io.cellgate.config.MqttSettings;
import io.cellgate.config.SparkplugSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ConfigAdmin properties of the MQTT session ({@code cellgate.mqtt}) and the Sparkplug edge node
 * ({@code cellgate.sparkplug}) for the {@code mqtt:} and {@code sparkplug:} sections. Only settings written in
 * cell.yaml become properties, so a setting removed from the file falls back to the component's default.
 */
final class MqttProperties {

    /** Names as the MQTT bundle's MqttConfig and SparkplugConfig define them. */
    static final String MQTT_PID = "cellgate.mqtt";
    static final String SPARKPLUG_PID = "cellgate.sparkplug";
    /** MqttConfig's {@code _password}: DS maps a leading '_' to '.', which also keeps it out of service properties. */
    static final String PASSWORD = ".password";

    private MqttProperties() {
    }

    /** @throws IOException when the password file cannot be read (it is read now, at apply time) */
    static Map<String, Object> mqtt(MqttSettings s) throws IOException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("broker.urls", s.brokers().toArray(String[]::new));
        put(p, "client.id", s.clientId());
        put(p, "ca.file", s.caFile() == null ? null : s.caFile().toString());
        put(p, "use.pki.trust", s.usePkiTrust());
        put(p, "username", s.username());
        if (s.passwordFile() != null) {
            char[] password = MqttParser.password(Files.readAllBytes(s.passwordFile()));
            if (password.length == 0) {
                throw new IOException("the password file " + s.passwordFile() + " is empty");
            }
            p.put(PASSWORD, new String(password));
        }
        put(p, "keepalive.s", s.keepAliveSeconds());
        put(p, "connect.timeout.s", s.connectTimeoutSeconds());
        put(p, "allow.insecure", s.allowInsecure());
        return p;
    }

    static Map<String, Object> sparkplug(SparkplugSettings s) {
        Map<String, Object> p = new LinkedHashMap<>();
        put(p, "group.id", s.groupId());
        put(p, "edge.node.id", s.edgeNodeId());
        put(p, "primary.host.id", s.primaryHostId());
        put(p, "command.identity", s.commandIdentity());
        put(p, "outbox.max.bytes", s.outboxMaxBytes());
        put(p, "outbox.max.age.s", s.outboxMaxAgeSeconds());
        put(p, "outbox.overflow", s.outboxOverflow());
        put(p, "max.in.flight", s.maxInFlight());
        put(p, "node.metrics.interval.s", s.nodeMetricsIntervalSeconds());
        put(p, "json.enabled", s.jsonEnabled());
        put(p, "json.prefix", s.jsonPrefix());
        put(p, "json.retain", s.jsonRetain());
        return p;
    }

    /** For the log: every property but the password. */
    static Map<String, Object> printable(Map<String, Object> p) {
        Map<String, Object> copy = new LinkedHashMap<>(p);
        if (copy.containsKey(PASSWORD)) {
            copy.put(PASSWORD, "***");
        }
        return copy;
    }

    private static void put(Map<String, Object> p, String key, Object value) {
        if (value != null) {
            p.put(key, value);
        }
    }
}
