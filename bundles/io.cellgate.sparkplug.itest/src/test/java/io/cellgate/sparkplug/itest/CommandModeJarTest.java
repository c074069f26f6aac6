package io.cellgate.sparkplug.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real executable in command mode (process level): runs {@code distrib/target/cellgate.jar} (or the jar named
 * by {@code -Dcellgate.jar=...}). It lives in this module, which the reactor builds after distrib, so it runs in
 * every full build (in the runtime module it was always skipped: the jar did not exist yet). While a command waits
 * for its password, the process must listen on no port.
 */
class CommandModeJarTest {

    @TempDir
    Path state;

    private static Path jar() throws IOException {
        Path jar = Path.of(System.getProperty("cellgate.jar", "../../distrib/target/cellgate.jar"));
        assumeTrue(Files.isRegularFile(jar), "no " + jar + " built");
        assumeTrue(hasCommandMode(jar), jar + " predates command mode");
        return jar;
    }

    private static boolean hasCommandMode(Path jar) throws IOException {
        try (ZipInputStream outer = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry e; (e = outer.getNextEntry()) != null;) {
                if (e.getName().startsWith("jar/runtime-")) {
                    ZipInputStream inner = new ZipInputStream(outer);
                    for (ZipEntry i; (i = inner.getNextEntry()) != null;) {
                        if (i.getName().endsWith("internal/CommandDispatcher.class")) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    private Process start(Path jar, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-XX:+UseSerialGC", "-Dcellgate.log.dir=" + state.resolve("logs"), "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectOutput(state.resolve("out.txt").toFile()).start();
    }

    private int finish(Process p) throws InterruptedException {
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("command ended").isTrue();
        return p.exitValue();
    }

    private String out() throws IOException {
        return Files.readString(state.resolve("out.txt"));
    }

    @Test
    void userAdd_waitingForPassword_noPortBoundThenExit0() throws Exception {
        Path jar = jar();
        Process p = start(jar, "user", "add", "otto", "--roles", "Observer", "--state", state.toString());
        // The prompt (on stderr, standard input is not a terminal) means the framework is up and the command runs.
        InputStream err = p.getErrorStream();
        StringBuilder seen = new StringBuilder();
        for (int c; !seen.toString().contains("New password for 'otto'") && (c = err.read()) >= 0;) {
            seen.append((char) c);
        }
        assertThat(seen.toString()).contains("New password for 'otto'");
        assertThat(listeningSockets(p.pid())).as("listening sockets of the command process").isEmpty();

        try (OutputStream in = p.getOutputStream()) {
            in.write("blue-tractor-on-the-hill\n".getBytes(StandardCharsets.UTF_8));
        }
        err.transferTo(OutputStream.nullOutputStream());
        assertThat(finish(p)).isZero();
        assertThat(out()).contains("user 'otto' created");
        assertThat(state.resolve("config/last-good")).doesNotExist();

        assertThat(finish(start(jar, "user", "list", "--state", state.toString()))).isZero();
        assertThat(out()).contains("otto").doesNotContain("admin");
    }

    @Test
    void pki_listAndUsageError_exitStatus() throws Exception {
        Path jar = jar();
        assertThat(finish(start(jar, "pki", "list", "--state", state.toString()))).isZero();
        assertThat(out()).contains("no certificates in")
                .as("standard output carries the result only; log lines go to standard error")
                .doesNotContainPattern("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (INFO|WARN|ERROR)");
        assertThat(finish(start(jar, "pki", "frobnicate", "--state", state.toString()))).isEqualTo(2);
        assertThat(finish(start(jar, "pki", "list", "--state", state.resolve("missing").toString()))).isEqualTo(1);
    }

    /** Sockets in LISTEN state (TCP) among the process's file descriptors, from /proc. */
    private static Set<String> listeningSockets(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        Set<String> listening = new HashSet<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc", Long.toString(pid), "net", table);
            if (!Files.exists(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])) {
                    listening.add(table + " " + f[1]);
                }
            }
        }
        return listening;
    }
}
