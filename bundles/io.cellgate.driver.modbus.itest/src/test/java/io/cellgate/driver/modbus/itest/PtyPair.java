package io.cellgate.driver.modbus.itest;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A null-modem cable made of two pseudo terminals joined by socat: the device serves one end, the
 * driver opens the other. Ready once socat logs that it transfers data (not after a sleep).
 */
final class PtyPair implements AutoCloseable {

    private final Process socat;
    private final Path deviceEnd;
    private final Path driverEnd;
    private final StringBuilder log = new StringBuilder();

    PtyPair(Path directory) {
        deviceEnd = directory.resolve("dev-a");
        driverEnd = directory.resolve("dev-b");
        try {
            socat = new ProcessBuilder("socat", "-d", "-d",
                    "pty,raw,echo=0,link=" + deviceEnd, "pty,raw,echo=0,link=" + driverEnd).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start socat", e);
        }
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> drain(lines), "socat stderr");
        reader.setDaemon(true);
        reader.start();
        try {
            for (String line = lines.poll(15, TimeUnit.SECONDS); ; line = lines.poll(15, TimeUnit.SECONDS)) {
                if (line == null || line.isEmpty()) {
                    close();
                    fail("socat did not start its pty pair; it said:\n" + log);
                }
                if (line.contains("starting data transfer loop")) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!Files.exists(deviceEnd) || !Files.exists(driverEnd)) {
            close();
            fail("socat reported ready but its links are missing: " + deviceEnd + ", " + driverEnd);
        }
    }

    private void drain(BlockingQueue<String> lines) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(socat.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                synchronized (log) {
                    log.append(line).append('\n');
                }
                lines.add(line);
            }
        } catch (IOException e) {
            // socat ended
        }
        lines.add("");
    }

    /** The end a device script serves. */
    Path deviceEnd() {
        return deviceEnd;
    }

    /** The end the driver opens, resolved to its /dev/pts/N (serial libraries may not follow links). */
    String driverPort() {
        try {
            return driverEnd.toRealPath().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        socat.destroyForcibly();
        try {
            socat.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
