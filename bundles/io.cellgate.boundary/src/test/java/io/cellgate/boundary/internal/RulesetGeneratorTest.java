package io.cellgate.boundary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellgate.config.CellConfigLoader;
import io.cellgate.config.LoadResult;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RulesetGeneratorTest {

    static final Path CELLS = Path.of(System.getProperty("cellgate.deviceConfigs", "../../device-configs"), "cells");
    private static final Pattern DADDR_PORT = Pattern.compile("ip6? daddr (\\S+) tcp dport (\\d+) accept");

    private final RulesetGenerator generator = new RulesetGenerator(host -> {
        throw new AssertionError("no name may be resolved here: " + host);
    });

    static Stream<Path> shippedCells() throws IOException {
        try (Stream<Path> s = Files.list(CELLS)) {
            List<Path> cells = s.filter(p -> Files.isRegularFile(p.resolve("cell.yaml"))).sorted().toList();
            assertThat(cells).hasSizeGreaterThanOrEqualTo(3);
            return cells.stream();
        }
    }

    static Cell load(Path dir) {
        LoadResult r = CellConfigLoader.load(dir);
        assertThat(r.isValid()).as(r.errorReport()).isTrue();
        return Cell.from(r);
    }

    private static List<String> rules(Ruleset r, String chain) {
        return r.chain(chain).rules();
    }

    @ParameterizedTest
    @MethodSource("shippedCells")
    void generate_shippedCell_everyTcpDeviceEndpointHasExactlyOneSouthRule(Path dir) throws Exception {
        Cell cell = load(dir);
        Ruleset r = generator.generate(cell, FirewallOptions.of("eth0", "eth1"));

        List<String> south = rules(r, "output").stream().filter(x -> x.startsWith("oifname \"eth1\" ip")).toList();
        for (Cell.Device d : cell.devices()) {
            if (!d.tcp()) {
                assertThat(r.notes()).anyMatch(n -> n.contains("serial device") && n.contains(d.id()));
                continue;
            }
            InetAddress a = InetAddress.getByName(d.host()); // shipped cells use IP literals only
            List<String> matching = south.stream()
                    .filter(x -> x.contains(" daddr " + d.host() + " tcp dport " + d.port() + " accept")).toList();
            if (a.isLoopbackAddress()) {
                assertThat(matching).isEmpty();
                assertThat(r.notes()).anyMatch(n -> n.contains("loopback") && n.contains(d.id()));
            } else {
                assertThat(matching).as(d.id()).hasSize(1);
                assertThat(matching.get(0)).contains(d.id());
            }
        }
        // nothing else: every south rule is one of the devices' endpoints
        for (String x : south) {
            Matcher m = DADDR_PORT.matcher(x);
            assertThat(m.find()).as(x).isTrue();
            assertThat(cell.devices()).as(x).anyMatch(d -> d.tcp() && d.host().equals(m.group(1))
                    && d.port() == Integer.parseInt(m.group(2)));
        }
    }

    @ParameterizedTest
    @MethodSource("shippedCells")
    void generate_shippedCell_southLetsOutOnlyDevicesAndNeighbourDiscovery(Path dir) throws Exception {
        Ruleset r = generator.generate(load(dir), FirewallOptions.of("eth0", "eth1"));
        for (String x : rules(r, "output")) {
            String m = RulesetGenerator.match(x);
            if (m.contains("\"eth1\"")) {
                assertThat(m).as(x).matches("oifname \"eth1\" (icmpv6 type (nd-neighbor-\\S+|mld2-listener-report)"
                        + "|ip6? daddr \\S+ tcp dport \\d+) accept");
            } else if (!m.contains("\"eth0\"")) {
                // neither interface: only loopback and conntrack state
                assertThat(m).as(x).isIn("oifname \"lo\" accept", "ct state invalid drop",
                        "ct state established,related accept");
            }
        }
        // nothing new comes in from the cell side, except neighbour discovery (no router advertisements)
        for (String x : rules(r, "input")) {
            if (x.contains("\"eth1\"")) {
                assertThat(RulesetGenerator.match(x)).matches("iifname \"eth1\" icmpv6 type nd-neighbor-\\S+ accept");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("shippedCells")
    void generate_shippedCell_onlyOpcUaAndConsolePortsEnterNorth(Path dir) throws Exception {
        Cell cell = load(dir);
        Ruleset r = generator.generate(cell, FirewallOptions.of("eth0", "eth1"));
        List<String> ports = new ArrayList<>();
        for (String x : rules(r, "input")) {
            String m = RulesetGenerator.match(x);
            if (m.contains("dport")) {
                assertThat(m).startsWith("iifname \"eth0\" ");
                ports.add(m.replaceAll(".*dport (\\d+) accept", "$1"));
            }
        }
        assertThat(ports).containsExactlyInAnyOrder(String.valueOf(cell.opcuaPort()), "8443");
        assertThat(rules(r, "input")).noneMatch(x -> x.contains(" udp "));
    }

    @ParameterizedTest
    @MethodSource("shippedCells")
    void generate_shippedCell_everyChainDropsByPolicyAndNothingIsForwarded(Path dir) throws Exception {
        Ruleset r = generator.generate(load(dir), FirewallOptions.of("eth0", "eth1"));
        assertThat(r.chains()).extracting(Ruleset.Chain::name).containsExactly("input", "forward", "output");
        assertThat(r.chains()).allSatisfy(c -> assertThat(c.header()).endsWith("policy drop;"));
        assertThat(rules(r, "forward")).isEmpty();
        // a rule without an interface accepts only loopback or replies
        assertThat(r.chains()).flatExtracting(Ruleset.Chain::rules).map(RulesetGenerator::match)
                .filteredOn(x -> !x.contains("ifname")).containsOnly("ct state invalid drop",
                        "ct state established,related accept");
    }

    @ParameterizedTest
    @MethodSource("shippedCells")
    void generate_twiceAndInAnotherDeviceOrder_sameText(Path dir) throws Exception {
        Cell cell = load(dir);
        FirewallOptions o = FirewallOptions.of("eth0", "eth1");
        String first = generator.generate(cell, o).render();
        assertThat(generator.generate(load(dir), o).render()).isEqualTo(first);
        List<Cell.Device> reversed = new ArrayList<>(cell.devices());
        Collections.reverse(reversed);
        Cell shuffled = new Cell(cell.id(), cell.hash(), cell.opcuaPort(), reversed, cell.brokers());
        assertThat(generator.generate(shuffled, o).render()).isEqualTo(first);
    }

    @ParameterizedTest
    @MethodSource("shippedCells")
    void render_parsedBack_noDrift(Path dir) throws Exception {
        Ruleset r = generator.generate(load(dir), FirewallOptions.of("eth0", "eth1"));
        assertThat(r.drift(Ruleset.parse(r.render()))).isEmpty();
    }

    @Test
    void generate_sharedSerialServer_oneRuleNamingBothDevices() throws Exception {
        Ruleset r = generator.generate(load(CELLS.resolve("packaging-rtu")), FirewallOptions.of("eth0", "eth1"));
        assertThat(rules(r, "output")).filteredOn(x -> x.contains("192.168.20.50")).containsExactly(
                "oifname \"eth1\" ip daddr 192.168.20.50 tcp dport 4001 accept comment "
                        + "\"devices meter-packaging, vfd-palletiser\"");
    }

    @Test
    void generate_brokersAndAdminSubnet_northRulesSortedWithComments() throws Exception {
        Cell cell = new Cell("c", "0123456789abcdef", 4841, List.of(),
                List.of("ssl://10.0.0.9:8883", "ssl://[2001:db8::0:1]", "tcp://10.0.0.8:1883"));
        FirewallOptions o = FirewallOptions.of("enp1s0", "enp2s0")
                .withAdminSubnets(List.of(Addresses.Cidr.parse("fd00:1::/64"), Addresses.Cidr.parse("10.1.0.0/16")));
        Ruleset r = generator.generate(cell, o);
        assertThat(rules(r, "output")).filteredOn(x -> x.contains("dport")).containsExactly(
                "oifname \"enp1s0\" ip daddr 10.0.0.8 tcp dport 1883 accept comment \"MQTT broker tcp://10.0.0.8:1883\"",
                "oifname \"enp1s0\" ip daddr 10.0.0.9 tcp dport 8883 accept comment \"MQTT broker ssl://10.0.0.9:8883\"",
                "oifname \"enp1s0\" ip6 daddr 2001:db8::1 tcp dport 8883 accept comment "
                        + "\"MQTT broker ssl://[2001:db8::0:1]\"");
        assertThat(rules(r, "input")).filteredOn(x -> x.contains("dport")).containsExactly(
                "iifname \"enp1s0\" tcp dport 4841 accept comment \"OPC UA server (opcua.port)\"",
                "iifname \"enp1s0\" ip saddr 10.1.0.0/16 tcp dport 8443 accept comment \"admin console from 10.1.0.0/16\"",
                "iifname \"enp1s0\" ip6 saddr fd00:1::/64 tcp dport 8443 accept comment "
                        + "\"admin console from fd00:1::/64\"");
    }

    @Test
    void generate_hostNameWithResolve_everyAddressSortedAndNoted() throws Exception {
        RulesetGenerator resolving = new RulesetGenerator(host -> new InetAddress[] {
                InetAddress.getByName("10.0.0.7"), InetAddress.getByName("10.0.0.5"), InetAddress.getByName("10.0.0.7")});
        Cell cell = new Cell("c", "h", 4840, List.of(new Cell.Device(0, "plc", "modbus-tcp", "plc.cell.local", 502,
                null, true)), List.of());
        FirewallOptions o = new FirewallOptions("eth0", "eth1", null, List.of(), List.of(), null, List.of(),
                List.of(), List.of(), true);
        Ruleset r = resolving.generate(cell, o);
        assertThat(rules(r, "output")).filteredOn(x -> x.contains("dport")).extracting(RulesetGenerator::match)
                .containsExactly("oifname \"eth1\" ip daddr 10.0.0.5 tcp dport 502 accept",
                        "oifname \"eth1\" ip daddr 10.0.0.7 tcp dport 502 accept");
        assertThat(r.notes()).contains("resolved when generated (regenerate when it changes): plc.cell.local -> "
                + "10.0.0.5, 10.0.0.7");
        assertThat(rules(r, "input")).noneMatch(x -> x.contains("8443"));
    }

    @Test
    void generate_optionalAllowances_dnsNtpDhcpSsh() throws Exception {
        Cell cell = new Cell("c", "h", 4840, List.of(), List.of());
        FirewallOptions o = new FirewallOptions("eth0", "eth1", 8443, List.of(Addresses.Cidr.parse("10.1.0.0/16")),
                List.of(Addresses.Cidr.parse("10.2.0.0/16")), 22, List.of("10.0.0.53"), List.of("10.0.0.123"),
                List.of("eth0"), false);
        List<String> all = generator.generate(cell, o).chains().stream().flatMap(c -> c.rules().stream())
                .map(RulesetGenerator::match).toList();
        assertThat(all).contains(
                "iifname \"eth0\" ip saddr 10.2.0.0/16 tcp dport 4840 accept",
                "iifname \"eth0\" ip saddr 10.1.0.0/16 tcp dport 22 accept",
                "iifname \"eth0\" udp sport 67 udp dport 68 accept",
                "oifname \"eth0\" udp sport 68 udp dport 67 accept",
                "oifname \"eth0\" ip daddr 10.0.0.53 udp dport 53 accept",
                "oifname \"eth0\" ip daddr 10.0.0.53 tcp dport 53 accept",
                "oifname \"eth0\" ip daddr 10.0.0.123 udp dport 123 accept");
        assertThat(all).noneMatch(x -> x.equals("iifname \"eth0\" tcp dport 4840 accept"));
        // off by default
        List<String> plain = generator.generate(cell, FirewallOptions.of("eth0", "eth1")).chains().stream()
                .flatMap(c -> c.rules().stream()).toList();
        assertThat(plain).noneMatch(x -> x.contains(" udp ") || x.contains("dport 22 "));
    }

    @Test
    void generate_badInterfaces_everyProblemNamed() {
        Cell cell = new Cell("c", "h", 4840, List.of(), List.of());
        assertThatThrownBy(() -> generator.generate(cell, FirewallOptions.of("eth0/1", "averyveryverylongname")))
                .isInstanceOfSatisfying(BoundaryException.class, e -> assertThat(e.problems()).containsExactly(
                        "--north 'eth0/1' is not a valid network interface name: only letters, digits and _ . - @ + "
                                + "are allowed here (no '/', ':', '*', spaces or quotes)",
                        "--south 'averyveryverylongname' is not a valid network interface name: longer than 15 "
                                + "characters"));
        assertThatThrownBy(() -> generator.generate(cell, FirewallOptions.of("eth0", "eth0")))
                .hasMessageContaining("--north and --south are both 'eth0'");
        assertThatThrownBy(() -> generator.generate(cell, FirewallOptions.of("lo", "eth*")))
                .hasMessageContaining("--north 'lo' is not a valid network interface name: the loopback")
                .hasMessageContaining("--south 'eth*'");
        assertThatThrownBy(() -> generator.generate(cell, FirewallOptions.of("", "eth1")))
                .hasMessageContaining("--north IF is required");
    }

    @Test
    void generate_hostNamesWithoutResolveAndBadAddresses_everyProblemNamesTheField() {
        Cell cell = new Cell("c", "h", 4840, List.of(
                new Cell.Device(0, "plc", "modbus-tcp", "plc.cell.local", 502, null, true),
                new Cell.Device(1, "meter", "modbus-tcp", "192.168.1.300", 502, null, true),
                new Cell.Device(2, "drive", "modbus-rtu-over-tcp", "::ffff:10.0.0.1", 4001, null, true)),
                List.of("ssl://mqtt.plant.local:8883"));
        assertThatThrownBy(() -> generator.generate(cell, FirewallOptions.of("eth0", "eth1")))
                .isInstanceOfSatisfying(BoundaryException.class, e -> assertThat(e.problems()).containsExactly(
                        "devices[0] (plc).endpoint.host: 'plc.cell.local' is a host name, but nftables matches "
                                + "addresses: write its IP address in cell.yaml, or pass --resolve to resolve names "
                                + "now (the rules then hold the addresses of this moment)",
                        "devices[1] (meter).endpoint.host: '192.168.1.300' is not a valid IP address",
                        "devices[2] (drive).endpoint.host: '::ffff:10.0.0.1' is an IPv4-mapped IPv6 address: write "
                                + "the IPv4 address",
                        "mqtt.brokers[0]: 'mqtt.plant.local' is a host name, but nftables matches addresses: write "
                                + "its IP address in cell.yaml, or pass --resolve to resolve names now (the rules "
                                + "then hold the addresses of this moment)"));
    }

    @Test
    void generate_unresolvableNameAndPortClash_refused() {
        RulesetGenerator failing = new RulesetGenerator(host -> {
            throw new java.net.UnknownHostException(host);
        });
        Cell cell = new Cell("c", "h", 8443, List.of(), List.of("ssl://nowhere.invalid:8883"));
        FirewallOptions o = new FirewallOptions("eth0", "eth1", 8443, List.of(), List.of(), null, List.of(),
                List.of(), List.of(), true);
        assertThatThrownBy(() -> failing.generate(cell, o)).isInstanceOfSatisfying(BoundaryException.class,
                e -> assertThat(e.problems()).containsExactly(
                        "mqtt.brokers[0]: host name 'nowhere.invalid' does not resolve",
                        "--console-port 8443 is the OPC UA port (opcua.port) too"));
    }

    @Test
    void rule_longComment_cutToNftablesLimit() {
        String r = RulesetGenerator.rule("accept", "devices " + "x".repeat(200) + " \"quoted\"");
        String comment = r.substring(r.indexOf('"') + 1, r.length() - 1);
        assertThat(comment).hasSizeLessThanOrEqualTo(128).endsWith(" ...").doesNotContain("\"");
    }
}
