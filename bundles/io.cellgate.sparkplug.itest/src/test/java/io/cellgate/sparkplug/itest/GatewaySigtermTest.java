package io.cellgate.sparkplug.itest;

import static io.cellgate.sparkplug.itest.GatewayTestCell.awaitOrFail;
import static io.cellgate.sparkplug.itest.GatewayTestCell.bdSeq;
import static io.cellgate.sparkplug.itest.GatewayTestCell.commonName;
import static io.cellgate.sparkplug.itest.GatewayTestCell.count;
import static io.cellgate.sparkplug.itest.GatewayTestCell.readCertificate;
import static io.cellgate.sparkplug.itest.GatewayTestCell.sizeOf;
import static io.cellgate.sparkplug.itest.GatewayTestCell.waitFor;
import static io.cellgate.sparkplug.itest.GatewayTestCell.writeCell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;


import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cellgate.mqtt.testing.Mosquitto;
import io.cellgate.mqtt.testing.TestCertificates;
import io.cellgate.sparkplug.itest.SparkplugRecorder.Received;
import io.cellgate.sparkplug.proto.SparkplugB.Payload;
import io.cellgate.sparkplug.proto.SparkplugB.Payload.Metric;

/**
 * {@code systemctl stop}: SIGTERM to the real executable jar (mosquitto with mutual TLS and ACL, a pymodbus device).
 * The runtime's shutdown hook stops the framework, so the edge node publishes its NDEATH itself before it
 * disconnects (the broker then discards the Will), the outbox closes cleanly and the restart on the same state
 * directory starts the next bdSeq.
 */
class GatewaySigtermTest {

    private static final String GROUP = "plant1";
    private static final String CELL = "termtest";
    private static final String DEVICE = "dev-1";
    private static final String TAG = "counter";
    private static final long POLL_MS = 100;
    private static final long HOLD_MS = 300;
    /** Only keeps a broken build from hanging the test (the runtime's own bound is 30 s). */
    private static final long EXIT_BOUND_S = 60;
    /** The edge node's default max.in.flight: the documented bound of duplicates. */
    private static final int MAX_IN_FLIGHT = 64;

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private CounterDevice device;
    private int lastSet;

    /** One occurrence of the tag's value in a received DBIRTH/DDATA. */
    private record Sample(int value, boolean historical, int session, boolean birth) {
    }

