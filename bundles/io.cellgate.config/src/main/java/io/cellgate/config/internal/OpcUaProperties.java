package io.cellgate.config.internal;

import io.cellgate.config.OpcUaSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ConfigAdmin properties of the OPC UA server ({@code cellgate.opcua}) and of the PKI ({@code cellgate.pki})
 * for an {@code opcua:} section. Only settings written in cell.yaml become properties: a setting removed from the
 * file disappears from the configuration, so the component's own default applies again.
 */
final class OpcUaProperties {

    /** Names as the OPC UA bundle's OpcUaConfig and the PKI bundle's PkiConfig define them. */
    static final String OPCUA_PID = "cellgate.opcua";
    static final String PKI_PID = "cellgate.pki";

    private OpcUaProperties() {
    }

    static Map<String, Object> server(OpcUaSettings s) {
        Map<String, Object> p = new LinkedHashMap<>();
        put(p, "bind.address", s.bindAddress());
        put(p, "hostname", s.hostname());
        put(p, "port", s.port());
        put(p, "security.policies", array(s.securityPolicies()));
        put(p, "security.modes", array(s.securityModes()));
        put(p, "allow.insecure", s.allowInsecure());
        put(p, "max.sessions", s.maxSessions());
        put(p, "max.subscriptions", s.maxSubscriptions());
        put(p, "max.subscriptions.per.session", s.maxSubscriptionsPerSession());
        put(p, "max.monitored.items", s.maxMonitoredItems());
        put(p, "max.monitored.items.per.session", s.maxMonitoredItemsPerSession());
        put(p, "max.message.size", s.maxMessageSize());
        return p;
    }

    /** Certificate names; they take effect when the certificate is generated (see docs/pki.md). */
    static Map<String, Object> pki(OpcUaSettings s) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (!s.dnsNames().isEmpty()) {
            p.put("dns.names", array(s.dnsNames()));
        }
        if (!s.ipAddresses().isEmpty()) {
            p.put("ip.addresses", array(s.ipAddresses()));
        }
        return p;
    }

    private static String[] array(List<String> values) {
        return values == null ? null : values.toArray(String[]::new);
    }

    private static void put(Map<String, Object> p, String key, Object value) {
        if (value != null) {
            p.put(key, value);
        }
    }
}
