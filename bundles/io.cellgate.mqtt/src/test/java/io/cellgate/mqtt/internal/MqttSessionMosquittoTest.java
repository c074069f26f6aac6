package io.cellgate.mqtt.internal;

import static io.cellgate.mqtt.internal.RecordingListener.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import javax.net.ssl.KeyManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cellgate.mqtt.testing.Mosquitto;
import io.cellgate.mqtt.testing.TcpProxy;
import io.cellgate.mqtt.testing.TestCertificates;
import io.cellgate.mqtt.testing.TestCertificates.Issued;

/** The session against a real mosquitto with mutual TLS and an ACL (Debian package mosquitto). */
class MqttSessionMosquittoTest {

    private static final String ACL = """
            user gw1
            topic readwrite spBv1.0/cell/#
            user observer
            topic read #
            topic write marker/#
            """;

    private static Issued ca;
    private static Issued otherCa;
    private static Issued server;
    private static Issued gw1;
    private static Issued observerCert;

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeLater = new ArrayList<>();

    @BeforeAll
    static void certificates() {
        ca = TestCertificates.ca("CellGate test CA");
        otherCa = TestCertificates.ca("Someone else's CA");
        server = TestCertificates.localhostServer(ca);
        gw1 = TestCertificates.client(ca, "gw1");
        observerCert = TestCertificates.client(ca, "observer");
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeLater.size() - 1; i >= 0; i--) {
            closeLater.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T t) {
        closeLater.add(t);
        return t;
    }

    private Mosquitto broker(String... extra) {
        return closing(Mosquitto.tls(dir, ca, server, ACL, extra));
    }

    private static MqttSettings.Builder settings(String clientId, String... urls) {
        return MqttSettings.builder().brokerUrls(urls).clientId(clientId).caFile(Path.of("unused"))
                .keepAlive(Duration.ofSeconds(30)).connectTimeout(Duration.ofSeconds(3))
                .reconnect(Duration.ofMillis(100), Duration.ofMillis(800));
    }

    private MqttSession session(MqttSettings s, Issued trusted, KeyManager[] keys, RecordingListener l) {
        MqttSession session = new MqttSession(s, Tls.socketFactory(List.of(trusted.certificate()), keys, s.tlsProtocols()), l, null);
        l.session = session;
        return closing(session);
    }

    private static Function<ConnectAttempt, Message> will(String prefix) {
        return a -> Message.will("spBv1.0/cell/NDEATH/gw1", (prefix + a.number()).getBytes(StandardCharsets.UTF_8));
    }

    /** An observer subscribed to everything, connected when this returns. */
    private RecordingListener observer(String url) throws InterruptedException {
        RecordingListener l = new RecordingListener(a -> null, "spBv1.0/#", "marker/#");
        session(settings("observer", url).build(), ca, observerCert.keyManagers(), l).start();
        next(l.connected, 10, "observer connection");
        return l;
    }

    private static String awaitMessage(RecordingListener l, String prefix) throws InterruptedException {
        while (true) {
            String m = next(l.messages, 15, "message " + prefix);
            if (m.startsWith(prefix)) {
                return m;
            }
        }
    }

    @Test
    void connect_mutualTls_publishesAndExposesMaximumPacketSize() throws Exception {
        Mosquitto broker = broker("max_packet_size 65536").start();
        RecordingListener obs = observer(broker.sslUrl());
        RecordingListener l = new RecordingListener(will("will-"));
        MqttSession s = session(settings("gw1", broker.sslUrl()).build(), ca, gw1.keyManagers(), l);
        s.start();

        Connection c = next(l.connected, 10, "connection");
        assertThat(c.attempt().serverUri()).isEqualTo(broker.sslUrl());
        assertThat(c.maximumPacketSize()).isEqualTo(65536);
        assertThat(s.maximumPacketSize()).isEqualTo(65536);
        assertThat(l.willsAsked).hasSize(1);

        s.publish("spBv1.0/cell/NDATA/gw1", "hello".getBytes(StandardCharsets.UTF_8), 1, false).get(10, TimeUnit.SECONDS);
        assertThat(awaitMessage(obs, "spBv1.0/cell/NDATA/gw1")).isEqualTo("spBv1.0/cell/NDATA/gw1=hello");

        assertThatThrownBy(() -> s.publish("spBv1.0/cell/NDATA/gw1", new byte[70_000], 1, false).join())
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(MqttPublishException.class)
                .satisfies(e -> assertThat(((MqttPublishException) e).kind()).isEqualTo(MqttPublishException.Kind.TOO_LARGE));
    }

