package io.cellgate.driver.modbus.itest;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A device script run by {@link Env#PYTHON}: started, awaited until it prints {@code READY}, then driven
 * by one-line commands on stdin answered by one line on stdout. Its stderr goes to a log file that
 * failure messages quote.
 */
final class PythonDevice implements AutoCloseable {

    private static final String EOF = "\u0000EOF";
    private static final long READY_SECONDS = 20;
    private static final long REPLY_SECONDS = 10;

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path log;
    private final Path specFile;
    private final int port;

    private PythonDevice(Process process, Path log, Path specFile, int port) {
        this.process = process;
        this.log = log;
        this.specFile = specFile;
        this.port = port;
        this.stdin = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readStdout, "stdout of " + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** pymodbus serving {@code spec} over Modbus TCP on a free loopback port (retried on a port conflict). */
    static PythonDevice tcp(DeviceSpec spec) {
        return onFreePort(port -> tcp(spec, port));
    }

    /** pymodbus serving {@code spec} over Modbus TCP on {@code port}. */
    static PythonDevice tcp(DeviceSpec spec, int port) {
        return start("modbus_device.py", spec, port, "--tcp", Integer.toString(port));
    }

    /** pymodbus serving {@code spec} as RTU frames on a TCP socket, on a free loopback port. */
    static PythonDevice rtuOverTcp(DeviceSpec spec) {
        return onFreePort(port -> rtuOverTcp(spec, port));
    }

    /** pymodbus serving {@code spec} as RTU frames (no MBAP header) on a TCP socket on {@code port}. */
    static PythonDevice rtuOverTcp(DeviceSpec spec, int port) {
        return start("modbus_device.py", spec, port, "--rtu-over-tcp", Integer.toString(port));
    }

    /** A script that binds a loopback port it is given: {@code start} is retried on a port conflict. */
    static PythonDevice onFreePort(java.util.function.IntFunction<PythonDevice> start) {
        AssertionError last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return start.apply(FreePorts.next());
            } catch (AssertionError e) {
                last = e; // most likely another process took the port between probe and bind
            }
        }
        throw last;
    }

    /** pymodbus serving {@code spec} over Modbus RTU on a serial device (one end of a pty pair). */
    static PythonDevice rtu(DeviceSpec spec, Path tty, char parity) {
        return start("modbus_device.py", spec, 0, "--rtu", tty.toString(), "--parity", String.valueOf(parity));
    }

    /** Another script of the test module, with its own arguments. */
    static PythonDevice script(String script, String... args) {
        return start(script, null, 0, args);
    }

    /** Another script of the test module that serves on loopback {@code port} (passed as {@code --tcp}). */
    static PythonDevice scriptOnPort(String script, int port, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add("--tcp");
        all.add(Integer.toString(port));
        return start(script, null, port, all.toArray(String[]::new));
    }

    private static PythonDevice start(String script, DeviceSpec spec, int port, String... args) {
        try {
            List<String> command = new ArrayList<>(List.of(Env.PYTHON, "-u", Env.script(script).toString()));
            Path specFile = null;
            if (spec != null) {
                specFile = Files.createTempFile("modbus-spec", ".json");
                Files.writeString(specFile, spec.toJson());
                command.add("--spec");
                command.add(specFile.toString());
            }
            command.addAll(Arrays.asList(args));
            if (spec != null && System.getenv("MODBUS_DEVICE_DEBUG") != null) {
                command.add("--debug"); // pymodbus' frame-level log, for diagnosing a failure
            }
            // Kept after the test (target/device-logs) so a failure can be diagnosed from the device's side.
            Path logs = Files.createDirectories(Path.of("target", "device-logs"));
            Path log = Files.createTempFile(logs, script.replace(".py", "-"), ".log");
            Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
            PythonDevice device = new PythonDevice(process, log, specFile, port);
            device.awaitReady();
            return device;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + script, e);
        }
    }

    private void readStdout() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the process went away; EOF below tells the waiting side
        }
        lines.add(EOF);
    }

    private void awaitReady() {
        String line = next(READY_SECONDS);
        if (!"READY".equals(line)) {
            kill();
            fail("device script did not become ready (got " + printable(line) + "); its log:\n" + logTail());
        }
    }

    int port() {
        return port;
    }

    /** Sends a command and returns its reply line. */
    synchronized String command(String line) {
        try {
            stdin.write(line + "\n");
            stdin.flush();
        } catch (IOException e) {
            fail("device script is gone (" + e.getMessage() + "); its log:\n" + logTail());
        }
        String reply = next(REPLY_SECONDS);
        if (reply == null || reply == EOF || reply.startsWith("ERROR")) {
            fail("device script answered " + printable(reply) + " to '" + line + "'; its log:\n" + logTail());
        }
        return reply;
    }

    /** Requests the device executed so far (all units; requests it dropped are not counted). */
    long requests() {
        return Long.parseLong(command("COUNT").split(" ")[1]);
    }

    /** Requests executed so far by function code (modbus_device.py only). */
    java.util.Map<Integer, Long> requestsByFunction() {
        java.util.Map<Integer, Long> counts = new java.util.HashMap<>();
        String[] parts = command("COUNT").split(" ");
        for (int i = 2; i < parts.length; i++) {
            String[] fc = parts[i].split(":");
            counts.put(Integer.parseInt(fc[0]), Long.parseLong(fc[1]));
        }
        return counts;
    }

    /** Raw registers (or 0/1 bits) of the device's data store. */
    List<Integer> values(int unit, String area, int address, int count) {
        String reply = command("GET " + unit + " " + area + " " + address + " " + count);
        List<Integer> values = new ArrayList<>();
        for (String v : reply.substring("VALUES".length()).trim().split(" ")) {
            values.add(Integer.parseInt(v));
        }
        return values;
    }

    /** A value decoded by the script (Python repr: e.g. {@code 1.5}, {@code -7}, {@code 'abc'}). */
    String typed(int unit, String area, int address, String type, String byteOrder, String wordOrder, int length) {
        return command("GETTYPED " + unit + " " + area + " " + address + " " + type + " " + byteOrder + " "
                + wordOrder + " " + length).substring("VALUE ".length());
    }

    /** Kills the process at once (a device losing power) and waits until it is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                fail("device process " + process.pid() + " did not die");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String logTail() {
        try {
            String text = Files.readString(log);
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private String next(long seconds) {
        try {
            return lines.poll(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String printable(String line) {
        return line == null ? "nothing in time" : line == EOF ? "end of output (process exited)" : "'" + line + "'";
    }

    @Override
    public void close() {
        kill();
        try {
            if (specFile != null) {
                Files.deleteIfExists(specFile);
            }
        } catch (IOException e) {
            // temp files only
        }
    }
}
