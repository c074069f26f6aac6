package io.cellgate.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.health.GatewayHealth;
import io.cellgate.api.health.HealthAlarm;
import io.cellgate.api.health.HealthMetric;
import io.cellgate.api.health.MetricKind;
import io.cellgate.api.health.MetricType;
import io.cellgate.api.health.SecurityEvent;
import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.api.write.WriteRequest;
import io.cellgate.api.write.WriteResult;
import io.cellgate.mqtt.internal.HostApp.Received;
import io.cellgate.mqtt.testing.Mosquitto;
import io.cellgate.mqtt.testing.TcpProxy;
import io.cellgate.mqtt.testing.TestCertificates;
import io.cellgate.mqtt.testing.TestCertificates.Issued;
import io.cellgate.sparkplug.BdSeqFile;
import io.cellgate.sparkplug.HostState;
import io.cellgate.sparkplug.proto.SparkplugB;
import io.cellgate.sparkplug.proto.SparkplugB.Payload;
import io.cellgate.sparkplug.proto.SparkplugB.Payload.Metric;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge node against a real mosquitto (mutual TLS, an ACL confining gw1 to its group), with a fake tag bus,
 * write service and audit sink, and a test host application that decodes the payloads with the generated classes.
 */
class EdgeNodeMosquittoTest {

    private static final String ACL = """
            user gw1
            topic readwrite spBv1.0/plant/#
            topic read spBv1.0/STATE/#
            topic write cellgate/#
            user host
            topic readwrite #
            """;
    private static final TagPath POWER = new TagPath("press1", "power");
    private static final TagPath SETPOINT = new TagPath("press1", "setpoint");

    private static Issued ca;
    private static Issued server;
    private static Issued gw1;
    private static Issued hostCert;

    @TempDir
    Path brokerDir;
    @TempDir
    Path state;

    private final List<AutoCloseable> closeLater = new ArrayList<>();
    private final List<EdgeNode> nodes = new ArrayList<>();
    private final FakeBus bus = new FakeBus();
    private final List<WriteRequest> writeRequests = new CopyOnWriteArrayList<>();
    private final List<AuditEvent> audited = new CopyOnWriteArrayList<>();
    private volatile WriteResult.Status writeOutcome = WriteResult.Status.OK;
    private final AtomicReference<GatewayHealth> gatewayHealth = new AtomicReference<>();
    private Mosquitto broker;
    private HostApp host;

    @BeforeAll
    static void certificates() {
        ca = TestCertificates.ca("CellGate test CA");
        server = TestCertificates.localhostServer(ca);
        gw1 = TestCertificates.client(ca, "gw1");
        hostCert = TestCertificates.client(ca, "host");
    }

