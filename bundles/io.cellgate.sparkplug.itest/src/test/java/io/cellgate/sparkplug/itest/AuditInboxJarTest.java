package io.cellgate.sparkplug.itest;

import static io.cellgate.sparkplug.itest.GatewayTestCell.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cellgate.mqtt.testing.Mosquitto;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit inbox with the real executable: a user added on the command line (where the running gateway holds the
 * audit trail) reaches the hash-chained trail - added before the gateway starts, and while it runs - and the chain
 * still verifies.
 */
class AuditInboxJarTest {

    @TempDir
    Path dir;

    private Path jar() {
        Path jar = Path.of(System.getProperty("cellgate.jar", "../../distrib/target/cellgate.jar")).toAbsolutePath()
                .normalize();
        assumeTrue(Files.isRegularFile(jar), "no " + jar + " built");
        return jar;
    }

    /** Runs {@code cellgate <args> --state DIR} to its end; returns the exit status and keeps standard output. */
    private int cellgate(Path jar, Path state, String input, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-XX:+UseSerialGC", "-Dcellgate.log.dir=" + dir.resolve("cli-logs"), "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--state", state.toString()));
        Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile()).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("cellgate " + String.join(" ", args) + " ended").isTrue();
        return p.exitValue();
    }

    private String out() throws IOException {
        return Files.readString(dir.resolve("out.txt"));
    }

    private String err() throws IOException {
        return Files.readString(dir.resolve("err.txt"));
    }

    private static String trail(Path state) {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> files = Files.list(state.resolve("audit"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("trail-")).sorted().toList()) {
                b.append(Files.readString(f));
            }
        } catch (IOException e) {
            return "";
        }
        return b.toString();
    }

    @Test
    void changes_auditInboxCannotBeWritten_refusedExit1NothingChangedReadsStillWork() throws Exception {
        Path jar = jar();
        Path state = Files.createDirectories(dir.resolve("state"));
        // a file where the inbox belongs: no command can write there, root included (CI runs as root)
        Path inbox = Files.createDirectories(state.resolve("audit")).resolve("inbox");
        Files.writeString(inbox, "not a directory");

        assertThat(cellgate(jar, state, "blue-tractor-on-the-hill\n", "user", "add", "otto", "--roles", "Operator"))
                .isEqualTo(1);
        assertThat(err()).contains("error: the audit inbox " + inbox + " cannot be written (NotDirectoryException on "
                + inbox + "): the change is refused, nothing was changed (fail closed)");
        assertThat(cellgate(jar, state, "", "pki", "trust", "ab".repeat(20))).isEqualTo(1);
        assertThat(err()).contains("error: the audit inbox " + inbox + " cannot be written");

        assertThat(state.resolve("identity/users.yaml")).doesNotExist();
        assertThat(cellgate(jar, state, "", "user", "list")).isZero();
        assertThat(out()).contains("no users in");
        assertThat(cellgate(jar, state, "", "pki", "list")).isZero();
    }

    @Test
    void userAdd_beforeAndWhileTheGatewayRuns_recordsReachTheTrailAndTheChainVerifies() throws Exception {
        Path jar = jar();
        Path state = Files.createDirectories(dir.resolve("state"));
        Path cell = Files.createDirectories(dir.resolve("cell"));
        Files.writeString(cell.resolve("cell.yaml"), """
                cell:
                  id: inboxtest
                  name: Audit inbox test cell
                devices: []
                opcua:
                  port: %d
                  bindAddress: 127.0.0.1
                  hostname: localhost
                  certificate: { dnsNames: [localhost], ipAddresses: [127.0.0.1] }
                """.formatted(Mosquitto.freePort()));

        // 1. No gateway: the change waits in the inbox, fsynced.
        assertThat(cellgate(jar, state, "blue-tractor-on-the-hill\n", "user", "add", "otto", "--roles", "Operator"))
                .isZero();
        assertThat(cellgate(jar, state, "", "audit", "verify")).isZero();
        assertThat(out()).contains("inbox: 1 records in 1 files wait to be imported");

        // 2. The gateway imports it at its start.
        Path unit = Path.of(System.getProperty("cellgate.service", "../../distrib/src/deb/systemd/cellgate.service"));
        try (GatewayProcess gateway = new GatewayProcess(jar, unit, cell, state, dir.resolve("gateway.log"))) {
            gateway.start();
            waitFor(() -> trail(state).contains("\"resource\":\"user:otto\""), 60, "user.create of otto in the trail",
                    gateway);

            // 3. While it runs, a change reaches the trail within its import interval (a second).
            assertThat(cellgate(jar, state, "green-tractor-in-the-barn\n", "user", "add", "anna", "--roles",
                    "Operator")).isZero();
            waitFor(() -> trail(state).contains("\"resource\":\"user:anna\""), 30, "user.create of anna in the trail",
                    gateway);

            assertThat(cellgate(jar, state, "", "audit", "show", "--action", "user.create")).isZero();
            assertThat(out()).containsPattern("user\\.create identity=console:\\S+ source=cli inbox \\S+\\.jsonl:1"
                    + " resource=user:otto").contains("resource=user:anna");
            assertThat(cellgate(jar, state, "", "audit", "verify")).isZero();
            assertThat(out()).startsWith("OK: ").contains("inbox: 0 records in 0 files");
            gateway.terminate(60);
        }
    }
}
