package io.cellgate.boundary.internal;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Cell configuration → the nftables table {@code inet cellgate}. Default deny in every direction; the north
 * interface lets in only the OPC UA and console ports and lets out only MQTT to the brokers; the south interface
 * lets out only the TCP device endpoints; nothing is forwarded. Rules match interfaces by name
 * ({@code iifname}/{@code oifname}): binding a service to one address does not isolate it, because Linux answers
 * on any of its own addresses from either side. Deterministic: the same inputs give the same text.
 */
final class RulesetGenerator {

    /** Looks up every address of a host name (only with {@link FirewallOptions#resolve()}). */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** nftables limits a rule comment to 128 bytes. */
    private static final int MAX_COMMENT = 128;

    private final Resolver resolver;

    RulesetGenerator(Resolver resolver) {
        this.resolver = resolver;
    }

    RulesetGenerator() {
        this(InetAddress::getAllByName);
    }

    /** An address and TCP/UDP port, with what it is for (devices or brokers using it). */
    private record Target(InetAddress address, int port, List<String> users) {
    }

    private static final Comparator<Target> TARGET_ORDER = Comparator.comparing(Target::address, Addresses.ORDER)
            .thenComparingInt(Target::port);

    Ruleset generate(Cell cell, FirewallOptions o) throws BoundaryException {
        List<String> problems = new ArrayList<>(o.problems());
        List<String> notes = new ArrayList<>();
        String n = quote(o.north());
        String s = quote(o.south());

        // --- where to: devices (south) and brokers (north), resolved and merged per address:port ---
        Map<String, Target> devices = new TreeMap<>();
        List<String> serial = new ArrayList<>();
        List<String> loopback = new ArrayList<>();
        List<String> resolved = new ArrayList<>();
        for (Cell.Device d : cell.devices()) {
            String where = "devices[" + d.index() + "] (" + d.id() + ")";
            if (!d.tcp()) {
                serial.add(d.id() + " on " + d.serialPort());
                continue;
            }
            String label = d.id() + (d.enabled() ? "" : " (disabled)");
            for (InetAddress a : addresses(d.host(), where + ".endpoint.host", o, problems, resolved)) {
                if (a.isLoopbackAddress()) {
                    loopback.add("device " + d.id() + " " + d.host() + ":" + d.port());
                    continue;
                }
                devices.computeIfAbsent(key(a, d.port()), k -> new Target(a, d.port(), new ArrayList<>())).users()
                        .add(label);
            }
        }
        Map<String, Target> brokers = new TreeMap<>();
        for (int i = 0; i < cell.brokers().size(); i++) {
            String url = cell.brokers().get(i);
            String where = "mqtt.brokers[" + i + "]";
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                problems.add(where + ": '" + url + "' is not a URL");
                continue;
            }
            if (uri.getHost() == null) {
                problems.add(where + ": '" + url + "' has no host");
                continue;
            }
            int port = uri.getPort() > 0 ? uri.getPort()
                    : "ssl".equals(uri.getScheme()) ? 8883 : 1883;
            for (InetAddress a : addresses(uri.getHost(), where, o, problems, resolved)) {
                if (a.isLoopbackAddress()) {
                    loopback.add("broker " + url);
                    continue;
                }
                brokers.computeIfAbsent(key(a, port), k -> new Target(a, port, new ArrayList<>())).users().add(url);
            }
        }
        Map<String, List<InetAddress>> dns = servers(o.dnsServers(), "--dns", o, problems, resolved);
        Map<String, List<InetAddress>> ntp = servers(o.ntpServers(), "--ntp", o, problems, resolved);

        int opcua = cell.opcuaPort();
        if (o.consolePort() != null && o.consolePort() == opcua) {
            problems.add("--console-port " + o.consolePort() + " is the OPC UA port (opcua.port) too");
        }
        if (o.sshPort() != null && (o.sshPort() == opcua || o.sshPort().equals(o.consolePort()))) {
            problems.add("--ssh " + o.sshPort() + " is already the OPC UA or console port");
        }
        if (!problems.isEmpty()) {
            throw new BoundaryException(problems);
        }