    @BeforeEach
    void setUp() throws Exception {
        bus.with(FakeBus.tag("press1", "power", DataType.FLOAT64, false), TagValue.good(1.0, Instant.ofEpochMilli(1_000)))
                .with(FakeBus.tag("press1", "setpoint", DataType.INT32, true), TagValue.good(5, Instant.ofEpochMilli(1_000)));
        broker = closing(Mosquitto.tls(brokerDir, ca, server, ACL));
        broker.start();
        host = hostApp(broker.sslUrl());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (EdgeNode n : nodes) {
            n.stop(Duration.ofSeconds(2));
        }
        for (int i = closeLater.size() - 1; i >= 0; i--) {
            closeLater.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T t) {
        closeLater.add(t);
        return t;
    }

    private HostApp hostApp(String url) throws InterruptedException {
        HostApp h = new HostApp("spBv1.0/#", "cellgate/#");
        MqttSettings s = MqttSettings.builder().brokerUrls(url).clientId("host").caFile(Path.of("unused"))
                .keepAlive(Duration.ofSeconds(30)).connectTimeout(Duration.ofSeconds(3))
                .reconnect(Duration.ofMillis(100), Duration.ofMillis(500)).build();
        MqttSession session = closing(new MqttSession(s, Tls.socketFactory(List.of(ca.certificate()),
                hostCert.keyManagers(), s.tlsProtocols()), h, null));
        h.session = session;
        session.start();
        assertThat(h.connected.poll(10, TimeUnit.SECONDS)).as("host connected").isNotNull();
        return h;
    }

    private EdgeNodeSettings settings() {
        return EdgeNodeSettings.of("plant", "cell1", state).withCommandIdentity("mes")
                .withNodeMetricsInterval(Duration.ofSeconds(60));
    }

    private EdgeNode start(EdgeNodeSettings settings, String url) {
        return start(settings, url, e -> audited.add(e));
    }

    private EdgeNode start(EdgeNodeSettings settings, String url, io.cellgate.api.audit.AuditSink sink) {
        MqttSettings s = MqttSettings.builder().brokerUrls(url).clientId("gw1").caFile(Path.of("unused"))
                .keepAlive(Duration.ofSeconds(30)).connectTimeout(Duration.ofSeconds(3))
                .reconnect(Duration.ofMillis(100), Duration.ofMillis(400)).build();
        EdgeNode node = new EdgeNode(s, Tls.socketFactory(List.of(ca.certificate()), gw1.keyManagers(),
                s.tlsProtocols()), settings, bus, req -> {
                    writeRequests.add(req);
                    return new WriteResult(writeOutcome, writeOutcome == WriteResult.Status.OK ? null : "policy says no",
                            null);
                }, sink, () -> null, Clock.systemUTC());
        nodes.add(node);
        node.gatewayHealth(gatewayHealth::get);
        node.start();
        return node;
    }

    private static Metric metric(Payload p, String name) {
        return p.getMetricsList().stream().filter(m -> name.equals(m.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name + " in " + p));
    }

    private static long bdSeq(Payload p) {
        return metric(p, "bdSeq").getLongValue();
    }

    private static String property(Metric m, String key) {
        int i = m.getProperties().getKeysList().indexOf(key);
        assertThat(i).as("property " + key).isGreaterThanOrEqualTo(0);
        SparkplugB.Payload.PropertyValue v = m.getProperties().getValues(i);
        return v.hasStringValue() ? v.getStringValue() : v.hasDoubleValue() ? String.valueOf(v.getDoubleValue())
                : v.hasIntValue() ? String.valueOf(v.getIntValue()) : String.valueOf(v.getBooleanValue());
    }

    private Received ddataWith(double value, int seconds) throws InterruptedException {
        return host.await(r -> r.type().equals("DDATA")
                && r.payload().getMetricsList().stream().anyMatch(m -> m.getDoubleValue() == value), seconds,
                "DDATA with " + value);
    }

    // ------------------------------------------------------------------ births, data, seq

    /** The gateway's sink is the audit trail, which is also its AuditQuery: a failing trail shows in the NBIRTH. */
    private static final class TrailStandIn implements io.cellgate.api.audit.AuditSink, io.cellgate.api.audit.AuditQuery {
        volatile io.cellgate.api.audit.AuditSummary summary;

        @Override
        public boolean record(io.cellgate.api.audit.AuditEvent event) {
            return summary.writable();
        }

        @Override
        public io.cellgate.api.audit.AuditPage query(io.cellgate.api.audit.AuditFilter filter) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long export(io.cellgate.api.audit.AuditFilter filter, java.io.OutputStream out) {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.cellgate.api.audit.AuditStatus status() {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.cellgate.api.audit.AuditSummary summary() {
            return summary;
        }
    }

    @Test
    void nbirth_auditTrailFailingAndLagging_auditMetricsSayTheTruth() throws Exception {
        TrailStandIn trail = new TrailStandIn();
        trail.summary = new io.cellgate.api.audit.AuditSummary(3, 1234, false, true, 1200, "disk full", true,
                io.cellgate.api.audit.AuditSummary.FORWARD_DISCONNECTED, 1000, 234);
        start(settings(), broker.sslUrl(), trail);

        Received nbirth = host.await("NBIRTH", 10);

        assertThat(metric(nbirth.payload(), "Audit/Records").getLongValue()).isEqualTo(1234);
        assertThat(metric(nbirth.payload(), "Audit/Chain OK").getBooleanValue()).isTrue();
        assertThat(metric(nbirth.payload(), "Audit/Failing").getBooleanValue()).isTrue();
        assertThat(metric(nbirth.payload(), "Audit/Forward Lag").getLongValue()).isEqualTo(234);
        assertThat(metric(nbirth.payload(), "Audit/Forwarder").getStringValue()).isEqualTo("disconnected");
        assertThat(metric(nbirth.payload(), "Audit/Storage Warning").getBooleanValue()).isTrue();
        assertThat(metric(nbirth.payload(), "Audit/Failing").getDatatype()).isEqualTo(SparkplugB.DataType.Boolean_VALUE);
    }

    @Test
    void nbirth_sinkIsNoTrail_auditMetricsSaySo() throws Exception {
        start(settings(), broker.sslUrl());

        Received nbirth = host.await("NBIRTH", 10);

        assertThat(metric(nbirth.payload(), "Audit/Records").getLongValue()).isEqualTo(-1);
        assertThat(metric(nbirth.payload(), "Audit/Failing").getBooleanValue()).isTrue();
        assertThat(metric(nbirth.payload(), "Audit/Forwarder").getStringValue()).isEqualTo("none");
    }

    @Test
    void connect_nbirthDbirthDdata_fieldsAsSpecified() throws Exception {
        start(settings(), broker.sslUrl());

        Received nbirth = host.await("NBIRTH", 10);
        assertThat(nbirth.topic()).isEqualTo("spBv1.0/plant/NBIRTH/cell1");
        assertThat(nbirth.payload().getSeq()).isZero();
        assertThat(bdSeq(nbirth.payload())).isZero();
        Metric rebirth = metric(nbirth.payload(), "Node Control/Rebirth");
        assertThat(rebirth.getBooleanValue()).isFalse();
        assertThat(rebirth.hasAlias()).isFalse();
        Metric uptime = metric(nbirth.payload(), "Node Info/Uptime");
        assertThat(uptime.hasAlias()).isTrue();
        assertThat(uptime.getDatatype()).isEqualTo(SparkplugB.DataType.Int64_VALUE);
        metric(nbirth.payload(), "Outbox/Fill Ratio");
        assertThat(metric(nbirth.payload(), "Devices/press1/State").getStringValue()).isEqualTo("CONNECTED");
        assertThat(metric(nbirth.payload(), "Devices/press1/Poll Count").getLongValue()).isEqualTo(10);

        Received dbirth = host.await("DBIRTH", 10);
        assertThat(dbirth.topic()).isEqualTo("spBv1.0/plant/DBIRTH/cell1/press1");
        assertThat(dbirth.payload().getSeq()).isEqualTo(1);
        Metric power = metric(dbirth.payload(), "power");
        assertThat(power.getDatatype()).isEqualTo(SparkplugB.DataType.Double_VALUE);
        assertThat(power.getDoubleValue()).isEqualTo(1.0);
        assertThat(property(power, "engUnit")).isEqualTo("kW");
        assertThat(property(power, "engHigh")).isEqualTo("1000.0");
        assertThat(metric(dbirth.payload(), "setpoint").getIntValue()).isEqualTo(5);

        bus.publish(POWER, TagValue.good(42.5, Instant.ofEpochMilli(2_000)));
        Received ddata = ddataWith(42.5, 10);
        assertThat(ddata.payload().getSeq()).isEqualTo(2);
        Metric m = ddata.payload().getMetrics(0);
        assertThat(m.hasName()).isFalse();
        assertThat(m.hasDatatype()).isFalse();
        assertThat(m.getAlias()).isEqualTo(power.getAlias());
        assertThat(m.getTimestamp()).isEqualTo(2_000);
        assertThat(m.getIsHistorical()).isFalse();
    }

    @Test
    void manyChanges_seqWrapsWithoutGaps() throws Exception {
        start(settings(), broker.sslUrl());
        host.await("DBIRTH", 10);
        List<Long> seqs = new ArrayList<>();
        for (int i = 1; i <= 320; i++) {
            bus.publish(POWER, TagValue.good((double) i, Instant.ofEpochMilli(10_000 + i)));
            // one change per drain: wait for it so each becomes its own DDATA
            Received r = ddataWith(i, 10);
            seqs.add(r.payload().getSeq());
        }
        // Only DDATA were published in between (node metrics every 60 s, first one after the births' interval).
        for (int i = 1; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).as("seq after " + seqs.get(i - 1)).isEqualTo((seqs.get(i - 1) + 1) % 256);
        }
        assertThat(seqs).contains(255L, 0L);
    }

    // ------------------------------------------------------------------ bdSeq and Will

    @Test
    void bdSeq_incrementsOnlyOnSuccessfulConnect_andSurvivesRestart() throws Exception {
        TcpProxy proxy = closing(new TcpProxy(broker.port()));
        proxy.freeze(); // TCP accepted, no CONNACK: the first attempt(s) fail
        EdgeNode first = start(settings(), proxy.sslUrl());
        Thread.sleep(4_500); // longer than one attempt's CONNACK deadline (3 s + 1 s)
        assertThat(BdSeqFile.open(settings().stateDir()).bdSeq()).as("no successful connect yet").isZero();
        assertThat(host.messages.stream().map(Received::type)).doesNotContain("NBIRTH");
        proxy.kill();
        proxy.thaw();
        assertThat(bdSeq(host.await("NBIRTH", 15).payload())).isZero();
        first.stop(Duration.ofSeconds(3));
        nodes.remove(first);
        Received ndeath = host.await("NDEATH", 10);
        assertThat(bdSeq(ndeath.payload())).as("NDEATH on clean shutdown carries the session's bdSeq").isZero();

        start(settings(), broker.sslUrl());
        assertThat(bdSeq(host.await("NBIRTH", 10).payload())).as("after a restart").isEqualTo(1);
    }

    @Test
    void killedWithoutShutdown_willCarriesBdSeq_andNothingAcceptedIsLost() throws Exception {
        TcpProxy proxy = closing(new TcpProxy(broker.port()));
        EdgeNode node = start(settings(), proxy.sslUrl());
        long born = bdSeq(host.await("NBIRTH", 10).payload());
        host.await("DBIRTH", 10);
        proxy.freeze(); // nothing gets through: values are accepted into the outbox only
        for (int i = 1; i <= 20; i++) {
            bus.publish(POWER, TagValue.good(100.0 + i, Instant.ofEpochMilli(20_000 + i)));
            int n = i;
            waitUntil(() -> node.acceptedSamples() >= n, n + " values accepted"); // one outbox entry each
        }
        proxy.kill();
        node.abandon();
        nodes.remove(node);
        Received will = host.await("NDEATH", 10);
        assertThat(bdSeq(will.payload())).isEqualTo(born);

        start(settings(), broker.sslUrl());
        assertThat(bdSeq(host.await("NBIRTH", 10).payload())).isEqualTo(born + 1);
        List<Double> replayed = new ArrayList<>();
        int messages = 0;
        while (replayed.size() < 20) {
            Received r = host.await("DDATA", 10);
            messages++;
            for (Metric m : r.payload().getMetricsList()) {
                assertThat(m.getIsHistorical()).isTrue();
                assertThat(m.getTimestamp()).isEqualTo(20_000 + Math.round(m.getDoubleValue() - 100));
                replayed.add(m.getDoubleValue());
            }
        }
        assertThat(replayed).startsWith(101.0, 102.0, 103.0).contains(120.0).isSorted();
        assertThat(messages).as("20 stored entries of one device merged into one historical DDATA").isEqualTo(1);
    }

    // ------------------------------------------------------------------ outage and replay

    @Test
    void brokerOutage_valuesStored_thenBirthsHistoricalReplayInOrder_andLiveDuringReplay() throws Exception {
        int stored = 400;
        TcpProxy proxy = closing(new TcpProxy(broker.port()));
        // One value per record and one record per DDATA, so the small backlog takes many turns.
        EdgeNode node = start(settings().withMaxInFlight(2).withBatchInterval(java.time.Duration.ZERO), proxy.sslUrl());
        node.replayMergeEntries(1);
        host.await("DBIRTH", 10);
        // The broker is unreachable for the edge node (the host application stays connected to see everything).
        proxy.freeze();
        proxy.kill();
        for (int i = 1; i <= stored; i++) {
            bus.publish(POWER, TagValue.good(1000.0 + i, Instant.ofEpochMilli(30_000 + i)));
            long n = i;
            while (node.acceptedSamples() < n) {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000); // one outbox record per value
            }
        }
        // Live values keep coming while the edge node reconnects and replays.
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread producer = new Thread(() -> {
            for (int i = 1; running.get(); i++) {
                bus.publish(POWER, TagValue.good(-(double) i, Instant.now()));
                java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
            }
        });
        proxy.kill();
        proxy.thaw();
        producer.start();
        try {
            Received nbirth = host.await("NBIRTH", 15);
            assertThat(nbirth.payload().getSeq()).isZero();
            List<Double> historical = new ArrayList<>();
            int liveAt = -1;
            while (historical.size() < stored) {
                Received r = host.await("DDATA", 10);
                for (Metric m : r.payload().getMetricsList()) {
                    double v = m.getDoubleValue();
                    if (v > 1000) {
                        assertThat(m.getIsHistorical()).as("stored value " + v).isTrue();
                        assertThat(m.getTimestamp()).isEqualTo(30_000 + Math.round(v - 1000));
                        historical.add(v);
                    } else if (!m.getIsHistorical() && liveAt < 0) {
                        liveAt = historical.size();
                    }
                }
            }
            assertThat(historical).hasSize(stored).isSorted();
            assertThat(historical.get(0)).isEqualTo(1001.0);
            assertThat(liveAt).as("live data arrives before the replay ends").isBetween(0, stored - 1);
        } finally {
            running.set(false);
            producer.join();
        }
    }

    @Test
    void outboxFull_dropOldest_overflowAudited() throws Exception {
        // A broker that is never reachable: everything stays in a 1 KiB outbox, which must drop its oldest entries.
        int deadPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = probe.getLocalPort();
        }
        EdgeNodeSettings s = settings().withBatchInterval(java.time.Duration.ZERO);
        EdgeNode node = start(s.withOutbox(s.outbox().withMaxBytes(1024)), "ssl://127.0.0.1:" + deadPort);
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        // the node subscribes to the bus on its own thread: values count from its first accepted one
        for (int i = 1; node.acceptedSamples() < 200 && System.nanoTime() < end; i++) {
            bus.publish(POWER, TagValue.good(5000.0 + i, Instant.ofEpochMilli(40_000 + i)));
            Thread.sleep(1);
        }
        while (audited.stream().noneMatch(e -> e.action().equals("outbox.overflow")) && System.nanoTime() < end) {
            Thread.sleep(50);
        }

        io.cellgate.api.audit.AuditEvent e = audited.stream().filter(a -> a.action().equals("outbox.overflow"))
                .findFirst().orElseThrow(() -> new AssertionError("no outbox.overflow in " + audited));
        assertThat(e.result()).isEqualTo(io.cellgate.api.audit.AuditEvent.Result.FAILED);
        assertThat(e.identity()).isEqualTo("system");
        assertThat(e.resource()).isEqualTo("outbox of edge node cell1");
        assertThat(e.reason()).startsWith("outbox full (").contains("oldest entries dropped");
    }

