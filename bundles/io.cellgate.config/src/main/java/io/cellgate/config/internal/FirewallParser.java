package io.cellgate.config.internal;

import io.cellgate.config.FirewallSettings;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Reads the optional {@code firewall:} section of cell.yaml (for {@code cellgate firewall}; see docs/boundary.md). */
final class FirewallParser {

    private FirewallParser() {
    }

    /** The section's settings; null when it is absent or has errors (then they are in {@code top}'s problems). */
    static FirewallSettings parse(Nodes top) {
        int before = top.problems().size();
        Nodes f = top.mapping("firewall", false);
        if (f == null) {
            return null;
        }
        String north = iface(f, "north");
        String south = iface(f, "south");
        if (north != null && north.equals(south)) {
            f.error("south", "'" + south + "' is also firewall.north: the boundary needs two different interfaces");
        }
        Long consolePort = f.integer("consolePort", 1, 65535, null);
        boolean console = !Boolean.FALSE.equals(f.bool("console", Boolean.TRUE));
        if (!console && consolePort != null) {
            f.error("consolePort", "set, but console: false leaves the console rule out; remove one of the two");
        }
        List<String> admin = values(f, "adminSubnets", FirewallParser::cidrProblem);
        List<String> opcua = values(f, "opcuaSubnets", FirewallParser::cidrProblem);
        Long ssh = f.integer("sshPort", 1, 65535, null);
        List<String> dns = values(f, "dns", FirewallParser::addressProblem);
        List<String> ntp = values(f, "ntp", FirewallParser::addressProblem);
        List<String> dhcp = values(f, "dhcp", v -> v.equals(north) || v.equals(south) ? null
                : "not the north (" + north + ") or south (" + south + ") interface");
        boolean resolve = Boolean.TRUE.equals(f.bool("resolveNames", Boolean.FALSE));
        f.finish();
        if (top.problems().size() != before) {
            return null;
        }
        return new FirewallSettings(north, south, consolePort == null ? null : consolePort.intValue(), console, admin,
                opcua, ssh == null ? null : ssh.intValue(), dns, ntp, dhcp, resolve);
    }

    private static String iface(Nodes f, String key) {
        String name = f.string(key, true);
        if (name == null) {
            return null;
        }
        String why = FirewallSettings.interfaceNameProblem(name);
        if (why != null) {
            f.error(key, "'" + name + "' is not a valid network interface name: " + why);
            return null;
        }
        return name;
    }

    /**
     * A list, or one value written without a list; each checked by {@code check} (null = fine), duplicates refused.
     * Empty when absent.
     */
    private static List<String> values(Nodes n, String key, java.util.function.Function<String, String> check) {
        Node v = n.value(key);
        if (v == null) {
            return List.of();
        }
        List<Node> items = v instanceof SequenceNode seq ? seq.getValue() : List.of(v);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String path = n.pathOf(key) + (v instanceof SequenceNode ? "[" + i + "]" : "");
            if (!(item instanceof ScalarNode s) || s.getValue().isBlank()) {
                n.problems().add(n.file(), item, path, "expected a single value, found " + Nodes.describe(item));
                continue;
            }
            String value = s.getValue().trim();
            String why = check.apply(value);
            if (why != null) {
                n.problems().add(n.file(), item, path, "'" + value + "' " + why);
            } else if (out.contains(value)) {
                n.problems().add(n.file(), item, path, "'" + value + "' is listed twice");
            } else {
                out.add(value);
            }
        }
        return out;
    }

    /** nftables matches addresses: a host name would be resolved once, when the rules are generated. */
    private static String addressProblem(String v) {
        return literal(v) == null ? "is not an IP address (nftables matches addresses, not names)" : null;
    }

    private static String cidrProblem(String v) {
        int slash = v.indexOf('/');
        InetAddress address = literal(slash < 0 ? v : v.substring(0, slash));
        if (address == null) {
            return "is not an IP prefix such as 10.1.0.0/16 or fd00::/64";
        }
        int bits = address.getAddress().length * 8;
        String prefix = slash < 0 ? String.valueOf(bits) : v.substring(slash + 1);
        if (!prefix.matches("\\d{1,3}") || Integer.parseInt(prefix) > bits) {
            return "has no valid prefix length (0.." + bits + ")";
        }
        int length = Integer.parseInt(prefix);
        BigInteger value = new BigInteger(1, address.getAddress());
        BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - length).subtract(BigInteger.ONE);
        if (value.and(hostMask).signum() != 0) {
            byte[] network = value.andNot(hostMask).toByteArray();
            byte[] raw = new byte[bits / 8];
            int copy = Math.min(network.length, raw.length);
            System.arraycopy(network, network.length - copy, raw, raw.length - copy, copy);
            try {
                return "has host bits set: did you mean " + InetAddress.getByAddress(raw).getHostAddress() + "/"
                        + length + "?";
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return null;
    }

    /** The address of an IP literal; null for anything else (never a name lookup). */
    private static InetAddress literal(String v) {
        if (!OpcUaParser.isIp(v)) {
            return null;
        }
        try {
            // An IPv4 literal or a string with ':' (an IPv6 literal): getByName does not query DNS for either.
            return InetAddress.getByName(v);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
