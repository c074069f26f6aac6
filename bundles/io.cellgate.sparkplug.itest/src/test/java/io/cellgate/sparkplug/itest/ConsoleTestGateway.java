package io.cellgate.sparkplug.itest;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real gateway for the console tests: the exported jar with the service's JVM flags, the console on an ephemeral
 * port on 127.0.0.1 (framework properties cellgate.console.port=0 and bind.address), its output in one log file from
 * which the tests read the console URL and the first start's one-time password, as a person would.
 */
final class ConsoleTestGateway implements AutoCloseable {

    private static final Pattern URL = Pattern.compile("CellGate console: (https://127\\.0\\.0\\.1:\\d+)/");
    private static final Pattern ONE_TIME = Pattern.compile("One-time password: (\\S+)");

    private final Path jar;
    private final Path state;
    private final Path log;
    private final Process process;

    ConsoleTestGateway(Path jar, Path serviceUnit, Path config, Path state, Path log) throws IOException {
        this.jar = jar;
        this.state = state;
        this.log = log;
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(GatewayProcess.serviceFlags(serviceUnit));
        command.addAll(List.of("-Dcellgate.log.dir=" + state.resolve("logs"), "-Dcellgate.console.port=0",
                "-Dcellgate.console.bind.address=127.0.0.1", "-jar", jar.toString(), "--config", config.toString(),
                "--state", state.toString()));
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Waits for the console's announcement and returns its base URL (no trailing slash). */
    String awaitConsole(long seconds) throws InterruptedException {
        return await(URL, seconds, "the console URL");
    }

    String oneTimePassword(long seconds) throws InterruptedException {
        return await(ONE_TIME, seconds, "the first start's one-time password");
    }

    private String await(Pattern pattern, long seconds, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + seconds * 1000;
        while (true) {
            Matcher m = pattern.matcher(log());
            if (m.find()) {
                return m.group(1);
            }
            if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                fail("no " + what + " within " + seconds + " s (gateway alive: " + process.isAlive() + "); its output:\n"
                        + logTail());
            }
            Thread.sleep(100);
        }
    }

    /** {@code cellgate user add NAME --roles ROLES} in command mode on this gateway's state, password on stdin. */
    void addUser(String name, String roles, String password) throws IOException, InterruptedException {
        Path out = state.resolve("user-" + name + ".txt");
        Process p = new ProcessBuilder(java(), "-Xmx96m", "-XX:+UseSerialGC", "-Dcellgate.log.dir=" + state.resolve("logs"),
                "-jar", jar.toString(), "user", "add", name, "--roles", roles, "--state", state.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write((password + "\n").getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("cellgate user add " + name + " failed: " + Files.readString(out));
        }
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String logTail() {
        String text = log();
        return text.length() > 12000 ? "..." + text.substring(text.length() - 12000) : text;
    }

    /** The audit trail as stored (JSON lines), for assertions on what was recorded. */
    String auditTrail() {
        try (var files = Files.list(state.resolve("audit"))) {
            StringBuilder b = new StringBuilder();
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
                b.append(Files.readString(f));
            }
            return b.toString();
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
