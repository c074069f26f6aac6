package io.cellgate.boundary.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.cli.CliCommand;
import io.cellgate.api.cli.CliContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirewallCommandTest {

    static final String PRESS = RulesetGeneratorTest.CELLS.resolve("press-line").toString();

    @TempDir
    Path tmp;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    String stdin = "";
    /** How nft is started by check (a command prefix): absent by default, so that nothing touches the host. */
    List<String> nftPrefix = List.of("/nonexistent/nft");

    /** Runs the command with nft started as {@code nft} (a command prefix; the listing arguments follow). */
    int run(List<String> nft, String... args) {
        out.reset();
        err.reset();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        FirewallCommand command = new FirewallCommand(() -> new Nft(nft), new RulesetGenerator(host -> {
            throw new java.net.UnknownHostException(host);
        }), () -> new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        return command.run(new CliContext() {
            @Override
            public List<String> args() {
                return List.of(args);
            }

            @Override
            public Path stateDir() {
                return tmp;
            }

            @Override
            public PrintStream out() {
                return o;
            }

            @Override
            public PrintStream err() {
                return e;
            }

            @Override
            public Optional<char[]> readSecret(String prompt) {
                return Optional.empty();
            }

            @Override
            public boolean interactive() {
                return false;
            }
        });
    }

    int run(String... args) {
        return run(nftPrefix, args);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void print_pressLine_rulesetOnStdout() {
        assertThat(run("print", "--config", PRESS, "--north", "eth0", "--south", "eth1")).isZero();
        assertThat(out()).startsWith("#!/usr/sbin/nft -f\n").contains("table inet cellgate {",
                "oifname \"eth1\" ip daddr 192.168.10.21 tcp dport 502 accept comment \"device meter-incomer\"");
        assertThat(err()).isEmpty();
    }

    @Test
    void run_badArguments_usageStatus() {
        assertThat(run()).isEqualTo(CliCommand.USAGE);
        assertThat(err()).contains("print or check is missing", "usage: cellgate firewall");
        assertThat(run("apply", "--north", "a", "--south", "b")).isEqualTo(CliCommand.USAGE);
        assertThat(err()).contains("unknown action 'apply'");
        assertThat(run("print", "--config", PRESS)).isEqualTo(CliCommand.USAGE);
        assertThat(err()).contains("--north IF and --south IF are required");
        assertThat(run("print", "--north", "eth0", "--south", "eth1", "--admin-subnet", "10.1.2.3/16"))
                .isEqualTo(CliCommand.USAGE);
        assertThat(err()).contains("--admin-subnet '10.1.2.3/16' has host bits set: did you mean 10.1.0.0/16?");
        assertThat(run("print", "--north", "eth0", "--south", "eth1", "--console-port", "70000"))
                .isEqualTo(CliCommand.USAGE);
        assertThat(err()).contains("--console-port '70000' is not a port 1..65535");
        assertThat(run("print", "--north", "eth0", "--south")).isEqualTo(CliCommand.USAGE);
        assertThat(err()).contains("--south needs a value");
        assertThat(run("print", "--north", "eth0", "--south", "eth1", "--running", "-")).isEqualTo(CliCommand.USAGE);
        assertThat(run("--help")).isZero();
        assertThat(out()).contains("usage: cellgate firewall");
    }

    @Test
    void print_invalidConfigOrInterface_failedWithEveryProblem() throws Exception {
        Files.writeString(tmp.resolve("cell.yaml"), "cell: { id: x }\ndevices: []\nfirewall: { north: eth0 }\n");
        assertThat(run("print", "--config", tmp.toString(), "--north", "eth0", "--south", "eth1"))
                .isEqualTo(CliCommand.FAILED);
        assertThat(err()).contains("is invalid; no ruleset generated",
                "cell.yaml:3:11: firewall.south: required key 'south' is missing");
        assertThat(out()).isEmpty();
        assertThat(run("print", "--config", PRESS, "--north", "eth0:1", "--south", "eth0:1"))
                .isEqualTo(CliCommand.FAILED);
        assertThat(err()).contains("--north 'eth0:1' is not a valid network interface name",
                "--south 'eth0:1' is not a valid", "--north and --south are both 'eth0:1'");
    }

    /** The press line with a firewall: section appended, and the shipped profiles where it looks for them. */
    private String pressLineWith(String firewall) throws Exception {
        Path profiles = Files.createDirectories(tmp.resolve("profiles"));
        try (var shipped = Files.list(Path.of(PRESS).resolve("../../profiles"))) {
            for (Path p : shipped.toList()) {
                Files.copy(p, profiles.resolve(p.getFileName().toString()));
            }
        }
        Path dir = Files.createDirectories(tmp.resolve("cells/press-line"));
        Files.writeString(dir.resolve("cell.yaml"), Files.readString(Path.of(PRESS, "cell.yaml")) + "\n" + firewall);
        return dir.toString();
    }

    @Test
    void print_firewallSection_usedWithoutOptions() throws Exception {
        String dir = pressLineWith("firewall: { north: enp1s0, south: enp2s0, adminSubnets: 10.1.0.0/16, "
                + "consolePort: 9443, sshPort: 22 }\n");
        assertThat(run("print", "--config", dir)).as(err()).isZero();
        String fromFile = out();

        assertThat(fromFile).contains(
                "iifname \"enp1s0\" ip saddr 10.1.0.0/16 tcp dport 9443 accept comment \"admin console from 10.1.0.0/16\"",
                "iifname \"enp1s0\" ip saddr 10.1.0.0/16 tcp dport 22 accept",
                "oifname \"enp2s0\" ip daddr 192.168.10.21 tcp dport 502 accept");
        // The same as the options would give: the section is a stored command line.
        run("print", "--config", PRESS, "--north", "enp1s0", "--south", "enp2s0", "--admin-subnet", "10.1.0.0/16",
                "--console-port", "9443", "--ssh", "22");
        assertThat(fromFile.lines().filter(l -> !l.startsWith("#")).toList())
                .isEqualTo(out().lines().filter(l -> !l.startsWith("#")).toList());
    }

    @Test
    void print_out_writesTheRulesetToTheFile() throws Exception {
        run("print", "--config", PRESS, "--north", "eth0", "--south", "eth1");
        String stdout = out();
        Path file = tmp.resolve("cellgate.nft");

        assertThat(run("print", "--config", PRESS, "--north", "eth0", "--south", "eth1", "--out", file.toString())).isZero();
        assertThat(Files.readString(file)).isEqualTo(stdout);
        assertThat(out()).isEqualTo("wrote the ruleset for cell 'press-line-3' to " + file + "\n");
        assertThat(run("check", "--config", PRESS, "--north", "eth0", "--south", "eth1", "--out", file.toString()))
                .isEqualTo(CliCommand.USAGE);
        assertThat(err()).contains("--out goes with print only");
    }

    @Test
    void print_optionGiven_overridesTheSection() throws Exception {
        String dir = pressLineWith("firewall: { north: enp1s0, south: enp2s0, adminSubnets: [10.1.0.0/16] }\n");
        assertThat(run("print", "--config", dir, "--south", "eth9", "--admin-subnet", "10.9.0.0/24")).as(err()).isZero();

        assertThat(out()).contains("oifname \"eth9\" ip daddr 192.168.10.21", "ip saddr 10.9.0.0/24 tcp dport 8443")
                .doesNotContain("enp2s0", "10.1.0.0/16").contains("iifname \"enp1s0\" tcp dport 4840 accept");
    }

    @Test
    void print_sectionConsoleFalse_noConsoleRule() throws Exception {
        String dir = pressLineWith("firewall: { north: enp1s0, south: enp2s0, console: false }\n");
        assertThat(run("print", "--config", dir)).as(err()).isZero();
        assertThat(out()).doesNotContain("8443", "admin console");
        assertThat(run("print", "--config", dir, "--console-port", "8443")).isZero();
        assertThat(out()).contains("tcp dport 8443 accept");
    }

    @Test
    void check_sectionAndRunningOnStdin_noDrift() throws Exception {
        String dir = pressLineWith("firewall: { north: enp1s0, south: enp2s0 }\n");
        run("print", "--config", dir);
        stdin = out();
        assertThat(run("check", "--config", dir, "--running", "-")).as(err()).isZero();
        assertThat(out()).startsWith("no drift");
    }

    @Test
    void check_runningEqualsGenerated_noDriftExitZero() throws Exception {
        run("print", "--config", PRESS, "--north", "eth0", "--south", "eth1");
        stdin = out();
        assertThat(run("check", "--config", PRESS, "--north", "eth0", "--south", "eth1", "--running", "-")).isZero();
        assertThat(out()).startsWith("no drift: the running table inet cellgate matches the generated ruleset");
    }

    @Test
    void check_ruleRemovedAndAdded_driftExitOne() throws Exception {
        run("print", "--config", PRESS, "--north", "eth0", "--south", "eth1");
        List<String> lines = new ArrayList<>(out().lines().toList());
        assertThat(lines.removeIf(l -> l.contains("192.168.10.31"))).isTrue();
        lines.add(lines.indexOf("\tchain output {") + 2, "\t\toifname \"eth1\" accept");
        Path running = tmp.resolve("running.nft");
        Files.writeString(running, String.join("\n", lines));
        assertThat(run("check", "--config", PRESS, "--north", "eth0", "--south", "eth1", "--running",
                running.toString())).isEqualTo(CliCommand.FAILED);
        assertThat(out()).contains("(2 differences):",
                "  missing in output: oifname \"eth1\" ip daddr 192.168.10.31 tcp dport 502 accept comment "
                        + "\"device vfd-feeder\"",
                "  extra in output: oifname \"eth1\" accept");
    }

    @Test
    void check_policyChangedAndChainAdded_drift() {
        run("print", "--config", PRESS, "--north", "eth0", "--south", "eth1");
        Ruleset generated = Ruleset.parse(out());
        String running = out().replace("hook forward priority filter; policy drop;",
                "hook forward priority filter; policy accept;")
                .replace("\tchain output {", "\tchain mine {\n\t\tiifname \"eth9\" accept\n\t}\n\n\tchain output {");
        assertThat(generated.drift(Ruleset.parse(running))).containsExactly(
                "changed chain forward: running 'type filter hook forward priority filter; policy accept;', "
                        + "generated 'type filter hook forward priority filter; policy drop;'",
                "extra chain mine ((no hook: a regular chain), 1 rules)");
    }

    @Test
    void check_setAddedToTable_reportedAndChainsAfterItStillCompared() {
        run("print", "--config", PRESS, "--north", "eth0", "--south", "eth1");
        Ruleset generated = Ruleset.parse(out());
        // as nft 1.0.6 lists a set added by hand (multi-line elements included)
        String running = out().replace("table inet cellgate {\n", "table inet cellgate {\n\tset blocked {\n"
                + "\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = { 10.0.0.0/8,\n\t\t\t     "
                + "192.168.1.1 }\n\t}\n\n");
        assertThat(running).contains("set blocked");
        assertThat(generated.drift(Ruleset.parse(running))).containsExactly("extra in table: set blocked");
    }

    @Test
    void check_sameRulesReordered_reportedAsDrift() {
        run("print", "--config", PRESS, "--north", "eth0", "--south", "eth1");
        Ruleset generated = Ruleset.parse(out());
        List<Ruleset.Chain> chains = new ArrayList<>();
        for (Ruleset.Chain c : generated.chains()) {
            List<String> rules = new ArrayList<>(c.rules());
            java.util.Collections.reverse(rules);
            chains.add(new Ruleset.Chain(c.name(), c.header(), rules));
        }
        assertThat(generated.drift(new Ruleset(List.of(), chains)))
                .containsExactly("rules of chain input are in another order than generated",
                        "rules of chain output are in another order than generated");
    }

    @Test
    void check_nftMissing_clearMessageExitOne() {
        assertThat(run("check", "--config", PRESS, "--north", "eth0", "--south", "eth1")).isEqualTo(CliCommand.FAILED);
        assertThat(err()).contains("nftables is not available: cannot run '/nonexistent/nft'",
                "install the Debian package nftables");
    }

    @Test
    void check_nftRefusesWithoutRoot_saysSoExitOne() {
        List<String> fake = List.of("sh", "-c", "echo 'Error: cache initialization failed: Operation not permitted' >&2;"
                + " exit 1", "nft");
        assertThat(run(fake, "check", "--config", PRESS, "--north", "eth0", "--south", "eth1"))
                .isEqualTo(CliCommand.FAILED);
        assertThat(err()).contains("nft needs root to read the ruleset", "--running -");
    }

    @Test
    void check_tableNotLoaded_driftExitOne() {
        List<String> fake = List.of("sh", "-c", "echo 'Error: No such file or directory' >&2; exit 1", "nft");
        assertThat(run(fake, "check", "--config", PRESS, "--north", "eth0", "--south", "eth1"))
                .isEqualTo(CliCommand.FAILED);
        assertThat(err()).contains("drift: table inet cellgate is not loaded: the boundary is not enforced");
    }
}