    @Test
    void connect_unknownCa_refusedWithClearError() throws Exception {
        Mosquitto broker = broker().start();
        RecordingListener l = new RecordingListener(will("w"));
        MqttSession s = session(settings("gw1", broker.sslUrl()).build(), otherCa, gw1.keyManagers(), l);
        s.start();

        Throwable e = next(l.failed, 10, "connect failure");
        assertThat(e).hasMessageContaining("not trusted");
        assertThat(s.lastError()).contains("not trusted").contains(broker.sslUrl());
        assertThat(s.isConnected()).isFalse();
        assertThat(l.connected).isEmpty();
    }

    @Test
    void connect_hostnameMismatch_refused() throws Exception {
        Issued wrongName = TestCertificates.server(ca, "broker.invalid", List.of("broker.invalid"), List.of());
        Mosquitto broker = closing(Mosquitto.tls(dir, ca, wrongName, ACL)).start();
        RecordingListener l = new RecordingListener(will("w"));
        MqttSession s = session(settings("gw1", broker.sslUrl()).build(), ca, gw1.keyManagers(), l);
        s.start();

        Throwable e = next(l.failed, 10, "connect failure");
        assertThat(e).hasMessageContaining("does not match the host name");
        assertThat(l.connected).isEmpty();
    }

    @Test
    void connect_noClientCertificate_refused() throws Exception {
        Mosquitto broker = broker().start();
        RecordingListener l = new RecordingListener(will("w"));
        MqttSession s = session(settings("gw1", broker.sslUrl()).build(), ca, null, l);
        s.start();

        Throwable e = next(l.failed, 10, "connect failure");
        assertThat(e.getMessage()).contains("connect to " + broker.sslUrl() + " failed");
        next(l.failed, 10, "second connect failure (retrying)");
        assertThat(l.connected).isEmpty();
        assertThat(s.isConnected()).isFalse();
    }