    // ------------------------------------------------------------------ rebirth, STATE, devices

    @Test
    void rebirthCommand_newNbirthAndDbirthWithSameBdSeq() throws Exception {
        start(settings(), broker.sslUrl());
        long bd = bdSeq(host.await("NBIRTH", 10).payload());
        host.await("DBIRTH", 10);
        Payload cmd = Payload.newBuilder().setTimestamp(System.currentTimeMillis()).addMetrics(Metric.newBuilder()
                .setName("Node Control/Rebirth").setDatatype(SparkplugB.DataType.Boolean_VALUE).setBooleanValue(true))
                .build();
        host.session.publish("spBv1.0/plant/NCMD/cell1", cmd.toByteArray(), 1, false).get(5, TimeUnit.SECONDS);
        Received again = host.await("NBIRTH", 10);
        assertThat(bdSeq(again.payload())).isEqualTo(bd);
        assertThat(again.payload().getSeq()).isZero();
        assertThat(host.await("DBIRTH", 10).payload().getSeq()).isEqualTo(1);
    }

    @Test
    void primaryHost_noBirthsUntilOnline_offlineStopsPublishing_onlineAgainBirthsAndReplay() throws Exception {
        EdgeNode node = start(settings().withPrimaryHost("mes"), broker.sslUrl());
        waitUntil(() -> bus.listeners() > 0, "edge node subscribed to the bus");
        bus.publish(POWER, TagValue.good(7.0, Instant.ofEpochMilli(40_000)));
        waitUntil(() -> node.acceptedSamples() >= 1, "value accepted");
        Thread.sleep(1_000);
        assertThat(host.messages.stream().map(Received::type)).doesNotContain("NBIRTH");

        long t = System.currentTimeMillis();
        host.session.publish("spBv1.0/STATE/mes", new HostState(true, t).toJson(), 1, true).get(5, TimeUnit.SECONDS);
        host.await("NBIRTH", 10);
        host.await("DBIRTH", 10);
        Received replay = ddataWith(7.0, 10);
        assertThat(replay.payload().getMetrics(0).getIsHistorical()).isTrue();

        host.session.publish("spBv1.0/STATE/mes", new HostState(false, t + 1).toJson(), 1, true).get(5, TimeUnit.SECONDS);
        host.await("NDEATH", 10);
        host.messages.clear();
        bus.publish(POWER, TagValue.good(8.0, Instant.ofEpochMilli(41_000)));
        waitUntil(() -> node.acceptedSamples() >= 2, "second value accepted");
        Thread.sleep(1_000);
        assertThat(host.messages.stream().map(Received::type)).doesNotContain("DDATA", "NBIRTH");

        host.session.publish("spBv1.0/STATE/mes", new HostState(true, t + 2).toJson(), 1, true).get(5, TimeUnit.SECONDS);
        host.await("NBIRTH", 10);
        Received stored = ddataWith(8.0, 10);
        assertThat(stored.payload().getMetrics(0).getIsHistorical()).isTrue();
    }

