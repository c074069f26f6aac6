package io.cellgate.sparkplug.itest;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real gateway: {@code java <the service's JVM flags> -jar cellgate.jar --config DIR --state DIR} as a child
 * process, its output appended to one log file across restarts. {@link #kill9()} is SIGKILL (no shutdown hook,
 * no clean NDEATH, no flush); {@link #terminate(long)} is SIGTERM.
 */
final class GatewayProcess implements AutoCloseable {

    private static final Pattern JAVA_OPTS = Pattern.compile("^Environment=\"JAVA_OPTS=([^\"]*)\"", Pattern.MULTILINE);

    private final Path jar;
    private final List<String> jvmFlags;
    private final Path config;
    private final Path state;
    private final Path log;
    private Process process;
    /** Put before {@code java} (e.g. {@code ip netns exec NS}, which execs java: the process stays the JVM). */
    private List<String> prefix = List.of();

    GatewayProcess(Path jar, Path serviceUnit, Path config, Path state, Path log) {
        this.jar = jar;
        this.jvmFlags = serviceFlags(serviceUnit);
        this.config = config;
        this.state = state;
        this.log = log;
    }

    /** The JVM flags the systemd unit runs the gateway with, so the test runs the shipped memory limits. */
    static List<String> serviceFlags(Path unit) {
        try {
            Matcher m = JAVA_OPTS.matcher(Files.readString(unit));
            if (!m.find()) {
                fail("no Environment=\"JAVA_OPTS=...\" line in " + unit);
            }
            return Arrays.asList(m.group(1).trim().split("\\s+"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the service unit " + unit, e);
        }
    }

    /** Starts the gateway with {@code prefix} before the java command from now on. */
    synchronized GatewayProcess prefixed(List<String> prefix) {
        this.prefix = List.copyOf(prefix);
        return this;
    }

    List<String> jvmFlags() {
        return jvmFlags;
    }

    synchronized void start() {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-Dcellgate.log.dir=" + state.resolve("logs"));
        command.addAll(List.of("-jar", jar.toString(), "--config", config.toString(), "--state", state.toString()));
        try {
            Files.writeString(log, "\n===== start: " + String.join(" ", command) + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the gateway", e);
        }
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL, and waits until the process is gone. */
    synchronized void kill9() {
        if (process == null) {
            return;
        }
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.toHandle().destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                fail("the gateway (pid " + process.pid() + ") did not die from SIGKILL within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /**
     * SIGTERM (what {@code systemctl stop} sends), then waits at most {@code seconds} for the JVM to exit; the bound
     * only keeps a hanging build from hanging the test. Returns the exit code.
     */
    synchronized int terminate(long seconds) throws InterruptedException {
        if (process == null) {
            fail("terminate(): the gateway is not running");
        }
        Process p = process;
        p.destroy(); // SIGTERM on Linux
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            kill9();
            fail("the gateway (pid " + p.pid() + ") did not exit within " + seconds + " s of SIGTERM; its log:\n" + logTail());
        }
        process = null;
        return p.exitValue();
    }

    /** The whole output of every start so far. */
    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the gateway log " + log, e);
        }
    }

    /** The last part of the gateway's output, for failure messages. */
    String logTail() {
        try {
            String text = Files.exists(log) ? Files.readString(log) : "";
            return text.length() > 12000 ? "..." + text.substring(text.length() - 12000) : text;
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        kill9();
    }
}
