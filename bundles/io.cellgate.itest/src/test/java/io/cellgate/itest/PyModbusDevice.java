package io.cellgate.itest;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A Modbus TCP device served by Debian's pymodbus ({@code modbus_device.py}, a resource of this test
 * bundle) on a free loopback port: holding registers of unit 1, read and set by the test over the
 * script's stdin/stdout, so the test asks the device itself, not the gateway, what a register holds.
 */
final class PyModbusDevice implements AutoCloseable {

    /** Debian's python3-pymodbus is importable only from the system interpreter, not the PATH one. */
    static final String PYTHON = "/usr/bin/python3";
    private static final String EOF = "\u0000EOF";

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path log;
    private final int port;

    private PyModbusDevice(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readStdout, "pymodbus stdout " + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Fails the run when pymodbus is missing and {@code CI=true} (a CI image without it must not pass
     * silently); skips locally with the reason.
     */
    static void requirePymodbus() {
        String message = PYTHON + " cannot import pymodbus: install the Debian package python3-pymodbus";
        if (runs(PYTHON, "-c", "import pymodbus.server.async_io")) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message);
        }
        Assumptions.abort(message + " (skipped locally; fails when CI=true)");
    }

    /** Starts the device with the given holding registers (address → value); retried on a port conflict. */
    static PyModbusDevice start(Map<Integer, Integer> registers) throws IOException {
        Path dir = Files.createTempDirectory("pymodbus");
        Path script = dir.resolve("modbus_device.py");
        try (InputStream in = PyModbusDevice.class.getResourceAsStream("modbus_device.py")) {
            if (in == null) {
                fail("modbus_device.py is not in the test bundle");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        AssertionError last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            List<String> command = new ArrayList<>(List.of(PYTHON, "-u", script.toString(), Integer.toString(port)));
            registers.forEach((a, v) -> command.add(a + "=" + v));
            Path log = dir.resolve("device-" + port + ".log");
            PyModbusDevice device = new PyModbusDevice(new ProcessBuilder(command).redirectError(log.toFile()).start(),
                    log, port);
            try {
                device.awaitReady();
                return device;
            } catch (AssertionError e) {
                last = e; // most likely another process took the port between probe and bind
            }
        }
        throw last;
    }

    int port() {
        return port;
    }

    /** The holding register at {@code address}, asked of the device. */
    int register(int address) {
        return Integer.parseInt(command("GET " + address).substring("VALUE ".length()));
    }

    /** Sets a holding register in the device's data store (as if the machine changed it). */
    void set(int address, int value) {
        command("SET " + address + " " + value);
    }

    /** From now on, reads of holding registers answer this Modbus exception code (0: answer normally again). */
    void fault(int exceptionCode) {
        command("FAULT " + exceptionCode);
    }

    /** From now on, every answer is held back this many milliseconds (0: at once). */
    void delay(int millis) {
        command("DELAY " + millis);
    }

    /** Modbus write requests (function codes 5, 6, 15, 16) the device has executed. */
    long writeRequests() {
        return Long.parseLong(command("COUNT").substring("COUNT ".length()));
    }

    private synchronized String command(String line) {
        try {
            stdin.write(line + "\n");
            stdin.flush();
        } catch (IOException e) {
            fail("device script is gone (" + e.getMessage() + "); its log:\n" + logText());
        }
        String reply = next(10);
        if (reply == null || reply == EOF || reply.startsWith("ERROR")) {
            fail("device script answered " + reply + " to '" + line + "'; its log:\n" + logText());
        }
        return reply;
    }

    private void awaitReady() {
        String line = next(20);
        if (!"READY".equals(line)) {
            process.destroyForcibly();
            throw new AssertionError("pymodbus device did not become ready (got " + line + "); its log:\n" + logText());
        }
    }

    private void readStdout() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the process went away; EOF tells the waiting side
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

    private String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
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
