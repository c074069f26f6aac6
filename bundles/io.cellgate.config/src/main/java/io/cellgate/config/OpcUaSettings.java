package io.cellgate.config;

import java.util.List;

/**
 * The {@code opcua:} section of cell.yaml. A null field (an empty list for the certificate names) was not
 * written and leaves the OPC UA server's or the PKI's own default in force.
 *
 * @param ipAddresses certificate IP address subject alternative names
 * @param dnsNames certificate DNS subject alternative names
 */
public record OpcUaSettings(Integer port, String bindAddress, String hostname, List<String> dnsNames,
        List<String> ipAddresses, List<String> securityPolicies, List<String> securityModes, Boolean allowInsecure,
        Integer maxSessions, Integer maxSubscriptions, Integer maxSubscriptionsPerSession, Integer maxMonitoredItems,
        Integer maxMonitoredItemsPerSession, Integer maxMessageSize) {

    /** No {@code opcua:} section: every setting at its component's default. */
    public static final OpcUaSettings DEFAULTS = new OpcUaSettings(null, null, null, List.of(), List.of(), null,
            null, null, null, null, null, null, null, null);

    public OpcUaSettings {
        dnsNames = dnsNames == null ? List.of() : List.copyOf(dnsNames);
        ipAddresses = ipAddresses == null ? List.of() : List.copyOf(ipAddresses);
        securityPolicies = securityPolicies == null ? null : List.copyOf(securityPolicies);
        securityModes = securityModes == null ? null : List.copyOf(securityModes);
    }
}
