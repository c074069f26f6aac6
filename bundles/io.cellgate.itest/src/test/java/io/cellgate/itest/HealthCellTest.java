package io.cellgate.itest;

import static io.cellgate.itest.CellFixture.await;
import static io.cellgate.itest.SparkplugHost.metric;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cellgate.api.health.FirewallStatus;
import io.cellgate.api.health.GatewayHealth;
import io.cellgate.api.health.HealthMetric;
import io.cellgate.api.health.MetricType;
import io.cellgate.api.health.SecurityEvent;
import io.cellgate.identity.Identity;
import io.cellgate.identity.Roles;
import io.cellgate.identity.UserAdmin;
import io.cellgate.itest.SparkplugHost.Received;
import io.cellgate.mqtt.testing.Mosquitto;
import io.cellgate.mqtt.testing.TestCertificates;
import io.cellgate.mqtt.testing.TestCertificates.Issued;
import io.cellgate.pki.GatewayPki;
import io.cellgate.pki.TrustList;
import io.cellgate.sparkplug.proto.SparkplugB.Payload;
import io.cellgate.sparkplug.proto.SparkplugB.Payload.Metric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The health twin end to end: the real health, driver, OPC UA, boundary and Sparkplug bundles of one cell, a pymodbus
 * device, a Milo client and a real mosquitto (mutual TLS). Every health metric the gateway has is asserted in the
 * NBIRTH the MES receives, with its Sparkplug datatype; then, after a short learning window, each anomaly of the
 * baseline is caused for real (a new OPC UA user, a burst of failed OPC UA logins, DCMD writes above the learned rate,
 * a device answering an exception code it never sent, a device answering slowly) and found three ways: in the audit
 * trail ({@code health.event}), as a Sparkplug NDATA ({@code Health/Events/...}) on mosquitto, and in the
 * {@link GatewayHealth} service the console and /metrics read. The tests run in order on one cell.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealthCellTest {

    private static final String CELL = "cell-health";
    private static final String GROUP = "itest-health";
    private static final String DEVICE = "plc-h";
    private static final String MES = "mes";
    private static final String ALICE = "alice";
    private static final String BOB = "bob";
    private static final String PASSWORD = "correct horse battery 42";
    private static final String CLIENT_URI = "urn:cellgate:itest:health-client";
    private static final int SETPOINT_REGISTER = 20;
    private static final int LEVEL_REGISTER = 30;
    /** The learning window: long enough for a few poll-rate samples (one a second), short for a test. */
    private static final double LEARNING_HOURS = 20.0 / 3600;
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** A new Sparkplug name needs a rebirth, at most once a minute (EdgeNode.HEALTH_REBIRTH_MILLIS). */
    private static final Duration REBIRTH_WAIT = Duration.ofSeconds(100);

    private static final CellFixture cell = new CellFixture(HealthCellTest.class, WAIT);
    private static ListAppender<ILoggingEvent> log;
    private static PyModbusDevice device;
    private static Path cellDir;
    private static Path state;
    private static Issued ca;
    private static Mosquitto broker;
    private static SparkplugHost host;
    private static GatewayHealth health;
    private static int opcuaPort;
    private static OpcUaTestClient application;
    private static EndpointDescription endpoint;

    @BeforeAll
    static void startCell() throws Exception {
        PyModbusDevice.requirePymodbus();
        assertThat(Mosquitto.installed()).as("mosquitto (Debian packages mosquitto, mosquitto-clients)").isTrue();
        device = PyModbusDevice.start(Map.of(SETPOINT_REGISTER, 5, LEVEL_REGISTER, 100));
        log = CellFixture.captureLog();

        // Sampled every second, a 20 s learning window, holds of 1 s and a burst of 3: the scenarios below in seconds.
        cell.configure("cellgate.health", Map.of("sample.interval.s", 1L, "learning.hours", LEARNING_HOURS,
                "alarm.hold.s", 1L, "device.down.hold.s", 1L, "login.burst", 3L));
        cell.configure("cellgate.mqtt", Map.of("reconnect.initial.ms", 200L, "reconnect.max.ms", 1000L));
        state = Files.createTempDirectory("health-cell-state");
        cellDir = Files.createTempDirectory("health-cell");
        Path brokerDir = Files.createTempDirectory("health-broker");
        ca = TestCertificates.ca("CellGate health itest broker CA");
        TestCertificates.write(cellDir.resolve("broker-ca.pem"), TestCertificates.pem(ca.certificate()));
        opcuaPort = CellFixture.freePort();
        writeCell("");
        cell.configure("cellgate.runtime", Map.of("state.dir", state.toString()));
        cell.configure("cellgate.config", Map.of("directory", cellDir.toString(), "watch.interval", 300L));
        UserAdmin userAdmin = cell.userAdmin(state);
        userAdmin.createApplication(Identity.SYSTEM, MES, Set.of(Roles.OPERATOR));
        userAdmin.createUser(Identity.SYSTEM, ALICE, Set.of(Roles.OBSERVER), PASSWORD.toCharArray());
        userAdmin.createUser(Identity.SYSTEM, BOB, Set.of(Roles.OBSERVER), PASSWORD.toCharArray());
        cell.awaitUsersStored(state, MES, ALICE, BOB);

        X509Certificate gateway = cell.gatewayCertificate(state);
        // A trusted OPC UA client application: its certificate is one whose expiry health reports.
        application = OpcUaTestClient.create("health itest client", CLIENT_URI, Period.ofDays(20));
        cell.service(GatewayPki.class).trustStore().add(TrustList.TRUSTED, application.certificate);

        broker = CellFixture.broker(brokerDir, ca, gateway, GROUP, CELL);
        broker.start();
        host = new SparkplugHost(ca, () -> broker.sslUrl(), "host-health", GROUP, WAIT, () -> "").namingAliases();
        host.connect();
        health = cell.service(GatewayHealth.class);
        writeCell(northbound());
        endpoint = OpcUaTestClient.awaitEndpoint(opcuaPort, WAIT);
    }

    @AfterAll
    static void stopCell() throws Exception {
        cell.deleteConfigurations();
        CellFixture.release(log);
        if (host != null) {
            host.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (device != null) {
            device.close();
        }
    }

    // ------------------------------------------------------------------ every metric, on mosquitto

    /** The metrics every cell has, named here so that one that goes missing fails (the service's set is checked too). */
    private static List<String> expectedNames() {
        List<String> names = new ArrayList<>();
        for (String n : List.of("Uptime", "Version", "Config Hash", "Process CPU", "Heap Used", "Heap Max",
                "Heap Used Ratio", "Threads", "Disk Free", "Disk Free Ratio", "Clock Synchronized",
                "Certificate Expiry Days")) {
            names.add("Health/Gateway/" + n);
        }
        for (String n : List.of("State", "Down", "Last Good Read Age", "Polls", "Poll Errors", "Requests",
                "Round Trip Last", "Round Trip P50", "Round Trip P99", "Bad Tag Ratio", "Poll Rate Ratio", "Poll Time Last",
                "Poll Interval", "Errors/timeout", "Errors/bad_response", "Errors/connect", "Errors/connection_lost",
                "Errors/refused")) {
            names.add("Health/Devices/" + DEVICE + "/" + n);
        }
        for (String n : List.of("Failed Logins", "Lockouts", "Denied Accesses", "Writes", "Audit Records Seen",
                "Audit Chain OK", "Audit Writable", "Firewall Drift", "Firewall Differences", "Firewall State",
                "Firewall Listing Age")) {
            names.add("Health/Security/" + n);
        }
        for (String n : List.of("Count", "Last", "Last Severity", "Last Count", "Learning")) {
            names.add("Health/Events/" + n);
        }
        for (String n : List.of("Active", "Highest Severity", "List")) {
            names.add("Health/Alarms/" + n);
        }
        for (String n : List.of("MQTT Online", "Outbox Fill Ratio", "Outbox Entries", "Outbox Dropped", "Replaying",
                "Replayed Entries", "OPC UA Sessions", "OPC UA Rejected/Untrusted Certificate",
                "OPC UA Rejected/Bad User Token", "OPC UA Denied Requests")) {
            names.add("Health/Northbound/" + n);
        }
        names.add("Health/Certificates/Trusted health itest client/Expiry Days");
        return names;
    }

    @Test
    @Order(1)
    void nbirth_carriesEveryHealthMetricWithItsDatatype() throws Exception {
        await("every expected metric in the health service", WAIT, () -> names(health.metrics())
                .containsAll(expectedNames()));
        Received nbirth = host.await("an NBIRTH with every health metric", REBIRTH_WAIT, r -> r.type().equals("NBIRTH")
                && names(r.payload()).containsAll(names(health.metrics())));

        for (HealthMetric m : health.metrics()) {
            Metric sent = metric(nbirth.payload(), m.name());
            assertThat(sent.getDatatype()).as("Sparkplug datatype of %s", m.name()).isEqualTo(datatype(m.type()));
        }
        assertThat(names(nbirth.payload())).containsAll(expectedNames());
        // values the MES can act on, as sent
        assertThat(metric(nbirth.payload(), "Health/Devices/" + DEVICE + "/State").getStringValue()).isEqualTo("CONNECTED");
        assertThat(metric(nbirth.payload(), "Health/Northbound/MQTT Online").getBooleanValue()).isTrue();
        assertThat(metric(nbirth.payload(), "Health/Security/Firewall State").getStringValue()).isEqualTo("UNKNOWN");
        assertThat(metric(nbirth.payload(), "Health/Security/Firewall Drift").getIsNull()).isTrue();
        assertThat(metric(nbirth.payload(), "Health/Certificates/Trusted health itest client/Expiry Days").getLongValue())
                .isBetween(18L, 20L);
        host.await("the DBIRTH of " + DEVICE, WAIT, r -> r.type().equals("DBIRTH") && r.topic().endsWith("/" + DEVICE));
    }

    @Test
    @Order(2)
    void ndata_driverStatisticsAndCertificateAlarm() throws Exception {
        String p = "Health/Devices/" + DEVICE + "/";
        Received r = host.await("a node message with the device's round trip percentiles", WAIT, m -> has(m.payload(),
                p + "Round Trip P99", x -> !x.getIsNull() && x.getDoubleValue() > 0));
        assertThat(value(p + "Round Trip P50")).isInstanceOf(Double.class);
        assertThat((Double) value(p + "Round Trip P50")).isPositive().isLessThanOrEqualTo((Double) value(p + "Round Trip P99"));
        assertThat((Long) value(p + "Requests")).isPositive();
        assertThat((Double) value(p + "Poll Interval")).isEqualTo(0.1);
        assertThat((Double) value(p + "Poll Time Last")).isPositive();
        assertThat(value(p + "Errors/timeout")).isEqualTo(0L);
        assertThat(r.topic()).isIn("spBv1.0/" + GROUP + "/NDATA/" + CELL, "spBv1.0/" + GROUP + "/NBIRTH/" + CELL);
        // the client certificate expires in 20 days: under 30, its alarm is raised and reported
        await("alarm peer.certificate.expiry", WAIT, () -> health.alarms().stream()
                .anyMatch(a -> a.rule().equals("peer.certificate.expiry")));
        host.await("NDATA or NBIRTH naming the certificate alarm", REBIRTH_WAIT, m -> has(m.payload(),
                "Health/Alarms/List", x -> x.getStringValue().contains("peer.certificate.expiry")));
    }

    // ------------------------------------------------------------------ the baseline, learned

    @Test
    @Order(3)
    void learning_aliceAndOneWrite_thenLearningEnds() throws Exception {
        // What is normal here: alice reads over OPC UA, the MES writes a setpoint once.
        OpcUaClient alice = connect(ALICE, PASSWORD);
        try {
            await("OPC UA Sessions 1", WAIT, () -> Long.valueOf(1).equals(valueOrNull("Health/Northbound/OPC UA Sessions")));
        } finally {
            alice.disconnect();
        }
        Metric birth = metric(host.await("DBIRTH", WAIT, m -> m.type().equals("DBIRTH")).payload(), "setpoint");
        host.command(CELL, DEVICE, birth.getName(), birth.getDatatype(), 7);
        await("the setpoint written", WAIT, () -> device.register(SETPOINT_REGISTER) == 7);
        await("learning over", Duration.ofSeconds(60), () -> Boolean.FALSE.equals(valueOrNull("Health/Events/Learning")));
        assertThat(health.eventCount()).as("no events while learning").isZero();
    }

    // ------------------------------------------------------------------ each anomaly, for real

    @Test
    @Order(4)
    void newOpcUaClientIdentity_eventAuditedPublishedAndInTheService() throws Exception {
        OpcUaClient bob = connect(BOB, PASSWORD);
        bob.disconnect();

        SecurityEvent e = awaitEvent("new.client", BOB + " from 127.0.0.1");
        assertThat(e.explanation()).contains(BOB);
        assertThat(audited("health.event", "new.client " + BOB)).hasSize(1).first().asString().contains("MEDIUM");
        host.await("NDATA with the new.client event", WAIT, m -> has(m.payload(), "Health/Events/Last",
                x -> x.getStringValue().startsWith("new.client " + BOB)));
        assertThat(audits("health.event", "new.client " + ALICE)).as("alice was learned").isEmpty();
    }

    @Test
    @Order(5)
    void burstOfFailedLogins_oneEventAggregatedNoFlood() throws Exception {
        long rejectedBefore = (Long) value("Health/Northbound/OPC UA Rejected/Bad User Token");
        for (int i = 0; i < 3; i++) {
            failLogin("mallory" + i);
        }
        SecurityEvent e = awaitEvent("login.burst", "127.0.0.1");
        assertThat(e.severity().name()).isEqualTo("HIGH");
        host.await("NDATA with the login.burst event", WAIT, m -> has(m.payload(), "Health/Events/Last Severity",
                x -> x.getStringValue().equals("HIGH")) && has(m.payload(), "Health/Events/Last",
                        x -> x.getStringValue().startsWith("login.burst 127.0.0.1")));
        long eventsAfterBurst = health.eventCount();

        // the flood: ten more failed logins from the same host stay one event, counted into it
        for (int i = 3; i < 13; i++) {
            failLogin("mallory" + i);
        }
        await("the repeats counted into the event", WAIT, () -> health.events().stream()
                .anyMatch(x -> x.kind().equals("login.burst") && x.count() > 1));
        await("Failed Logins counted", WAIT, () -> valueOrNull("Health/Security/Failed Logins") instanceof Long n && n >= 13);
        assertThat(health.eventCount()).as("events reported").isEqualTo(eventsAfterBurst);
        assertThat(audited("health.event", "login.burst 127.0.0.1")).as("audited once").hasSize(1);
        assertThat((Long) value("Health/Northbound/OPC UA Rejected/Bad User Token")).isGreaterThanOrEqualTo(
                rejectedBefore + 13);
        assertThat((Long) value("Health/Events/Last Count")).isGreaterThan(1);
        host.await("NDATA with the aggregated count", WAIT, m -> has(m.payload(), "Health/Events/Last Count",
                x -> x.getLongValue() > 1));
    }

    @Test
    @Order(6)
    void writeRateAboveBaseline_event() throws Exception {
        Metric setpoint = metric(host.await("DBIRTH", WAIT, m -> m.type().equals("DBIRTH")).payload(), "setpoint");
        for (int v = 10; v < 15; v++) {
            host.command(CELL, DEVICE, setpoint.getName(), setpoint.getDatatype(), v);
            int value = v;
            await("setpoint " + v + " written", WAIT, () -> device.register(SETPOINT_REGISTER) == value);
        }
        SecurityEvent e = awaitEvent("write.rate", MES);
        assertThat(e.explanation()).contains("learned peak");
        assertThat(audited("health.event", "write.rate " + MES)).hasSize(1);
        host.await("NDATA with the write.rate event", WAIT, m -> has(m.payload(), "Health/Events/Last",
                x -> x.getStringValue().startsWith("write.rate " + MES)));
        assertThat((Long) value("Health/Security/Writes")).isGreaterThanOrEqualTo(6);
    }

    @Test
    @Order(7)
    void deviceAnswersAnExceptionItNeverSent_eventErrorsByKindAndDownAlarm() throws Exception {
        device.fault(4); // slave device failure
        try {
            SecurityEvent e = awaitEvent("device.exception", DEVICE + " exception 0x04 function 3");
            assertThat(e.severity().name()).isEqualTo("MEDIUM");
            assertThat(audited("health.event", "device.exception " + DEVICE)).hasSize(1);
            String errors = "Health/Devices/" + DEVICE + "/Errors/exception_0x04";
            await(errors + " counted", WAIT, () -> valueOrNull(errors) instanceof Long n && n > 0);
            await("alarm device.down", WAIT, () -> health.alarms().stream().anyMatch(a -> a.rule().equals("device.down")));
            host.await("Sparkplug: the new error kind (after a rebirth) and the alarm", REBIRTH_WAIT, m -> has(m.payload(),
                    errors, x -> x.getLongValue() > 0) || m.type().equals("NDATA") && has(m.payload(), "Health/Alarms/List",
                            x -> x.getStringValue().contains("device.down Health/Devices/" + DEVICE + "/Down")));
            host.await("NBIRTH with " + errors, REBIRTH_WAIT, m -> m.type().equals("NBIRTH")
                    && has(m.payload(), errors, x -> x.getLongValue() > 0));
            host.await("NDATA with the device.exception event", WAIT, m -> has(m.payload(), "Health/Events/Last",
                    x -> x.getStringValue().startsWith("device.exception " + DEVICE)));
        } finally {
            device.fault(0);
        }
        await("alarm device.down cleared", WAIT, () -> health.alarms().stream().noneMatch(a -> a.rule().equals("device.down")));
    }

    @Test
    @Order(8)
    void pollTimingDrift_slowDevice_event() throws Exception {
        device.delay(350); // every poll of the 100 ms group now takes 350 ms: about a third of the polls due
        try {
            SecurityEvent e = awaitEvent("poll.drift", DEVICE);
            assertThat(e.explanation()).contains("learned");
            assertThat(audited("health.event", "poll.drift " + DEVICE)).hasSize(1);
            host.await("NDATA with the poll.drift event", WAIT, m -> has(m.payload(), "Health/Events/Last",
                    x -> x.getStringValue().startsWith("poll.drift " + DEVICE)));
            assertThat((Double) value("Health/Devices/" + DEVICE + "/Poll Time Last")).isGreaterThan(0.3);
        } finally {
            device.delay(0);
        }
    }

    // ------------------------------------------------------------------ firewall drift

    @Test
    @Order(9)
    void firewallDrift_rootListingOfANamespace_noDriftThenRuleAddedByHand_driftAndAlarm() throws Exception {
        Path lister = Path.of(System.getProperty("cellgate.itest.firewallList", "missing"));
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(lister) && runs("ip", "netns", "list")
                && runs("nft", "--version"), "root with ip netns and nft, and the Debian package's lister " + lister);
        FirewallStatus firewall = cell.service(FirewallStatus.class);
        writeCell(northbound() + "firewall:\n  north: plant0\n  south: cell0\n  resolveNames: true\n");
        await("the ruleset generated from the firewall: section", Duration.ofSeconds(60),
                () -> firewall.report().generated().contains("table inet cellgate"));
        String ns = "cg-health-" + ProcessHandle.current().pid();
        Path ruleset = Files.createTempFile("cellgate", ".nft");
        Files.writeString(ruleset, firewall.report().generated());
        run("ip", "netns", "add", ns);
        try {
            // the host's running ruleset, as an administrator loads it, then the root timer's listing of it
            run("ip", "netns", "exec", ns, "nft", "-f", ruleset.toString());
            list(lister, ns);
            await("Firewall State NO_DRIFT", Duration.ofSeconds(60), () -> "NO_DRIFT".equals(
                    valueOrNull("Health/Security/Firewall State")));
            assertThat(value("Health/Security/Firewall Drift")).isEqualTo(false);
            assertThat(value("Health/Security/Firewall Differences")).isEqualTo(0L);

            run("ip", "netns", "exec", ns, "nft", "insert", "rule", "inet", "cellgate", "input", "tcp", "dport", "4444",
                    "accept");
            list(lister, ns);
            await("Firewall Drift true", Duration.ofSeconds(60), () -> Boolean.TRUE.equals(
                    valueOrNull("Health/Security/Firewall Drift")));
            assertThat(firewall.report().differences()).anyMatch(d -> d.contains("tcp dport 4444 accept"));
            await("alarm firewall.drift", WAIT, () -> health.alarms().stream()
                    .anyMatch(a -> a.rule().equals("firewall.drift")));
            // each in the NDATA of the sample where it changed
            host.await("Sparkplug: the drift", WAIT, m -> has(m.payload(), "Health/Security/Firewall Drift",
                    x -> !x.getIsNull() && x.getBooleanValue()));
            host.await("Sparkplug: the firewall.drift alarm", WAIT, m -> has(m.payload(), "Health/Alarms/List",
                    x -> x.getStringValue().contains("firewall.drift")));
            host.await("Sparkplug: the differences", WAIT, m -> has(m.payload(), "Health/Security/Firewall Differences",
                    x -> x.getLongValue() > 0));
        } finally {
            runs("ip", "netns", "del", ns);
            writeCell(northbound());
        }
    }

    /** Runs the Debian package's lister (as root, in the namespace) into the cell's state directory. */
    private static void list(Path lister, String ns) throws Exception {
        ProcessBuilder b = new ProcessBuilder("ip", "netns", "exec", ns, "sh", lister.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        // the package's paths, here the test's state directory and a group that exists on every machine
        b.environment().put("CELLGATE_STATE", state.toString());
        b.environment().put("CELLGATE_GROUP", "root");
        Process p = b.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("the lister's exit status").isZero();
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // ------------------------------------------------------------------ helpers

    private static SecurityEvent awaitEvent(String kind, String subject) throws InterruptedException {
        await("security event " + kind + " " + subject + " (have " + health.events() + ")", WAIT, () -> health.events()
                .stream().anyMatch(e -> e.kind().equals(kind) && e.subject().equals(subject)));
        return health.events().stream().filter(e -> e.kind().equals(kind) && e.subject().equals(subject)).findFirst()
                .orElseThrow();
    }

    private static Object value(String name) {
        return health.metrics().stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no health metric " + name)).value();
    }

    /** For waits: the metric's value, or null while the metric does not exist yet (a new error kind, say). */
    private static Object valueOrNull(String name) {
        return health.metrics().stream().filter(m -> m.name().equals(name)).findFirst().map(HealthMetric::value)
                .orElse(null);
    }

    private static Set<String> names(List<HealthMetric> metrics) {
        Set<String> out = new java.util.TreeSet<>();
        metrics.forEach(m -> out.add(m.name()));
        return out;
    }

    private static Set<String> names(Payload p) {
        Set<String> out = new java.util.TreeSet<>();
        p.getMetricsList().forEach(m -> out.add(m.getName()));
        return out;
    }

    private static boolean has(Payload p, String name, Predicate<Metric> test) {
        return p.getMetricsList().stream().anyMatch(m -> name.equals(m.getName()) && test.test(m));
    }

    /** Sparkplug B datatypes (specification 3.0, 6.4.16). */
    private static int datatype(MetricType t) {
        return switch (t) {
            case INT64 -> 4;
            case DOUBLE -> 10;
            case BOOLEAN -> 11;
            case STRING -> 12;
        };
    }

    /** The audit records of an action on a resource, once there is one (it is written just after the event is). */
    private static List<String> audited(String action, String resource) throws InterruptedException {
        await("an audit record " + action + " " + resource, WAIT, () -> !audits(action, resource).isEmpty());
        return audits(action, resource);
    }

    /** Audit records (the trail logs each as a line of logger cellgate.audit) of an action on a resource. */
    private static List<String> audits(String action, String resource) {
        return CellFixture.events(log, 0).stream().filter(e -> e.getLoggerName().equals("cellgate.audit"))
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains(" " + action + " ") && m.contains("resource=" + resource)).toList();
    }

    private static void failLogin(String user) throws Exception {
        try {
            OpcUaClient c = connect(user, "wrong password");
            c.disconnect();
            throw new AssertionError("user " + user + " logged in with a wrong password");
        } catch (Exception e) {
            // refused, as it must be (Bad_UserAccessDenied)
        }
    }

    private static OpcUaClient connect(String user, String password) throws Exception {
        return application.connect(endpoint, user, password);
    }

    private static String northbound() {
        return CellFixture.mqttSection(broker.sslUrl(), "broker-ca.pem") + CellFixture.sparkplugSection(GROUP, MES, "1s");
    }

    private static void writeCell(String northbound) throws IOException {
        CellFixture.writeProfile(cellDir, "health-plc", "Test PLC", """
                  - { name: setpoint, area: holding_register, address: %d, type: int16, access: read_write, min: 0, max: 100 }
                  - { name: level, area: holding_register, address: %d, type: uint16 }
                """.formatted(SETPOINT_REGISTER, LEVEL_REGISTER));
        Files.writeString(cellDir.resolve("cell.yaml"), """
                cell:
                  id: %s
                pollGroups:
                  fast: 100ms
                defaults:
                  timeout: 1s
                  retries: 0
                devices:
                  - id: %s
                    profile: health-plc
                    endpoint: { protocol: modbus-tcp, host: 127.0.0.1, port: %d }
                access:
                  - role: Observer
                    tags: ["*/*"]
                    allow: [browse, read, subscribe]
                  - role: Operator
                    tags: ["%s/setpoint"]
                    allow: [write]
                opcua:
                  bindAddress: 127.0.0.1
                  hostname: localhost
                  port: %d
                  certificate: { dnsNames: [localhost], ipAddresses: [127.0.0.1] }
                """.formatted(CELL, DEVICE, device.port(), DEVICE, opcuaPort) + northbound);
    }
}
