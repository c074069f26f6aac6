package io.cellgate.config.internal;

import io.cellgate.config.OpcUaSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Reads the optional {@code opcua:} section of cell.yaml: the server's endpoint, security, limits and certificate names. */
final class OpcUaParser {

    /** The policies the server accepts without allowInsecure (OpcUaConfig.security_policies). */
    static final List<String> POLICIES = List.of("Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss");
    static final List<String> MODES = List.of("Sign", "SignAndEncrypt");
    /** Milo loads its standard nodes with this message size limit; the server refuses less. */
    static final long MIN_MESSAGE_SIZE = 524_288;
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9\\-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9\\-]{0,62}))*");
    private static final Pattern DNS_NAME = Pattern.compile("(\\*\\.)?" + HOST.pattern());
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private OpcUaParser() {
    }

    /** The settings of {@code top}'s {@code opcua} mapping: the defaults when absent, null when it has errors. */
    static OpcUaSettings parse(Nodes top) {
        int before = top.problems().size();
        Nodes o = top.mapping("opcua", false);
        if (o == null) {
            return top.problems().size() == before ? OpcUaSettings.DEFAULTS : null;
        }
        Long port = o.integer("port", 1, 65535, null);
        String bind = address(o, "bindAddress");
        String hostname = host(o, "hostname");
        List<String> dns = List.of();
        List<String> ips = List.of();
        Nodes cert = o.mapping("certificate", false);
        if (cert != null) {
            dns = strings(cert, "dnsNames", "a DNS name", v -> DNS_NAME.matcher(v).matches() && v.length() <= 253);
            ips = strings(cert, "ipAddresses", "an IP address", OpcUaParser::isIp);
            cert.finish();
        }
        List<String> policies = choices(o, "securityPolicies", POLICIES);
        List<String> modes = choices(o, "securityModes", MODES);
        Boolean insecure = o.bool("allowInsecure", null);
        Nodes limits = o.mapping("limits", false);
        Long maxSessions = null;
        Long maxSubs = null;
        Long maxSubsPerSession = null;
        Long maxItems = null;
        Long maxItemsPerSession = null;
        Long maxMessage = null;
        if (limits != null) {
            maxSessions = limits.integer("maxSessions", 1, Integer.MAX_VALUE, null);
            maxSubs = limits.integer("maxSubscriptions", 1, Integer.MAX_VALUE, null);
            maxSubsPerSession = limits.integer("maxSubscriptionsPerSession", 1, Integer.MAX_VALUE, null);
            maxItems = limits.integer("maxMonitoredItems", 1, Integer.MAX_VALUE, null);
            maxItemsPerSession = limits.integer("maxMonitoredItemsPerSession", 1, Integer.MAX_VALUE, null);
            maxMessage = limits.integer("maxMessageSize", MIN_MESSAGE_SIZE, Integer.MAX_VALUE, null);
            limits.finish();
        }
        o.finish();
        if (top.problems().size() != before) {
            return null;
        }
        return new OpcUaSettings(toInt(port), bind, hostname, dns, ips, policies, modes, insecure, toInt(maxSessions),
                toInt(maxSubs), toInt(maxSubsPerSession), toInt(maxItems), toInt(maxItemsPerSession),
                toInt(maxMessage));
    }

    private static Integer toInt(Long v) {
        return v == null ? null : v.intValue();
    }

    static boolean isIp(String v) {
        return IPV4.matcher(v).matches() || (IPV6.matcher(v).matches() && v.length() <= 45);
    }

    /** A host name or an IP address to bind to. */
    private static String address(Nodes o, String key) {
        String s = o.string(key, false);
        if (s != null && !isIp(s) && !HOST.matcher(s).matches()) {
            o.error(key, "'" + s + "' is not an IP address or host name (e.g. 0.0.0.0 for every interface)");
            return null;
        }
        return s;
    }

    private static String host(Nodes o, String key) {
        String s = o.string(key, false);
        if (s != null && !isIp(s) && !HOST.matcher(s).matches()) {
            o.error(key, "'" + s + "' is not a host name or IP address");
            return null;
        }
        return s;
    }

    /** A list of scalars each accepted by {@code valid}, without duplicates; empty when absent. */
    private static List<String> strings(Nodes n, String key, String what, java.util.function.Predicate<String> valid) {
        List<Node> items = n.list(key, false);
        if (items == null) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String v = item(n, key, i, items.get(i));
            if (v == null) {
                continue;
            }
            String path = n.pathOf(key) + "[" + i + "]";
            if (!valid.test(v)) {
                n.problems().add(n.file(), items.get(i), path, "'" + v + "' is not " + what);
            } else if (values.contains(v)) {
                n.problems().add(n.file(), items.get(i), path, "'" + v + "' is listed twice");
            } else {
                values.add(v);
            }
        }
        return values;
    }

    /** A non-empty list of names out of {@code allowed} (exact spelling, as OPC UA writes them); null when absent. */
    private static List<String> choices(Nodes n, String key, List<String> allowed) {
        List<Node> items = n.list(key, false);
        if (items == null) {
            return null;
        }
        if (items.isEmpty()) {
            n.error(key, "at least one is needed: " + String.join(", ", allowed) + " (remove the key for all)");
            return null;
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String v = item(n, key, i, items.get(i));
            if (v == null) {
                continue;
            }
            String path = n.pathOf(key) + "[" + i + "]";
            if (!allowed.contains(v)) {
                n.problems().add(n.file(), items.get(i), path, "'" + v + "' is not one of " + String.join(", ", allowed)
                        + Nodes.didYouMean(v, allowed));
            } else if (values.contains(v)) {
                n.problems().add(n.file(), items.get(i), path, "'" + v + "' is listed twice");
            } else {
                values.add(v);
            }
        }
        return values;
    }

    private static String item(Nodes n, String key, int i, Node item) {
        if (!(item instanceof ScalarNode s) || s.getValue().isBlank()) {
            n.problems().add(n.file(), item, n.pathOf(key) + "[" + i + "]",
                    "expected a single value, found " + Nodes.describe(item));
            return null;
        }
        return s.getValue().trim();
    }
}