    @Test
    void deviceFailsAndRecovers_ddeathThenDbirth() throws Exception {
        start(settings(), broker.sslUrl());
        host.await("DBIRTH", 10);
        bus.deviceState(FakeBus.state("press1", DeviceState.Status.FAILING));
        Received ddeath = host.await("DDEATH", 10);
        assertThat(ddeath.topic()).isEqualTo("spBv1.0/plant/DDEATH/cell1/press1");
        bus.deviceState(FakeBus.state("press1", DeviceState.Status.CONNECTED));
        Received dbirth = host.await("DBIRTH", 10);
        assertThat(dbirth.payload().getSeq()).isEqualTo((ddeath.payload().getSeq() + 1) % 256);
    }

    // ------------------------------------------------------------------ commands

    private void dcmd(Payload p) throws Exception {
        host.session.publish("spBv1.0/plant/DCMD/cell1/press1", p.toByteArray(), 1, false).get(5, TimeUnit.SECONDS);
    }

    private static Payload setpoint(int value) {
        return Payload.newBuilder().setTimestamp(System.currentTimeMillis()).addMetrics(Metric.newBuilder()
                .setName("setpoint").setDatatype(SparkplugB.DataType.Int32_VALUE).setIntValue(value)).build();
    }

    private String lastCommandReported() throws InterruptedException {
        Received ndata = host.await(r -> r.type().equals("NDATA") && r.payload().getMetricsList().stream()
                .anyMatch(Metric::hasStringValue), 10, "NDATA with Last Command");
        return ndata.payload().getMetricsList().stream().filter(Metric::hasStringValue).findFirst().orElseThrow()
                .getStringValue();
    }

