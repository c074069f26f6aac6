package io.cellgate.mqtt.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real mosquitto broker for tests, started as a child process of the test JVM: one listener on
 * 127.0.0.1 and an ephemeral port, TLS with client certificates required
 * ({@code require_certificate true}), the certificate's CN as user name, an ACL file,
 * {@code allow_anonymous false}, persistence off. It installs nothing: the machine needs Debian's
 * {@code mosquitto} package ({@code /usr/sbin/mosquitto}).
 * <p>
 * {@link #stop()} and {@link #start()} again keep the port, to simulate a broker outage. The files
 * (mosquitto.conf, acl, certificates, mosquitto.log) stay in the directory given.
 * <pre>
 * var ca = TestCertificates.ca("test CA");
 * try (Mosquitto broker = Mosquitto.tls(dir, ca, TestCertificates.localhostServer(ca), "user gw\ntopic readwrite #\n")) {
 *     broker.start();
 *     ... connect to broker.sslUrl() with a client certificate issued by ca ...
 * }
 * </pre>
 */
public final class Mosquitto implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final Path dir;
    private final int port;
    private Process process;

    private Mosquitto(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** True when Debian's mosquitto is installed. */
    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Writes the configuration for a TLS broker (not started yet).
     *
     * @param dir    a fresh directory (a JUnit {@code @TempDir})
     * @param ca     the CA that issued the server and the client certificates
     * @param server the broker's certificate
     * @param acl    mosquitto ACL text ({@code user <cn>} / {@code topic read|write|readwrite <filter>} lines)
     * @param extra  more mosquitto.conf lines (e.g. {@code max_packet_size 65536}), may be empty
     */
    public static Mosquitto tls(Path dir, TestCertificates.Issued ca, TestCertificates.Issued server, String acl,
            String... extra) {
        if (!installed()) {
            throw new IllegalStateException(BINARY + " is missing: install the Debian package 'mosquitto' "
                    + "(apt-get install -y mosquitto mosquitto-clients)");
        }
        int port = freePort();
        TestCertificates.write(dir.resolve("ca.crt"), TestCertificates.pem(ca.certificate()));
        server.writePem(dir, "server");
        TestCertificates.write(dir.resolve("acl"), acl);
        StringBuilder conf = new StringBuilder()
                .append("per_listener_settings false\n")
                .append("persistence false\n")
                .append("allow_anonymous false\n")
                .append("acl_file ").append(dir.resolve("acl")).append('\n')
                .append("log_dest stdout\n")
                .append("log_type error\nlog_type warning\nlog_type notice\nlog_type information\n")
                .append("connection_messages true\n")
                .append("listener ").append(port).append(" 127.0.0.1\n")
                .append("cafile ").append(dir.resolve("ca.crt")).append('\n')
                .append("certfile ").append(dir.resolve("server.crt")).append('\n')
                .append("keyfile ").append(dir.resolve("server.key")).append('\n')
                .append("require_certificate true\n")
                .append("use_identity_as_username true\n");
        // As root, mosquitto drops to user 'mosquitto', which could not read the key in a private temp dir.
        if ("root".equals(System.getProperty("user.name"))) {
            conf.append("user root\n");
        }
        for (String line : extra) {
            conf.append(line).append('\n');
        }
        TestCertificates.write(dir.resolve("mosquitto.conf"), conf.toString());
        return new Mosquitto(dir, port);
    }

    public int port() {
        return port;
    }

    /** {@code ssl://localhost:<port>} (the server certificate names localhost). */
    public String sslUrl() {
        return "ssl://localhost:" + port;
    }

    public Path directory() {
        return dir;
    }

    /** Starts mosquitto and waits until it accepts TCP connections (at most 10 s). */
    public synchronized Mosquitto start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        try {
            Path log = dir.resolve("mosquitto.log");
            process = new ProcessBuilder(BINARY.toString(), "-c", dir.resolve("mosquitto.conf").toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("mosquitto exited with " + process.exitValue() + ": " + log());
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return this;
                } catch (IOException notYet) {
                    Thread.sleep(20);
                }
            }
            throw new IllegalStateException("mosquitto did not listen on 127.0.0.1:" + port + " within 10 s: " + log());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops mosquitto (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** The broker's log so far (for failure messages). */
    public String log() {
        try {
            Path log = dir.resolve("mosquitto.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** A port free at the moment on 127.0.0.1 (the OS picks it). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