    @Test
    void publish_deniedByAcl_failsWithNotAuthorized() throws Exception {
        Mosquitto broker = broker().start();
        RecordingListener l = new RecordingListener(will("w"));
        MqttSession s = session(settings("gw1", broker.sslUrl()).build(), ca, gw1.keyManagers(), l);
        s.start();
        next(l.connected, 10, "connection");

        assertThatThrownBy(() -> s.publish("plant/other/topic", new byte[] {1}, 1, false).get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(MqttPublishException.class)
                .satisfies(e -> {
                    MqttPublishException p = (MqttPublishException) e;
                    assertThat(p.kind()).isEqualTo(MqttPublishException.Kind.REFUSED);
                    assertThat(p.reasonCode()).isEqualTo(0x87);
                    assertThat(p).hasMessageContaining("not authorized");
                });
    }

    @Test
    void connect_firstUrlDown_failsOverToSecond() throws Exception {
        Mosquitto broker = broker().start();
        String down = "ssl://localhost:" + Mosquitto.freePort();
        RecordingListener l = new RecordingListener(will("w"));
        MqttSession s = session(settings("gw1", down, broker.sslUrl()).build(), ca, gw1.keyManagers(), l);
        s.start();

        assertThat(next(l.failed, 10, "failure on the first URL")).hasMessageContaining(down);
        Connection c = next(l.connected, 10, "connection");
        assertThat(c.attempt().serverUri()).isEqualTo(broker.sslUrl());
        assertThat(c.attempt().number()).isEqualTo(2);
    }

    @Test
    void connect_brokerStartedLater_connects() throws Exception {
        Mosquitto broker = broker();
        RecordingListener l = new RecordingListener(will("w"));
        MqttSession s = session(settings("gw1", broker.sslUrl()).build(), ca, gw1.keyManagers(), l);
        s.start();
        next(l.failed, 10, "first failure");
        next(l.failed, 10, "second failure");

        broker.start();
        Connection c = next(l.connected, 10, "connection after the broker started");
        assertThat(c.attempt().number()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void brokerRestart_reconnectsAndNewConnectCarriesFreshWill() throws Exception {
        Mosquitto broker = broker().start();
        TcpProxy proxy = closing(new TcpProxy(broker.port()));
        RecordingListener l = new RecordingListener(will("will-"));
        MqttSession s = session(settings("gw1", proxy.sslUrl()).build(), ca, gw1.keyManagers(), l);
        s.start();
        Connection first = next(l.connected, 10, "first connection");

        broker.stop();
        next(l.lost, 10, "connection loss");
        broker.start();
        Connection second = next(l.connected, 15, "reconnection");
        assertThat(second.attempt().number()).isGreaterThan(first.attempt().number());
        assertThat(l.willsAsked).extracting(ConnectAttempt::number).contains(first.attempt().number(), second.attempt().number());

        // The broker holds the Will of the second CONNECT: the link dies, the broker publishes that one.
        RecordingListener obs = observer(broker.sslUrl());
        proxy.kill();
        assertThat(awaitMessage(obs, "spBv1.0/cell/NDEATH/gw1"))
                .isEqualTo("spBv1.0/cell/NDEATH/gw1=will-" + second.attempt().number());
    }

    @Test
    void deadLink_frozenProxy_connectionLostAndWillPublished() throws Exception {
        Mosquitto broker = broker().start();
        RecordingListener obs = observer(broker.sslUrl());
        TcpProxy proxy = closing(new TcpProxy(broker.port()));
        RecordingListener l = new RecordingListener(will("will-"));
        MqttSession s = session(settings("gw1", proxy.sslUrl()).keepAlive(Duration.ofSeconds(2)).build(), ca,
                gw1.keyManagers(), l);
        s.start();
        Connection c = next(l.connected, 10, "connection");

        proxy.freeze();
        // Within 2 x keepalive (4 s) by design; the wait is generous so a loaded CI machine doesn't fail it.
        Throwable lost = next(l.lost, 15, "detection of the dead link");
        assertThat(lost).hasMessageContaining("lost");
        assertThat(awaitMessage(obs, "spBv1.0/cell/NDEATH/gw1"))
                .isEqualTo("spBv1.0/cell/NDEATH/gw1=will-" + c.attempt().number());
    }

    @Test
    void stop_withFinalMessage_publishesItBeforeDisconnect_andNoWill() throws Exception {
        Mosquitto broker = broker().start();
        RecordingListener obs = observer(broker.sslUrl());
        RecordingListener l = new RecordingListener(will("will-"));
        MqttSession s = session(settings("gw1", broker.sslUrl()).build(), ca, gw1.keyManagers(), l);
        s.start();
        next(l.connected, 10, "connection");

        s.stop(Message.will("spBv1.0/cell/NDEATH/gw1", "final".getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(5))
                .get(10, TimeUnit.SECONDS);
        assertThat(s.isConnected()).isFalse();

        // A marker published after the DISCONNECT: a Will would have been published before it.
        observerSession(obs).publish("marker/done", "m".getBytes(StandardCharsets.UTF_8), 1, false).get(10, TimeUnit.SECONDS);
        List<String> seen = new ArrayList<>();
        String m;
        do {
            m = next(obs.messages, 10, "marker");
            seen.add(m);
        } while (!m.startsWith("marker/"));
        assertThat(seen).containsExactly("spBv1.0/cell/NDEATH/gw1=final", "marker/done=m");
        assertThat(l.lost).isEmpty();
    }

    private static MqttSession observerSession(RecordingListener obs) {
        return obs.session;
    }
}
