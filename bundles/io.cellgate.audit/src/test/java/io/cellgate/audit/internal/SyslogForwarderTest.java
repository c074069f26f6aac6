package io.cellgate.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cellgate.api.audit.AuditFilter;
import io.cellgate.api.audit.AuditRecord;
import io.cellgate.api.audit.AuditSummary;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forwarding to a real SIEM receiver: Debian's rsyslog with rsyslog-gnutls (imtcp, StreamDriver gtls, octet-counted
 * framing), started on a loopback port with a CA and server certificate made by openssl. rsyslog writes each
 * message it parsed as one line: every line must be exactly the message built for that record, so a framing error
 * (a length off by one, a message split or merged) fails the test.
 */
class SyslogForwarderTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;
    private Path state;
    private Path rs;
    private int port;
    private Process rsyslog;

    @BeforeEach
    void startReceiver() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/rsyslogd")) && Files.isExecutable(Path.of("/usr/bin/openssl"))
                && Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so")),
                "rsyslog, rsyslog-gnutls and openssl are installed (.ci/run installs them)");
        state = Files.createDirectories(tmp.resolve("state"));
        rs = Files.createDirectories(tmp.resolve("rsyslog"));
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                "-subj", "/CN=audit test CA");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj",
                "/CN=localhost");
        Files.writeString(rs.resolve("ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
                "server.pem", "-days", "2", "-extfile", "ext");
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        writeRsyslogConf("anon");
        startRsyslog();
    }

    private void writeRsyslogConf(String authMode) throws IOException {
        Files.writeString(rs.resolve("rsyslog.conf"), """
                global(workDirectory="%1$s" DefaultNetstreamDriver="gtls" DefaultNetstreamDriverCAFile="%1$s/ca.pem"
                       DefaultNetstreamDriverCertFile="%1$s/server.pem" DefaultNetstreamDriverKeyFile="%1$s/server.key")
                module(load="imtcp" StreamDriver.Name="gtls" StreamDriver.Mode="1" StreamDriver.AuthMode="%3$s")
                input(type="imtcp" port="%2$d" address="127.0.0.1")
                template(name="raw" type="string" string="%%rawmsg%%\\n")
                action(type="omfile" file="%1$s/received.log" template="raw")
                """.formatted(rs, port, authMode));
    }

    @AfterEach
    void stopReceiver() {
        if (rsyslog != null) {
            rsyslog.destroy();
        }
    }

    @Test
    void record_forwardedAsRfc5424OverTls_outageAndRestartResumeWithoutLossOrRepeat() throws Exception {
        HashChainAuditSink sink = new HashChainAuditSink(HashChainAuditSinkTest.config(state.toString(), 0,
                "127.0.0.1", port, rs.resolve("ca.pem").toString()));
        try {
            // more than the queue (4): the forwarder reads the rest from the trail
            for (int i = 1; i <= 10; i++) {
                assertThat(sink.record(Trails.event(i))).isTrue();
            }
            awaitReceived(sink, 10);
            assertThat(sink.summary().forwarder()).isEqualTo(AuditSummary.FORWARD_CONNECTED);

            rsyslog.destroy();
            assertThat(rsyslog.waitFor(10, TimeUnit.SECONDS)).isTrue();
            await(() -> AuditSummary.FORWARD_DISCONNECTED.equals(sink.summary().forwarder()));
            for (int i = 11; i <= 15; i++) {
                assertThat(sink.record(Trails.event(i))).as("writes never wait for the SIEM").isTrue();
            }
            assertThat(sink.summary().forwardLag()).isEqualTo(5);

            startRsyslog();
            awaitReceived(sink, 15);
            assertThat(sink.summary().forwardLag()).isZero();
        } finally {
            sink.deactivate();
        }
        // a restart of the gateway continues after the last forwarded seq
        HashChainAuditSink again = new HashChainAuditSink(HashChainAuditSinkTest.config(state.toString(), 0,
                "127.0.0.1", port, rs.resolve("ca.pem").toString()));
        try {
            assertThat(again.record(Trails.event(16))).isTrue();
            awaitReceived(again, 16);
        } finally {
            again.deactivate();
        }
    }

    @Test
    void forwarder_untrustedReceiver_notConnectedAndLagged() throws Exception {
        Path otherCa = rs.resolve("other-ca.pem");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other.key", "-out", "other-ca.pem", "-days",
                "2", "-subj", "/CN=another CA");
        HashChainAuditSink sink = new HashChainAuditSink(HashChainAuditSinkTest.config(state.toString(), 0,
                "127.0.0.1", port, otherCa.toString()));
        try {
            assertThat(sink.record(Trails.event(1))).isTrue();
            await(() -> sink.summary().lastError() != null);
            AuditSummary s = sink.summary();
            assertThat(s.forwarder()).isEqualTo(AuditSummary.FORWARD_DISCONNECTED);
            assertThat(s.forwardLag()).isEqualTo(1);
            assertThat(s.lastError()).contains("127.0.0.1:" + port);
            assertThat(received()).isEmpty();
        } finally {
            sink.deactivate();
        }
    }

    @Test
    void forwarder_receiverRequiresClientCertificate_acceptedWithTheKeyStoreOnly() throws Exception {
        rsyslog.destroy();
        assertThat(rsyslog.waitFor(10, TimeUnit.SECONDS)).isTrue();
        writeRsyslogConf("x509/certvalid");
        startRsyslog();
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "client.key", "-out", "client.csr", "-subj", "/CN=gw-1");
        openssl("x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
                "client.pem", "-days", "2");
        openssl("pkcs12", "-export", "-in", "client.pem", "-inkey", "client.key", "-out", "client.p12", "-passout",
                "pass:blue tractor");
        Files.writeString(rs.resolve("client.pass"), "blue tractor\n");

        Path withoutState = Files.createDirectories(tmp.resolve("without"));
        HashChainAuditSink without = new HashChainAuditSink(HashChainAuditSinkTest.config(withoutState.toString(), 0,
                "127.0.0.1", port, rs.resolve("ca.pem").toString()));
        try {
            assertThat(without.record(Trails.event(1))).isTrue();
            await(() -> without.summary().lastError() != null);
            assertThat(without.summary().forwarder()).isEqualTo(AuditSummary.FORWARD_DISCONNECTED);
        } finally {
            without.deactivate();
        }
        assertThat(received()).as("refused without a client certificate").isEmpty();

        HashChainAuditSink sink = new HashChainAuditSink(HashChainAuditSinkTest.config(state.toString(), 0,
                "127.0.0.1", port, rs.resolve("ca.pem").toString(), rs.resolve("client.p12").toString(),
                rs.resolve("client.pass").toString()));
        try {
            assertThat(sink.record(Trails.event(1))).isTrue();
            assertThat(sink.record(Trails.event(2))).isTrue();
            awaitReceived(sink, 2);
        } finally {
            sink.deactivate();
        }
    }

    /** Waits until the receiver holds exactly the records 1..n, each line the message built for that record. */
    private void awaitReceived(HashChainAuditSink sink, int n) throws Exception {
        await(() -> received().size() >= n);
        List<AuditRecord> records = sink.query(AuditFilter.all(1000)).records();
        assertThat(records).hasSize(n);
        List<String> expected = records.stream().map(r -> Syslog5424.message(r, "gw-test", "cellgate@32473"))
                .collect(Collectors.toList());
        assertThat(received()).containsExactlyElementsOf(expected);
        await(() -> sink.summary().forwardedSeq() == n);
    }

    private List<String> received() {
        try {
            Path f = rs.resolve("received.log");
            return Files.exists(f) ? Files.readAllLines(f) : List.of();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void startRsyslog() throws Exception {
        rsyslog = new ProcessBuilder("/usr/sbin/rsyslogd", "-n", "-f", rs.resolve("rsyslog.conf").toString(), "-i",
                rs.resolve("pid").toString()).redirectErrorStream(true).redirectOutput(rs.resolve("rsyslogd.out").toFile())
                .start();
        await(() -> {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private void openssl(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "/usr/bin/openssl";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).directory(rs.toFile()).redirectErrorStream(true)
                .redirectOutput(rs.resolve("openssl.out").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(rs.resolve("openssl.out"))).isZero();
    }

    /** Waits for a state, not for a time: the bound only keeps a broken build from hanging. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within " + WAIT).isLessThan(end);
            Thread.sleep(50);
        }
    }
}