    @Test
    void dcmdAllowed_writeServiceCalledWithConfiguredIdentity_andResultReported() throws Exception {
        start(settings(), broker.sslUrl());
        host.await("DBIRTH", 10);
        dcmd(setpoint(77));
        assertThat(lastCommandReported()).contains("press1/setpoint = 77: OK");
        assertThat(writeRequests).singleElement().satisfies(r -> {
            assertThat(r.identity()).isEqualTo("mes");
            assertThat(r.channel()).isEqualTo("sparkplug");
            assertThat(r.path()).isEqualTo(SETPOINT);
            assertThat(r.value()).isEqualTo(77);
        });
    }

    @Test
    void dcmdDenied_reportedAsDenied() throws Exception {
        writeOutcome = WriteResult.Status.DENIED;
        start(settings(), broker.sslUrl());
        host.await("DBIRTH", 10);
        dcmd(setpoint(78));
        assertThat(lastCommandReported()).contains("press1/setpoint = 78: DENIED (policy says no)");
    }

    @Test
    void dcmdReadOnlyOrMalformed_nothingWritten_audited_noCrash() throws Exception {
        start(settings(), broker.sslUrl());
        host.await("DBIRTH", 10);
        dcmd(Payload.newBuilder().addMetrics(Metric.newBuilder().setName("power")
                .setDatatype(SparkplugB.DataType.Double_VALUE).setDoubleValue(3)).build());
        assertThat(lastCommandReported()).contains("NOT_WRITABLE");
        host.session.publish("spBv1.0/plant/DCMD/cell1/press1", "not protobuf \u00ff".getBytes(StandardCharsets.UTF_8),
                1, false).get(5, TimeUnit.SECONDS);
        assertThat(lastCommandReported()).contains("MALFORMED_PAYLOAD");
        assertThat(writeRequests).isEmpty();
        assertThat(audited).extracting(AuditEvent::result).containsOnly(AuditEvent.Result.DENIED);
        assertThat(audited).extracting(AuditEvent::reason).anyMatch(r -> r.contains("NOT_WRITABLE"))
                .anyMatch(r -> r.contains("MALFORMED_PAYLOAD"));
        // still working
        bus.publish(POWER, TagValue.good(9.5, Instant.ofEpochMilli(50_000)));
        ddataWith(9.5, 10);
    }