        // --- the header comments: what the file is, and what has no rule and why ---
        notes.add("CellGate cell boundary for cell '" + cell.id() + "' (configuration "
                + cell.hash().substring(0, Math.min(12, cell.hash().length())) + "), by `cellgate firewall print`.");
        notes.add("north = " + o.north() + " (plant side), south = " + o.south() + " (cell side). Load as root: "
                + "nft -f FILE. Only the table inet cellgate is replaced; other tables stay.");
        // Sorted like the rules, so that the order of devices in cell.yaml does not change the file.
        serial.stream().sorted().forEach(x -> notes.add("serial device (no network rule): " + x));
        loopback.stream().sorted().forEach(x -> notes.add("on loopback, always allowed (no interface rule): " + x));
        resolved.stream().sorted().forEach(x -> notes.add("resolved when generated (regenerate when it changes): " + x));

        // --- input ---
        List<String> in = new ArrayList<>();
        in.add(rule("iifname \"lo\" accept", "loopback: the gateway's own processes"));
        in.add(rule("ct state invalid drop", "packets conntrack cannot place"));
        in.add(rule("ct state established,related accept", "replies to allowed connections, their ICMP errors"));
        in.add(rule("iifname " + n + " icmp type echo-request accept", "ping the gateway from the plant side"));
        in.add(rule("iifname " + n + " icmpv6 type echo-request accept", "ping the gateway from the plant side"));
        // Router advertisements only from the plant side: a device in the cell must not hand the gateway routes.
        in.add(rule("iifname " + n + " icmpv6 type nd-router-advert accept", "IPv6 router discovery"));
        for (String side : List.of(n, s)) {
            for (String t : List.of("nd-neighbor-solicit", "nd-neighbor-advert")) {
                in.add(rule("iifname " + side + " icmpv6 type " + t + " accept", "IPv6 neighbour discovery"));
            }
        }
        for (String d : o.dhcp()) {
            in.add(rule("iifname " + quote(d) + " udp sport 67 udp dport 68 accept", "DHCP client replies (--dhcp)"));
        }
        in.addAll(fromSubnets(n, opcua, o.opcuaSubnets(), "OPC UA server (opcua.port)"));
        if (o.consolePort() != null) {
            in.addAll(fromSubnets(n, o.consolePort(), o.adminSubnets(), "admin console"));
        }
        if (o.sshPort() != null) {
            in.addAll(fromSubnets(n, o.sshPort(), o.adminSubnets(), "SSH (--ssh)"));
        }

        // --- output ---
        List<String> out = new ArrayList<>();
        out.add(rule("oifname \"lo\" accept", "loopback: the gateway's own processes"));
        out.add(rule("ct state invalid drop", "packets conntrack cannot place"));
        out.add(rule("ct state established,related accept", "replies on allowed connections"));
        out.add(rule("oifname " + n + " icmpv6 type nd-router-solicit accept", "IPv6 router discovery"));
        for (String side : List.of(n, s)) {
            for (String t : List.of("nd-neighbor-solicit", "nd-neighbor-advert", "mld2-listener-report")) {
                out.add(rule("oifname " + side + " icmpv6 type " + t + " accept", "IPv6 neighbour discovery"));
            }
        }
        for (String d : o.dhcp()) {
            out.add(rule("oifname " + quote(d) + " udp sport 68 udp dport 67 accept", "DHCP client (--dhcp)"));
        }
        for (Target t : sorted(brokers)) {
            out.add(rule("oifname " + n + " " + daddr(t.address()) + " tcp dport " + t.port() + " accept",
                    "MQTT broker " + String.join(", ", t.users().stream().sorted().toList())));
        }
        for (var e : dns.entrySet()) {
            for (InetAddress a : e.getValue()) {
                out.add(rule("oifname " + n + " " + daddr(a) + " udp dport 53 accept", "DNS server " + e.getKey()));
                out.add(rule("oifname " + n + " " + daddr(a) + " tcp dport 53 accept", "DNS server " + e.getKey()));
            }
        }
        for (var e : ntp.entrySet()) {
            for (InetAddress a : e.getValue()) {
                out.add(rule("oifname " + n + " " + daddr(a) + " udp dport 123 accept", "NTP server " + e.getKey()));
            }
        }
        for (Target t : sorted(devices)) {
            out.add(rule("oifname " + s + " " + daddr(t.address()) + " tcp dport " + t.port() + " accept",
                    (t.users().size() == 1 ? "device " : "devices ")
                            + String.join(", ", t.users().stream().sorted().toList())));
        }

