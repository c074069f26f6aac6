package io.cellgate.driver.modbus.itest;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * The external tools these tests need. Missing tools fail the run when {@code CI=true} (a CI image
 * without them must not pass silently) and skip it locally with the reason.
 */
final class Env {

    /** Debian's python3-pymodbus is importable only from the system interpreter, not the PATH one. */
    static final String PYTHON = "/usr/bin/python3";
    static final Path SCRIPTS = Path.of("src/test/python").toAbsolutePath();

    private Env() {
    }

    static void requirePymodbus() {
        require(runs(PYTHON, "-c", "import pymodbus, serial_asyncio"),
                PYTHON + " cannot import pymodbus: install the Debian package python3-pymodbus");
    }

    static void requireSocat() {
        require(runs("socat", "-V"), "socat is missing: install the Debian package socat");
    }

    static Path script(String name) {
        Path script = SCRIPTS.resolve(name);
        if (!Files.isRegularFile(script)) {
            fail("test script not found: " + script + " (run the tests from the module directory)");
        }
        return script;
    }

    private static void require(boolean present, String message) {
        if (present) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message);
        }
        Assumptions.abort(message + " (skipped locally; fails when CI=true)");
    }

    private static boolean runs(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
