package io.cellgate.boundary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cellgate.api.cli.CliCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated ruleset in a real nftables, always inside throwaway network namespaces: the host's own ruleset
 * is never read or changed. Runs only as root with nft and ip installed (Debian: nftables, iproute2); skipped
 * otherwise.
 */
class NftNamespaceTest {

    @TempDir
    Path tmp;
    private final List<String> namespaces = new ArrayList<>();
    private final String id = UUID.randomUUID().toString().substring(0, 8);

    private record Result(int status, String out) {
    }

    private static Result exec(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(15, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private static void ok(String... cmd) throws IOException, InterruptedException {
        Result r = exec(cmd);
        assertThat(r.status()).as(String.join(" ", cmd) + ": " + r.out()).isZero();
    }

    private String ns(String name) throws IOException, InterruptedException {
        String ns = "cgt-" + name + "-" + id;
        ok("ip", "netns", "add", ns);
        namespaces.add(ns);
        ok("ip", "-n", ns, "link", "set", "lo", "up");
        return ns;
    }

    @BeforeEach
    void requireRootAndTools() throws Exception {
        Result uid;
        try {
            uid = exec("id", "-u");
            assumeTrue(uid.out().strip().equals("0"), "needs root (network namespaces)");
            assumeTrue(exec("nft", "--version").status() == 0, "needs nft (Debian package nftables)");
            assumeTrue(exec("ip", "-V").status() == 0, "needs ip (Debian package iproute2)");
        } catch (IOException e) {
            assumeTrue(false, "tool missing: " + e.getMessage());
        }
    }

    @AfterEach
    void deleteNamespaces() throws Exception {
        for (String ns : namespaces) {
            exec("ip", "netns", "del", ns);
        }
    }

    private FirewallCommandTest commandIn(String ns) {
        FirewallCommandTest t = new FirewallCommandTest();
        t.tmp = tmp;
        t.nftPrefix = List.of("ip", "netns", "exec", ns, "nft");
        return t;
    }

    private Path print(FirewallCommandTest t, String north, String south) throws IOException {
        assertThat(t.run(t.nftPrefix, "print", "--config", FirewallCommandTest.PRESS, "--north", north, "--south",
                south)).isZero();
        Path file = tmp.resolve("cellgate-" + north + ".nft");
        Files.writeString(file, t.out());
        return file;
    }

    @Test
    void check_loadedInNamespace_noDriftThenRuleDeletedDriftReported() throws Exception {
        String gw = ns("gw");
        FirewallCommandTest t = commandIn(gw);
        Path file = print(t, "eth0", "eth1");
        ok("ip", "netns", "exec", gw, "nft", "-f", file.toString());
        // loading twice is fine: the file declares, deletes and defines the table in one transaction
        ok("ip", "netns", "exec", gw, "nft", "-f", file.toString());

        assertThat(t.run(t.nftPrefix, "check", "--config", FirewallCommandTest.PRESS, "--north", "eth0", "--south",
                "eth1")).as(t.out() + t.err()).isZero();
        assertThat(t.out()).startsWith("no drift");

        Result listing = exec("ip", "netns", "exec", gw, "nft", "-a", "list", "chain", "inet", "cellgate", "output");
        String line = listing.out().lines().filter(l -> l.contains("192.168.10.31")).findFirst().orElseThrow();
        String handle = line.replaceAll(".*# handle (\\d+).*", "$1");
        ok("ip", "netns", "exec", gw, "nft", "delete", "rule", "inet", "cellgate", "output", "handle", handle);

        assertThat(t.run(t.nftPrefix, "check", "--config", FirewallCommandTest.PRESS, "--north", "eth0", "--south",
                "eth1")).isEqualTo(CliCommand.FAILED);
        assertThat(t.out()).contains("(1 difference):", "missing in output: oifname \"eth1\" ip daddr 192.168.10.31 "
                + "tcp dport 502 accept comment \"device vfd-feeder\"");
    }

    @Test
    void check_everyShippedCellWithEveryOption_loadsAndListsBackWithoutDrift() throws Exception {
        String gw = ns("all");
        FirewallCommandTest t = commandIn(gw);
        List<Path> cells = RulesetGeneratorTest.shippedCells().toList();
        for (Path cell : cells) {
            String[] options = {"--config", cell.toString(), "--north", "enp1s0", "--south", "enp2s0",
                "--admin-subnet", "10.1.0.0/16", "--admin-subnet", "fd00:1:0:0::/64", "--opcua-subnet", "10.20.0.0/16",
                "--ssh", "22", "--dns", "10.0.0.53", "--dns", "2001:db8::53", "--ntp", "10.0.0.123", "--dhcp", "enp1s0",
                "--console-port", "9443"};
            List<String> print = new ArrayList<>(List.of("print"));
            print.addAll(List.of(options));
            assertThat(t.run(t.nftPrefix, print.toArray(String[]::new))).as(t.err()).isZero();
            Path file = tmp.resolve(cell.getFileName() + ".nft");
            Files.writeString(file, t.out());
            ok("ip", "netns", "exec", gw, "nft", "-f", file.toString());
            List<String> check = new ArrayList<>(List.of("check"));
            check.addAll(List.of(options));
            assertThat(t.run(t.nftPrefix, check.toArray(String[]::new))).as(cell + ": " + t.out() + t.err()).isZero();
        }
    }

    @Test
    void check_namespaceWithoutTable_notLoadedReported() throws Exception {
        FirewallCommandTest t = commandIn(ns("empty"));
        assertThat(t.run(t.nftPrefix, "check", "--config", FirewallCommandTest.PRESS, "--north", "eth0", "--south",
                "eth1")).isEqualTo(CliCommand.FAILED);
        assertThat(t.err()).contains("table inet cellgate is not loaded");
    }

    /**
     * bash's /dev/tcp connect from a namespace: "refused" = the SYN reached the peer's closed port and the reset
     * came back (nothing listens in these tests); "blocked" = the SYN or its answer was dropped (no answer within
     * 2 s on a local veth pair; an output drop may also fail the connect with EPERM at once).
     */
    private static String connect(String ns, String address, int port) throws Exception {
        Result r = exec("ip", "netns", "exec", ns, "timeout", "2", "bash", "-c",
                "exec 3<>/dev/tcp/" + address + "/" + port);
        if (r.status() == 124) {
            return "blocked";
        }
        return r.out().contains("Connection refused") ? "refused"
                : r.out().contains("Operation not permitted") ? "blocked" : r.status() + ": " + r.out();
    }

    @Test
    void boundary_twoVethPairs_southReachesOnlyDevicesAndNorthServicesOnlyFromNorth() throws Exception {
        String gw = ns("gw");
        String plant = ns("plant");
        String cell = ns("cell");
        // gateway: north0 10.0.0.1/24 <-> plant 10.0.0.9; south0 192.168.10.1/24 <-> cell 192.168.10.21 (the device
        // meter-incomer) and 192.168.10.99 (not a device)
        ok("ip", "link", "add", "n-" + id, "netns", gw, "type", "veth", "peer", "name", "p-" + id, "netns", plant);
        ok("ip", "link", "add", "s-" + id, "netns", gw, "type", "veth", "peer", "name", "c-" + id, "netns", cell);
        ok("ip", "-n", gw, "link", "set", "n-" + id, "name", "north0");
        ok("ip", "-n", gw, "link", "set", "s-" + id, "name", "south0");
        ok("ip", "-n", gw, "addr", "add", "10.0.0.1/24", "dev", "north0");
        ok("ip", "-n", gw, "addr", "add", "192.168.10.1/24", "dev", "south0");
        ok("ip", "-n", plant, "addr", "add", "10.0.0.9/24", "dev", "p-" + id);
        ok("ip", "-n", cell, "addr", "add", "192.168.10.21/24", "dev", "c-" + id);
        ok("ip", "-n", cell, "addr", "add", "192.168.10.99/24", "dev", "c-" + id);
        for (String[] l : new String[][] {{gw, "north0"}, {gw, "south0"}, {plant, "p-" + id}, {cell, "c-" + id}}) {
            ok("ip", "-n", l[0], "link", "set", l[1], "up");
        }
        ok("ip", "-n", cell, "route", "add", "default", "via", "192.168.10.1");
        ok("ip", "-n", plant, "route", "add", "default", "via", "10.0.0.1");
        // before the boundary, everything answers (closed ports refuse): the checks below are not vacuous
        assertThat(connect(gw, "192.168.10.99", 502)).isEqualTo("refused");
        assertThat(connect(cell, "10.0.0.1", 4840)).isEqualTo("refused");

        FirewallCommandTest t = commandIn(gw);
        ok("ip", "netns", "exec", gw, "nft", "-f", print(t, "north0", "south0").toString());

        assertThat(connect(gw, "192.168.10.21", 502)).as("the device endpoint").isEqualTo("refused");
        assertThat(connect(gw, "192.168.10.21", 503)).as("another port of the device").isEqualTo("blocked");
        assertThat(connect(gw, "192.168.10.99", 502)).as("not a device").isEqualTo("blocked");
        assertThat(connect(plant, "10.0.0.1", 4840)).as("OPC UA from the plant").isEqualTo("refused");
        assertThat(connect(plant, "10.0.0.1", 22)).as("another port from the plant").isEqualTo("blocked");
        // the trap: the north address reached from the cell side must not answer
        assertThat(connect(cell, "10.0.0.1", 4840)).as("OPC UA on the north address, from the cell")
                .isEqualTo("blocked");
        assertThat(connect(cell, "192.168.10.1", 4840)).as("OPC UA on the south address").isEqualTo("blocked");
    }
}
