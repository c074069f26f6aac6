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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Issue 4, item 7: "gateway kill -9 during the outage → nothing lost after restart", with the real executable jar,
 * a real mosquitto (mutual TLS, require_certificate, ACL) and a pymodbus device whose register the test changes
 * every {@value #HOLD_MS} ms (the gateway polls every {@value #POLL_MS} ms).
 * <p>
 * Timeline: gateway up and born, values flow live → mosquitto stopped → values keep changing → SIGKILL of the
 * gateway → values keep changing → gateway restarted on the same state directory, still without broker → polling
 * resumes (seen by the device's request count) → mosquitto started again → the new session.
 * <p>
 * The gateway generates its own self-signed certificate at first start; mosquitto's CA file gets the test CA
 * (for the MES subscriber) plus that certificate, and the ACL names its CN ({@code use_identity_as_username}).
 */
class GatewayKillDuringOutageTest {

    private static final String GROUP = "plant1";
    private static final String CELL = "killtest";
    private static final String DEVICE = "dev-1";
    private static final String TAG = "counter";
    private static final long POLL_MS = 100;
    private static final long HOLD_MS = 300;
    /** After two polls, time for the edge node to append the sample to the outbox (fsync) before a kill. */
    private static final long ACCEPT_MARGIN_MS = 500;
    /** The edge node's default max.in.flight: the documented bound of duplicates. */
    private static final int MAX_IN_FLIGHT = 64;

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** One value the device had: when the test set it and when the next one replaced it. */
    private record Change(int value, long setAt, long replacedAt) {
    }

    /** One occurrence of the tag's value in a received DBIRTH/DDATA. */
    private record Sample(int value, long timestamp, boolean historical, int messageIndex, int session, boolean birth) {
    }

    private CounterDevice device;
    private final List<Integer> setValues = new ArrayList<>();
    private final List<Long> setTimes = new ArrayList<>();

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
    void kill9DuringBrokerOutage_restartThenBrokerBack_everyAcceptedValueArrivesHistoricalInOrder() throws Exception {
        Path jar = Path.of(System.getProperty("cellgate.jar", "../../distrib/target/cellgate.jar")).toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isRegularFile(jar),
                "skipped: " + jar + " does not exist - build distrib first (mvn -pl distrib package), "
                        + "or point -Dcellgate.jar=... at an executable jar");
        Path unit = Path.of(System.getProperty("cellgate.service", "../../distrib/src/deb/systemd/cellgate.service"));
        if (!Mosquitto.installed()) {
            fail("/usr/sbin/mosquitto is missing: install the Debian packages mosquitto and mosquitto-clients");
        }

        // 1. Certificates, broker (not started: it must trust the gateway's certificate first), device, cell.
        TestCertificates.Issued ca = TestCertificates.ca("killtest CA");
        TestCertificates.Issued mes = TestCertificates.client(ca, "mes");
        Path brokerDir = Files.createDirectories(dir.resolve("broker"));
        // Persistence keeps the MES subscriber's session (and what is queued for it) across the broker restart.
        Mosquitto broker = Mosquitto.tls(brokerDir, ca, TestCertificates.localhostServer(ca), "user mes\ntopic read spBv1.0/#\n",
                "persistence true", "persistence_location " + brokerDir + "/", "max_queued_messages 100000");
        toClose.add(broker);
        device = CounterDevice.start(Mosquitto.freePort(), dir.resolve("device.log"));
        toClose.add(device);
        Path cellDir = writeCell(dir, CELL, DEVICE, POLL_MS, GROUP, broker.port(), device.port(), ca);
        Path state = Files.createDirectories(dir.resolve("state"));
        GatewayProcess gateway = new GatewayProcess(jar, unit, cellDir, state, dir.resolve("gateway.log"));
        toClose.add(gateway);

        // 2. First start: the gateway generates its certificate; the broker trusts it and its CN gets the ACL.
        gateway.start();
        Path gatewayDer = state.resolve("pki/own/gateway.der");
        waitFor(() -> Files.isRegularFile(gatewayDer) && sizeOf(gatewayDer) > 0, 60, "the gateway's certificate " + gatewayDer, gateway);
        X509Certificate gatewayCert = readCertificate(gatewayDer);
        String gatewayCn = commonName(gatewayCert);
        TestCertificates.write(brokerDir.resolve("ca.crt"), TestCertificates.pem(ca.certificate()) + TestCertificates.pem(gatewayCert));
        TestCertificates.write(brokerDir.resolve("acl"), "user mes\ntopic read spBv1.0/#\n\n"
                + "user " + gatewayCn + "\n"
                + "topic write spBv1.0/" + GROUP + "/+/" + CELL + "\n"
                + "topic write spBv1.0/" + GROUP + "/+/" + CELL + "/#\n"
                + "topic read spBv1.0/" + GROUP + "/NCMD/" + CELL + "\n"
                + "topic read spBv1.0/" + GROUP + "/DCMD/" + CELL + "/#\n"
                + "topic read spBv1.0/STATE/#\n");
        broker.start();
        SparkplugRecorder mesSide = new SparkplugRecorder(broker.sslUrl(), ca, mes);
        toClose.add(mesSide);
        mesSide.connectAndSubscribe();

        String nodeTopic = "spBv1.0/" + GROUP + "/NBIRTH/" + CELL;
        String deviceBirthTopic = "spBv1.0/" + GROUP + "/DBIRTH/" + CELL + "/" + DEVICE;
        awaitOrFail(mesSide, r -> count(r, deviceBirthTopic) >= 1, 60, "NBIRTH and DBIRTH of the first session", gateway, broker);

        // 3. Live values (session 1).
        long window1Start = System.currentTimeMillis();
        changeTimes(5);
        int lastLive = lastValue();
        awaitOrFail(mesSide, r -> samplesOf(r).stream().anyMatch(s -> s.value() == lastLive), 30,
                "live DDATA with value " + lastLive, gateway, broker);

        // 4. Outage: broker down, device keeps changing, then SIGKILL while the values sit in the outbox.
        long outageStart = System.currentTimeMillis();
        broker.stop();
        changeTimes(15);
        long killAt = System.currentTimeMillis();
        gateway.kill9();
        long requestsAtKill = device.requests();
        changeTimes(3);

        // 5. Restart on the same state directory, still without broker; wait until it polls again.
        gateway.start();
        long restartDeadline = System.currentTimeMillis() + 60_000;
        while (device.requests() < requestsAtKill + 3) {
            if (System.currentTimeMillis() > restartDeadline || !gateway.alive()) {
                fail("the restarted gateway did not poll the device within 60 s; its log:\n" + gateway.logTail());
            }
            changeTimes(1);
        }
        long window2Start = System.currentTimeMillis();
        changeTimes(8);

        // 6. Broker back: the subscriber's session must still be there, or early messages would be missed.
        long brokerBack = System.currentTimeMillis();
        broker.start();
        assertThat(mesSide.reconnect()).as("the broker kept the MES subscriber's session (persistence)").isTrue();
        changeTimes(6);
        long changesEnd = System.currentTimeMillis();

        List<Change> changes = changes(changesEnd);
        List<Change> expected = changes.stream()
                .filter(c -> accepted(c, window1Start, killAt) || accepted(c, window2Start, Long.MAX_VALUE)).toList();
        List<Integer> expectedValues = expected.stream().map(Change::value).toList();
        awaitOrFail(mesSide, r -> count(r, nodeTopic) >= 2 && samplesOf(r).stream().map(Sample::value).collect(Collectors.toSet())
                .containsAll(expectedValues), 60, "the second session's births and every accepted value", gateway, broker);
        Thread.sleep(1000); // a last moment for late duplicates, so that they are counted

        // 7. Assertions (what was set and what arrived is printed first, for diagnosing a failure).
        List<Received> all = mesSide.received();
        System.out.printf("phases (ms): births seen %d, outage %d, kill %d, restart polling %d, broker back %d, end %d%n"
                + "changes: %s%nexpected: %s%nsamples: %s%n", window1Start, outageStart, killAt, window2Start, brokerBack, changesEnd,
                changes, expectedValues, samplesOf(all));
        assertThat(mesSide.errors()).as("subscriber errors").isEmpty();
        List<Received> nbirths = all.stream().filter(r -> r.topic().equals(nodeTopic)).toList();
        assertThat(nbirths).as("NBIRTHs: one per session (gateway before kill, gateway after restart)").hasSize(2);
        long bdSeq1 = bdSeq(nbirths.get(0).payload());
        long bdSeq2 = bdSeq(nbirths.get(1).payload());
        assertThat(bdSeq2).as("bdSeq of the session after the restart").isEqualTo((bdSeq1 + 1) % 256);
        // The device's first DBIRTH of each session (1-based); replayed data must follow it.
        int[] dbirthOfSession = new int[nbirths.size() + 1];
        for (int session = 1; session <= nbirths.size(); session++) {
            int nbirth = nbirths.get(session - 1).index();
            dbirthOfSession[session] = all.stream().filter(r -> r.topic().equals(deviceBirthTopic) && r.index() > nbirth)
                    .mapToInt(Received::index).findFirst().orElseThrow(() -> new AssertionError("no DBIRTH after NBIRTH #" + nbirth));
        }
        assertSeqWithoutGaps(all);

        List<Sample> samples = samplesOf(all);
        List<Sample> historical = samples.stream().filter(Sample::historical).toList();
        // Session 1 may replay what the first start polled before the broker trusted it (the initial value).
        assertThat(historical).as("historical samples").isNotEmpty()
                .allSatisfy(s -> assertThat(s.messageIndex()).as("historical data after the NBIRTH and DBIRTH of its session")
                        .isGreaterThan(dbirthOfSession[s.session()]));

        Map<Integer, Sample> first = new LinkedHashMap<>();
        samples.forEach(s -> first.putIfAbsent(s.value(), s));
        List<Integer> missing = expectedValues.stream().filter(v -> !first.containsKey(v)).toList();
        assertThat(missing).as("accepted values that never arrived (changes: %s)", changes).isEmpty();

        long nbirth2Built = nbirths.get(1).payload().getTimestamp();
        for (Change c : expected) {
            Sample s = first.get(c.value());
            // No upper bound from the test's clock: a stalled gateway may take its timestamp late (seen: 1.6 s).
            assertThat(s.timestamp()).as("timestamp of value %d (set at %d, replaced at %d)", c.value(), c.setAt(), c.replacedAt())
                    .isGreaterThanOrEqualTo(c.setAt());
            boolean duringOutage = c.setAt() >= outageStart && c.replacedAt() <= brokerBack;
            if (duringOutage) {
                assertThat(samples.stream().filter(x -> x.value() == c.value()))
                        .as("every occurrence of value %d (set during the outage) is historical", c.value())
                        .allSatisfy(x -> assertThat(x.historical()).isTrue())
                        .allSatisfy(x -> assertThat(x.session()).as("session of value %d", c.value()).isEqualTo(2));
                assertThat(s.timestamp()).as("value %d keeps its acquisition time, older than the session that replays it", c.value())
                        .isLessThan(nbirth2Built);
            }
        }

        List<Sample> historicalFirsts = historical.stream().filter(s -> first.get(s.value()) == s).toList();
        for (int i = 1; i < historicalFirsts.size(); i++) {
            Sample prev = historicalFirsts.get(i - 1);
            Sample cur = historicalFirsts.get(i);
            assertThat(cur.value()).as("historical values in order (after %s)", prev).isGreaterThan(prev.value());
            assertThat(cur.timestamp()).as("historical timestamps in order (after %s)", prev).isGreaterThanOrEqualTo(prev.timestamp());
        }
        // A DBIRTH repeats the current value, which DDATA may also carry: only DDATA repeats count as duplicates.
        List<Sample> data = samples.stream().filter(x -> !x.birth()).toList();
        int duplicates = data.size() - (int) data.stream().map(Sample::value).distinct().count();
        assertThat(duplicates).as("duplicates (bounded by what was in flight)").isLessThanOrEqualTo(MAX_IN_FLIGHT);

        long storedBeforeKill = expected.stream().filter(c -> c.setAt() >= outageStart && c.setAt() < killAt).count();
        long storedAfterRestart = expected.stream().filter(c -> c.setAt() >= window2Start && c.replacedAt() <= brokerBack).count();
        System.out.printf("kill test: %d values set, %d accepted (expected), %d stored before the kill, %d stored by the restarted "
                + "gateway before the broker came back, %d samples received (%d live, %d historical, %d in DBIRTHs), %d distinct, "
                + "%d duplicates in DDATA, "
                + "bdSeq %d -> %d, gateway CN '%s', JVM flags %s%n",
                changes.size(), expected.size(), storedBeforeKill, storedAfterRestart, samples.size(), samples.size() - historical.size(),
                historical.size(), samples.size() - data.size(), first.size(), duplicates, bdSeq1, bdSeq2, gatewayCn, gateway.jvmFlags());
    }

    /** A value the gateway must have accepted: set inside the window, held two polls, polled and stored before its end. */
    private static boolean accepted(Change c, long windowStart, long windowEnd) {
        return c.setAt() >= windowStart && c.replacedAt() - c.setAt() >= 2 * POLL_MS
                && c.setAt() + 2 * POLL_MS + ACCEPT_MARGIN_MS <= windowEnd;
    }

    private void changeTimes(int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            int value = setValues.size() + 1;
            long before = System.currentTimeMillis(); // the device cannot have the value earlier than this
            device.set(value);
            setValues.add(value);
            setTimes.add(before);
            Thread.sleep(HOLD_MS);
        }
    }

    private int lastValue() {
        return setValues.get(setValues.size() - 1);
    }

    private List<Change> changes(long end) {
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i < setValues.size(); i++) {
            long replaced = i + 1 < setTimes.size() ? setTimes.get(i + 1) : end;
            changes.add(new Change(setValues.get(i), setTimes.get(i), replaced));
        }
        return changes;
    }

    /** Every value of the tag in DBIRTH/DDATA of the device, in arrival order, with the session it came in. */
    private static List<Sample> samplesOf(List<Received> received) {
        List<Sample> samples = new ArrayList<>();
        String births = "spBv1.0/" + GROUP + "/NBIRTH/" + CELL;
        String dbirth = "spBv1.0/" + GROUP + "/DBIRTH/" + CELL + "/" + DEVICE;
        String ddata = "spBv1.0/" + GROUP + "/DDATA/" + CELL + "/" + DEVICE;
        int session = 0;
        Long alias = null;
        for (Received r : received) {
            if (r.topic().equals(births)) {
                session++;
            } else if (r.topic().equals(dbirth)) {
                for (Metric m : r.payload().getMetricsList()) {
                    if (m.getName().equals(TAG)) {
                        alias = m.hasAlias() ? m.getAlias() : null;
                        add(samples, m, r, session, true);
                    }
                }
            } else if (r.topic().equals(ddata)) {
                for (Metric m : r.payload().getMetricsList()) {
                    if ((alias != null && m.hasAlias() && m.getAlias() == alias) || m.getName().equals(TAG)) {
                        add(samples, m, r, session, false);
                    }
                }
            }
        }
        return samples;
    }

    private static void add(List<Sample> samples, Metric m, Received r, int session, boolean birth) {
        if (m.getIsNull() || m.getValueCase() != Metric.ValueCase.INT_VALUE) {
            return; // Bad (is_null) or not yet read: no value to compare
        }
        long timestamp = m.hasTimestamp() ? m.getTimestamp() : r.payload().getTimestamp();
        samples.add(new Sample(m.getIntValue(), timestamp, m.getIsHistorical(), r.index(), session, birth));
    }

    /** seq: NBIRTH 0, then +1 (mod 256) for every further message of the session but NDEATH. */
    private static void assertSeqWithoutGaps(List<Received> all) {
        String prefix = "spBv1.0/" + GROUP + "/";
        long expected = -1;
        for (Received r : all) {
            if (!r.topic().startsWith(prefix) || r.type().equals("NDEATH") || r.type().endsWith("CMD")) {
                continue;
            }
            long seq = r.payload().getSeq();
            if (r.type().equals("NBIRTH")) {
                assertThat(seq).as("seq of %s #%d", r.topic(), r.index()).isZero();
            } else {
                assertThat(seq).as("seq of %s #%d", r.topic(), r.index()).isEqualTo(expected);
            }
            expected = (seq + 1) % 256;
        }
    }
}