    @Test
    void dcmdWithoutCommandIdentity_refusedAndAudited() throws Exception {
        start(EdgeNodeSettings.of("plant", "cell1", state), broker.sslUrl());
        host.await("DBIRTH", 10);
        dcmd(setpoint(79));
        assertThat(lastCommandReported()).contains("command.identity is not configured");
        assertThat(writeRequests).isEmpty();
        assertThat(audited).hasSize(1);
    }

    // ------------------------------------------------------------------ plain JSON

    @Test
    void jsonEnabled_valuePublishedRetainedUnderPrefixCellDeviceTag() throws Exception {
        start(settings().withJson(new EdgeNodeSettings.Json("cellgate", true)), broker.sslUrl());
        host.await("DBIRTH", 10);
        bus.publish(POWER, TagValue.good(12.5, Instant.parse("2024-01-02T03:04:05Z")));
        Received json = host.await(r -> r.topic().startsWith("cellgate/"), 10, "JSON value");
        assertThat(json.topic()).isEqualTo("cellgate/cell1/press1/power");
        assertThat(new String(json.raw(), StandardCharsets.UTF_8))
                .isEqualTo("{\"value\":12.5,\"quality\":\"GOOD\",\"timestamp\":\"2024-01-02T03:04:05Z\"}");
    }