    @AfterEach
    void closeAll() {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                // teardown: keep closing the others
            }
        }
    }

    @Test
    void sigterm_whileBornAndPublishing_oneNdeathWithSessionBdSeqCleanStopAndNextBdSeqAfterRestart() throws Exception {
        Path jar = Path.of(System.getProperty("cellgate.jar", "../../distrib/target/cellgate.jar")).toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isRegularFile(jar),
                "skipped: " + jar + " does not exist - build distrib first (mvn -pl distrib package), "
                        + "or point -Dcellgate.jar=... at an executable jar");
        Path unit = Path.of(System.getProperty("cellgate.service", "../../distrib/src/deb/systemd/cellgate.service"));
        if (!Mosquitto.installed()) {
            fail("/usr/sbin/mosquitto is missing: install the Debian packages mosquitto and mosquitto-clients");
        }

        // 1. Broker and MES subscriber first (its persistent session then queues every message of the gateway),
        // device, cell, gateway. The broker trusts the gateway's self-generated certificate after a restart.
        TestCertificates.Issued ca = TestCertificates.ca("termtest CA");
        TestCertificates.Issued mes = TestCertificates.client(ca, "mes");
        Path brokerDir = Files.createDirectories(dir.resolve("broker"));
        Mosquitto broker = Mosquitto.tls(brokerDir, ca, TestCertificates.localhostServer(ca), "user mes\ntopic read spBv1.0/#\n",
                "persistence true", "persistence_location " + brokerDir + "/", "max_queued_messages 100000");
        toClose.add(broker);
        broker.start();
        SparkplugRecorder mesSide = new SparkplugRecorder(broker.sslUrl(), ca, mes);
        toClose.add(mesSide);
        mesSide.connectAndSubscribe();
        device = CounterDevice.start(Mosquitto.freePort(), dir.resolve("device.log"));
        toClose.add(device);
        Path cellDir = writeCell(dir, CELL, DEVICE, POLL_MS, GROUP, broker.port(), device.port(), ca);
        Path state = Files.createDirectories(dir.resolve("state"));
        GatewayProcess gateway = new GatewayProcess(jar, unit, cellDir, state, dir.resolve("gateway.log"));
        toClose.add(gateway);

        gateway.start();
        Path gatewayDer = state.resolve("pki/own/gateway.der");
        waitFor(() -> Files.isRegularFile(gatewayDer) && sizeOf(gatewayDer) > 0, 60, "the gateway's certificate " + gatewayDer, gateway);
        X509Certificate gatewayCert = readCertificate(gatewayDer);
        String gatewayCn = commonName(gatewayCert);
        broker.stop();
        TestCertificates.write(brokerDir.resolve("ca.crt"), TestCertificates.pem(ca.certificate()) + TestCertificates.pem(gatewayCert));
        TestCertificates.write(brokerDir.resolve("acl"), "user mes\ntopic read spBv1.0/#\n\n"
                + "user " + gatewayCn + "\n"
                + "topic write spBv1.0/" + GROUP + "/+/" + CELL + "\n"
                + "topic write spBv1.0/" + GROUP + "/+/" + CELL + "/#\n"
                + "topic read spBv1.0/" + GROUP + "/NCMD/" + CELL + "\n"
                + "topic read spBv1.0/" + GROUP + "/DCMD/" + CELL + "/#\n"
                + "topic read spBv1.0/STATE/#\n");
        broker.start();
        assertThat(mesSide.reconnect()).as("the broker kept the MES subscriber's session (persistence)").isTrue();

        String nbirthTopic = "spBv1.0/" + GROUP + "/NBIRTH/" + CELL;
        String ndeathTopic = "spBv1.0/" + GROUP + "/NDEATH/" + CELL;
        String dbirthTopic = "spBv1.0/" + GROUP + "/DBIRTH/" + CELL + "/" + DEVICE;

        // 2. Session 1: births, then live DDATA.
        awaitOrFail(mesSide, r -> count(r, dbirthTopic) >= 1, 60, "NBIRTH and DBIRTH of the first session", gateway, broker);
        changeTimes(5);
        int lastLive = lastSet;
        awaitOrFail(mesSide, r -> samplesOf(r).stream().anyMatch(s -> !s.birth() && s.value() == lastLive), 30,
                "live DDATA with value " + lastLive, gateway, broker);

        // The OPC UA server restarts once the cell's settings arrive; a SIGTERM in the middle of that restart finds a
        // server that never started (seen in CI). The stop under test is the one of a running gateway: wait for it.
        waitFor(() -> {
            String log = gateway.log();
            return log.lastIndexOf("OPC UA server listening") > log.lastIndexOf("restarting the server");
        }, 60, "the OPC UA server listening after its last restart", gateway);

        // 3. SIGTERM while data flows.
        device.set(++lastSet);
        int exitCode = gateway.terminate(EXIT_BOUND_S);
        int receivedAtStop = mesSide.received().size();
        awaitOrFail(mesSide, r -> count(r, ndeathTopic) >= 1, 20, "NDEATH after SIGTERM", gateway, broker);
        String stopLog = gateway.log();
        assertThat(stopLog).as("gateway log after SIGTERM")
                .contains("shutdown requested")
                .containsPattern("Outbox .* closed")
                .containsPattern("MQTT session .*: disconnected")
                .contains("Poll scheduler stopped")
                .contains("OPC UA server stopped")
                .doesNotContain("did not stop within");

        // 4. Restart on the same state directory (the device keeps its last value), session 2.
        device.set(++lastSet);
        gateway.start();
        int lastAfterRestart = lastSet;
        awaitOrFail(mesSide, r -> count(r, nbirthTopic) >= 2 && samplesOf(r).stream().anyMatch(s -> s.session() == 2
                && s.value() == lastAfterRestart), 60, "the second session's births with value " + lastAfterRestart, gateway, broker);
        changeTimes(3);
        int lastSession2 = lastSet;
        awaitOrFail(mesSide, r -> samplesOf(r).stream().anyMatch(s -> s.session() == 2 && !s.birth() && s.value() == lastSession2),
                30, "live DDATA of the second session with value " + lastSession2, gateway, broker);
        Thread.sleep(1000); // a last moment for a late Will or late replays, so that they are counted

        // 5. Assertions (what arrived is printed first, for diagnosing a failure).
        List<Received> all = mesSide.received();
        List<Sample> samples = samplesOf(all);
        System.out.printf("SIGTERM test: exit code %d, %d messages before the stop; received:%n%s%nsamples: %s%n", exitCode,
                receivedAtStop, all.stream().map(r -> "#" + r.index() + " " + r.topic()).collect(Collectors.joining(", ")), samples);
        assertThat(mesSide.errors()).as("subscriber errors").isEmpty();
        List<Received> nbirths = all.stream().filter(r -> r.topic().equals(nbirthTopic)).toList();
        List<Received> ndeaths = all.stream().filter(r -> r.topic().equals(ndeathTopic)).toList();
        assertThat(nbirths).as("NBIRTHs: one per session").hasSize(2);
        assertThat(ndeaths).as("NDEATHs: the one the gateway published on SIGTERM, no Will afterwards").hasSize(1);
        long bdSeq1 = bdSeq(nbirths.get(0).payload());
        assertThat(bdSeq(ndeaths.get(0).payload())).as("bdSeq of the NDEATH = bdSeq of the session's NBIRTH").isEqualTo(bdSeq1);
        assertThat(ndeaths.get(0).index()).as("the NDEATH comes between the sessions")
                .isGreaterThan(nbirths.get(0).index()).isLessThan(nbirths.get(1).index());
        assertThat(bdSeq(nbirths.get(1).payload())).as("bdSeq after the restart").isEqualTo((bdSeq1 + 1) % 256);
        // Published by the stopping gateway, not the broker's Will (whose payload was built at CONNECT, before the NBIRTH).
        long lastOfSession1 = all.get(ndeaths.get(0).index() - 1).payload().getTimestamp();
        assertThat(ndeaths.get(0).payload().getTimestamp()).as("NDEATH built at the stop, after the session's last message")
                .isGreaterThanOrEqualTo(lastOfSession1);

        // Stale data: session 2 may replay only what session 1 had in flight (not acknowledged) at the stop.
        Set<Integer> liveInSession1 = new HashSet<>();
        samples.stream().filter(s -> s.session() == 1 && !s.birth()).forEach(s -> liveInSession1.add(s.value()));
        List<Sample> replayed = samples.stream().filter(s -> s.session() == 2 && !s.birth() && liveInSession1.contains(s.value())).toList();
        List<Sample> historical2 = samples.stream().filter(s -> s.session() == 2 && s.historical()).toList();
        System.out.printf("SIGTERM test: bdSeq %d -> %d, NDEATH #%d, session-1 values repeated in session-2 DDATA: %s, "
                + "historical samples in session 2: %s%n", bdSeq1, bdSeq(nbirths.get(1).payload()), ndeaths.get(0).index(), replayed,
                historical2);
        assertThat(replayed).as("session-1 values repeated after the restart (bounded by what was in flight)")
                .hasSizeLessThanOrEqualTo(MAX_IN_FLIGHT);
        assertThat(replayed).as("repeats are replays, hence historical").allSatisfy(s -> assertThat(s.historical()).isTrue());
    }

    private void changeTimes(int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            device.set(++lastSet);
            Thread.sleep(HOLD_MS);
        }
    }

    /** Every value of the tag in DBIRTH/DDATA of the device, in arrival order, with the session (NBIRTH count) it came in. */
    private static List<Sample> samplesOf(List<Received> received) {
        List<Sample> samples = new ArrayList<>();
        String nbirth = "spBv1.0/" + GROUP + "/NBIRTH/" + CELL;
        String dbirth = "spBv1.0/" + GROUP + "/DBIRTH/" + CELL + "/" + DEVICE;
        String ddata = "spBv1.0/" + GROUP + "/DDATA/" + CELL + "/" + DEVICE;
        int session = 0;
        Long alias = null;
        for (Received r : received) {
            if (r.topic().equals(nbirth)) {
                session++;
            } else if (r.topic().equals(dbirth) || r.topic().equals(ddata)) {
                boolean birth = r.topic().equals(dbirth);
                for (Metric m : r.payload().getMetricsList()) {
                    boolean ours = m.getName().equals(TAG) || (!birth && alias != null && m.hasAlias() && m.getAlias() == alias);
                    if (!ours) {
                        continue;
                    }
                    if (birth) {
                        alias = m.hasAlias() ? m.getAlias() : null;
                    }
                    if (!m.getIsNull() && m.getValueCase() == Metric.ValueCase.INT_VALUE) {
                        samples.add(new Sample(m.getIntValue(), m.getIsHistorical(), session, birth));
                    }
                }
            }
        }
        return samples;
    }
}