        String hook = "type filter hook %s priority filter; policy drop;";
        return new Ruleset(notes, List.of(
                new Ruleset.Chain("input", hook.formatted("input"), in),
                new Ruleset.Chain("forward", hook.formatted("forward"), List.of()),
                new Ruleset.Chain("output", hook.formatted("output"), out)));
    }

    private List<InetAddress> addresses(String host, String where, FirewallOptions o, List<String> problems,
            List<String> resolved) {
        if (Addresses.isMappedV4(host)) {
            problems.add(where + ": '" + host + "' is an IPv4-mapped IPv6 address: write the IPv4 address");
            return List.of();
        }
        var literal = Addresses.literal(host);
        if (literal.isPresent()) {
            return List.of(literal.get());
        }
        if (Addresses.looksNumeric(host)) {
            problems.add(where + ": '" + host + "' is not a valid IP address");
            return List.of();
        }
        if (!o.resolve()) {
            problems.add(where + ": '" + host + "' is a host name, but nftables matches addresses: write its IP "
                    + "address in cell.yaml, or pass --resolve to resolve names now (the rules then hold the "
                    + "addresses of this moment)");
            return List.of();
        }
        try {
            InetAddress[] all = resolver.resolve(host);
            List<InetAddress> list = Arrays.stream(all).distinct().sorted(Addresses.ORDER).toList();
            if (list.isEmpty()) {
                throw new UnknownHostException(host);
            }
            String text = host + " -> " + list.stream().map(Addresses::format).collect(Collectors.joining(", "));
            if (!resolved.contains(text)) {
                resolved.add(text);
            }
            return list;
        } catch (UnknownHostException e) {
            problems.add(where + ": host name '" + host + "' does not resolve");
            return List.of();
        }
    }

    private Map<String, List<InetAddress>> servers(List<String> hosts, String option, FirewallOptions o,
            List<String> problems, List<String> resolved) {
        Map<String, List<InetAddress>> m = new TreeMap<>();
        for (String h : hosts) {
            List<InetAddress> a = addresses(h, option + " " + h, o, problems, resolved);
            a.stream().filter(x -> !x.isLoopbackAddress()).forEach(x -> m.computeIfAbsent(h, k -> new ArrayList<>()).add(x));
        }
        return m;
    }

    private static List<String> fromSubnets(String iface, int port, List<Addresses.Cidr> subnets, String what) {
        List<String> r = new ArrayList<>();
        if (subnets.isEmpty()) {
            r.add(rule("iifname " + iface + " tcp dport " + port + " accept", what));
            return r;
        }
        subnets.stream().sorted(Comparator.comparing(Addresses.Cidr::network, Addresses.ORDER)
                .thenComparingInt(Addresses.Cidr::length)).distinct()
                .forEach(c -> r.add(rule("iifname " + iface + " " + c.family() + " saddr " + c + " tcp dport " + port
                        + " accept", what + " from " + c)));
        return r;
    }

    private static List<Target> sorted(Map<String, Target> m) {
        return m.values().stream().sorted(TARGET_ORDER).toList();
    }

    private static String key(InetAddress a, int port) {
        return Addresses.format(a) + "#" + port;
    }

    private static String daddr(InetAddress a) {
        return Addresses.family(a) + " daddr " + Addresses.format(a);
    }

    private static String quote(String ifname) {
        return "\"" + ifname + "\"";
    }

    /** A rule with its comment; the comment loses quotes and is cut to nftables' limit. */
    static String rule(String match, String comment) {
        String c = comment.replaceAll("[\"\\\\\\p{Cntrl}]", "");
        if (c.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_COMMENT) {
            c = c.substring(0, MAX_COMMENT - 4) + " ...";
        }
        return match + " comment \"" + c + "\"";
    }

    /** The rule without its comment, for tests and reports. */
    static String match(String rule) {
        int i = rule.indexOf(" comment \"");
        return i < 0 ? rule : rule.substring(0, i);
    }
}