    @Test
    void jsonDisabledByDefault_nothingUnderPrefix() throws Exception {
        start(settings(), broker.sslUrl());
        host.await("DBIRTH", 10);
        bus.publish(POWER, TagValue.good(13.5, Instant.ofEpochMilli(60_000)));
        ddataWith(13.5, 10);
        assertThat(host.messages.stream().map(Received::topic)).noneMatch(t -> t.startsWith("cellgate/"));
    }

    // ------------------------------------------------------------------ the health bundle's metrics

    /** The health bundle's service as the edge node sees it, with metrics the test sets. */
    private static final class FakeHealth implements GatewayHealth {
        volatile List<HealthMetric> metrics;

        FakeHealth(HealthMetric... metrics) {
            this.metrics = List.of(metrics);
        }

        @Override public List<HealthMetric> metrics() { return metrics; }
        @Override public List<HealthAlarm> alarms() { return List.of(); }
        @Override public List<SecurityEvent> events() { return List.of(); }
        @Override public long eventCount() { return 0; }
    }

    private static HealthMetric hm(String name, MetricType type, Object value) {
        return new HealthMetric(name, "cellgate_test", Map.of(), type,
                type == MetricType.STRING ? MetricKind.INFO : MetricKind.GAUGE, "", "", value);
    }

    private static HealthMetric[] events(long count, String last, String severity) {
        return new HealthMetric[] {hm("Health/Gateway/Uptime", MetricType.INT64, 5L),
                hm("Health/Gateway/Process CPU", MetricType.DOUBLE, 0.25),
                hm("Health/Security/Audit Chain OK", MetricType.BOOLEAN, null),
                hm("Health/Events/Count", MetricType.INT64, count), hm("Health/Events/Last", MetricType.STRING, last),
                hm("Health/Events/Last Severity", MetricType.STRING, severity)};
    }

