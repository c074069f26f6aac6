package io.cellgate.sparkplug.itest;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code counter_device.py}: a pymodbus (Debian's python3-pymodbus, run by {@code /usr/bin/python3}) Modbus TCP
 * server on 127.0.0.1 whose holding register 0 of unit 1 the test sets, and which counts the requests it served
 * (proof that a gateway polls it while the broker cannot tell).
 */
final class CounterDevice implements AutoCloseable {

    static final String PYTHON = "/usr/bin/python3";
    static final Path SCRIPT = Path.of("src/test/python/counter_device.py").toAbsolutePath();

    private static final String EOF = "\u0000EOF";

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path log;
    private final int port;

    private CounterDevice(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readStdout, "counter-device-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the device on {@code port} (loopback) and waits until it serves; its stderr goes to {@code log}. */
    static CounterDevice start(int port, Path log) {
        return start(java.util.List.of(), "127.0.0.1", port, log);
    }

    /**
     * Starts the device on {@code host:port} with the command prefixed by {@code prefix} (e.g. {@code ip netns exec
     * NS}, which execs it: the process is the device's) and waits until it serves.
     */
    static CounterDevice start(java.util.List<String> prefix, String host, int port, Path log) {
        if (!Files.isRegularFile(SCRIPT)) {
            fail("device script not found: " + SCRIPT + " (run the tests from the module directory)");
        }
        try {
            java.util.List<String> command = new java.util.ArrayList<>(prefix);
            command.addAll(java.util.List.of(PYTHON, "-u", SCRIPT.toString(), "--port", Integer.toString(port),
                    "--host", host));
            Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
            CounterDevice device = new CounterDevice(process, log, port);
            String ready = device.next(20);
            if (!"READY".equals(ready)) {
                device.close();
                fail("counter_device.py did not become ready (got " + ready + "); is python3-pymodbus installed? log:\n"
                        + device.logText());
            }
            return device;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + SCRIPT, e);
        }
    }

    int port() {
        return port;
    }

    /** Holding register 0 := value. */
    void set(int value) {
        command("SET " + value);
    }

    /** Holding register {@code address} := value. */
    void set(int address, int value) {
        command("SET " + value + " " + address);
    }

    /** Holding register {@code address}. */
    int get(int address) {
        return Integer.parseInt(command("GET " + address).substring("VALUE ".length()));
    }

    /** Requests served so far. */
    long requests() {
        return Long.parseLong(command("COUNT").substring("COUNT ".length()));
    }

    private synchronized String command(String line) {
        try {
            stdin.write(line + "\n");
            stdin.flush();
        } catch (IOException e) {
            fail("counter_device.py is gone (" + e.getMessage() + "); log:\n" + logText());
        }
        String reply = next(10);
        if (reply == null || reply == EOF || reply.startsWith("ERROR")) {
            fail("counter_device.py answered " + reply + " to '" + line + "'; log:\n" + logText());
        }
        return reply;
    }

    private void readStdout() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the process went away: EOF below tells the waiting side
        }
        lines.add(EOF);
    }

    private String next(long seconds) {
        try {
            return lines.poll(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