    @Test
    void gatewayHealth_inNbirthWithDatatypes_newEventInNdata() throws Exception {
        FakeHealth health = new FakeHealth(events(0, "", ""));
        gatewayHealth.set(health);
        start(settings().withNodeMetricsInterval(Duration.ofSeconds(1)), broker.sslUrl());

        Payload nbirth = host.await("NBIRTH", 10).payload();
        assertThat(metric(nbirth, "Health/Gateway/Uptime").getDatatype()).isEqualTo(SparkplugB.DataType.Int64_VALUE);
        assertThat(metric(nbirth, "Health/Gateway/Uptime").getLongValue()).isEqualTo(5);
        assertThat(metric(nbirth, "Health/Gateway/Process CPU").getDoubleValue()).isEqualTo(0.25);
        Metric chain = metric(nbirth, "Health/Security/Audit Chain OK");
        assertThat(chain.getDatatype()).isEqualTo(SparkplugB.DataType.Boolean_VALUE);
        assertThat(chain.getIsNull()).isTrue();
        assertThat(metric(nbirth, "Health/Events/Count").getLongValue()).isZero();
        Metric last = metric(nbirth, "Health/Events/Last");
        Metric severity = metric(nbirth, "Health/Events/Last Severity");
        assertThat(last.getDatatype()).isEqualTo(SparkplugB.DataType.String_VALUE);
        assertThat(metric(nbirth, "Node Info/Uptime").getDatatype()).as("the node's own metrics stay")
                .isEqualTo(SparkplugB.DataType.Int64_VALUE);

        health.metrics = List.of(events(1, "login.burst 10.9.9.9: 5 failed logins", "HIGH"));
        long count = metric(nbirth, "Health/Events/Count").getAlias();
        Payload ndata = host.await(r -> r.type().equals("NDATA") && r.payload().getMetricsList().stream()
                .anyMatch(m -> m.getAlias() == count && m.getLongValue() == 1), 10, "NDATA with the event").payload();

        assertThat(ndata.getMetricsList()).anySatisfy(m -> {
            assertThat(m.getAlias()).isEqualTo(last.getAlias());
            assertThat(m.getStringValue()).isEqualTo("login.burst 10.9.9.9: 5 failed logins");
        }).anySatisfy(m -> {
            assertThat(m.getAlias()).isEqualTo(severity.getAlias());
            assertThat(m.getStringValue()).isEqualTo("HIGH");
        });
    }

    @Test
    void gatewayHealth_arrivingAfterBirth_rebirthCarriesItWithTheSameBdSeq() throws Exception {
        start(settings().withNodeMetricsInterval(Duration.ofSeconds(1)), broker.sslUrl());
        Payload first = host.await("NBIRTH", 10).payload();
        assertThat(first.getMetricsList()).noneMatch(m -> m.getName().startsWith("Health/Gateway/"));

        gatewayHealth.set(new FakeHealth(hm("Health/Gateway/Uptime", MetricType.INT64, 7L)));

        Payload second = host.await("NBIRTH", 10).payload();
        assertThat(metric(second, "Health/Gateway/Uptime").getLongValue()).isEqualTo(7);
        assertThat(bdSeq(second)).isEqualTo(bdSeq(first));
        assertThat(second.getSeq()).isZero();
        host.await("DBIRTH", 10);
    }

    @Test
    void northboundMetrics_onlineWhileBornOfflineWhenBrokerGone() throws Exception {
        EdgeNode node = start(settings(), broker.sslUrl());
        host.await("DBIRTH", 10);
        waitUntil(() -> northbound(node, "Health/Northbound/MQTT Online") == Boolean.TRUE, "online");
        assertThat(northbound(node, "Health/Northbound/Outbox Fill Ratio")).isInstanceOf(Double.class);
        assertThat(northbound(node, "Health/Northbound/Outbox Entries")).isInstanceOf(Long.class);
        assertThat(node.northboundMetrics()).extracting(HealthMetric::name).contains("Health/Northbound/Outbox Dropped",
                "Health/Northbound/Replaying", "Health/Northbound/Replayed Entries");

        broker.stop();

        waitUntil(() -> northbound(node, "Health/Northbound/MQTT Online") == Boolean.FALSE, "offline");
    }

    private static Object northbound(EdgeNode node, String name) {
        return node.northboundMetrics().stream().filter(m -> m.name().equals(name)).map(HealthMetric::value).findFirst()
                .orElse(null);
    }

    private static void waitUntil(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
