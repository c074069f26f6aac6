package io.cellgate.itest;

import static io.cellgate.itest.SparkplugHost.metric;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cellgate.api.bus.Subscription;
import io.cellgate.api.bus.TagBus;
import io.cellgate.api.bus.TagListener;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.identity.Identity;
import io.cellgate.identity.Roles;
import io.cellgate.itest.SparkplugHost.Received;
import io.cellgate.mqtt.testing.Mosquitto;
import io.cellgate.mqtt.testing.TestCertificates;
import io.cellgate.mqtt.testing.TestCertificates.Issued;
import io.cellgate.sparkplug.proto.SparkplugB.Payload.Metric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Sparkplug edge node in the running gateway, configured only through cell.yaml (mqtt: and sparkplug:
 * sections), against a real mosquitto that requires client certificates and confines the gateway by ACL to
 * {@code spBv1.0/itest/+/<node>/#} (plus reading STATE). A pymodbus device feeds the tag bus; a test host
 * application subscribes with Paho and decodes with the generated Sparkplug classes. The tests run in order on one
 * cell: later ones reconfigure it (tiny outbox, wrong CA).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkplugCellTest {

    private static final String CELL = "cell-sp";
    private static final String GROUP = "itest";
    private static final String DEVICE = "plc-1";
    private static final int SETPOINT_REGISTER = 20;
    private static final int LEVEL_REGISTER = 30;
    private static final int AUX_REGISTER = 40;
    private static final TagPath LEVEL = TagPath.parse(DEVICE + "/level");
    private static final TagPath SETPOINT = TagPath.parse(DEVICE + "/setpoint");
    private static final String MES = "mes";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final CellFixture cell = new CellFixture(SparkplugCellTest.class, WAIT);
    private static ListAppender<ILoggingEvent> log;
    private static PyModbusDevice device;
    private static Path cellDir;
    private static Path brokerDir;
    private static Issued ca;
    private static Mosquitto broker;
    private static SparkplugHost host;
    private static TagBus bus;
    private static Subscription history;
    private static final List<Integer> LEVEL_HISTORY = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startCell() throws Exception {
        PyModbusDevice.requirePymodbus();
        assertThat(Mosquitto.installed()).as("mosquitto (Debian packages mosquitto, mosquitto-clients)").isTrue();
        device = PyModbusDevice.start(Map.of(SETPOINT_REGISTER, 5, LEVEL_REGISTER, 100, AUX_REGISTER, 7));
        log = CellFixture.captureLog();

        // Faster reconnects than the shipped defaults, so that an outage ends soon after the broker is back. Written
        // beside the loader's keys: the loader keeps properties it did not write.
        cell.configure("cellgate.mqtt", Map.of("reconnect.initial.ms", 200L, "reconnect.max.ms", 1000L));
        Path state = Files.createTempDirectory("sparkplug-cell-state");
        cellDir = Files.createTempDirectory("sparkplug-cell");
        brokerDir = Files.createTempDirectory("sparkplug-broker");
        ca = TestCertificates.ca("CellGate itest broker CA");
        TestCertificates.write(cellDir.resolve("broker-ca.pem"), TestCertificates.pem(ca.certificate()));
        TestCertificates.write(cellDir.resolve("other-ca.pem"),
                TestCertificates.pem(TestCertificates.ca("Some other CA").certificate()));
        // First without mqtt: the PKI needs the cell to make the gateway's certificate, which the broker must trust.
        writeCell("");
        cell.configure("cellgate.runtime", Map.of("state.dir", state.toString()));
        cell.configure("cellgate.config", Map.of("directory", cellDir.toString(), "watch.interval", 300L));
        // An identity component of an earlier test class may still be registered: create the user only once the
        // identity bundle works in this state directory, and check it landed there.
        cell.userAdmin(state).createApplication(Identity.SYSTEM, MES, Set.of(Roles.OPERATOR));
        cell.awaitUsersStored(state, MES);

        // The broker must trust and name in its ACL this cell's certificate, not an earlier test class's (seen in
        // CI: the node could never connect).
        X509Certificate gateway = cell.gatewayCertificate(state);
        broker = CellFixture.broker(brokerDir, ca, gateway, GROUP, CELL, "persistence true",
                "persistence_location " + brokerDir + "/", "queue_qos0_messages true");
        broker.start();
        host = new SparkplugHost(ca, () -> broker.sslUrl(), "host", GROUP, WAIT,
                () -> "; the node's last log lines:\n" + nodeLog()).persistentSession();
        host.connect();

        bus = cell.service(TagBus.class);
        history = bus.subscribe(new TagListener() {
            @Override
            public void onValue(TagInfo tag, TagValue value) {
                if (tag.path().equals(LEVEL) && value.isGood()) {
                    LEVEL_HISTORY.add(((Number) value.value()).intValue());
                }
            }
        });
        cell.await("level on the tag bus", () -> bus.value(LEVEL).map(TagValue::isGood).orElse(false));
        writeCell(mqtt("broker-ca.pem") + sparkplug(""));
    }

    @AfterAll
    static void stopCell() throws Exception {
        if (history != null) {
            history.close();
        }
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

    // ------------------------------------------------------------------ (a) births and live data

    @Test
    @Order(1)
    void cellWithMqttSection_nbirthDbirthAndLiveDdata() throws Exception {
        Received nbirth = host.await("NBIRTH", r -> r.type().equals("NBIRTH"));
        assertThat(nbirth.topic()).isEqualTo("spBv1.0/" + GROUP + "/NBIRTH/" + CELL);
        assertThat(nbirth.payload().getSeq()).isZero();
        metric(nbirth.payload(), "Node Control/Rebirth");
        Received dbirth = host.await("DBIRTH", r -> r.type().equals("DBIRTH"));
        assertThat(dbirth.topic()).isEqualTo("spBv1.0/" + GROUP + "/DBIRTH/" + CELL + "/" + DEVICE);
        assertThat(metric(dbirth.payload(), "level").getIntValue()).isEqualTo(device.register(LEVEL_REGISTER));

        device.set(LEVEL_REGISTER, 4321);

        Received ddata = host.await("DDATA with level 4321", r -> r.type().equals("DDATA")
                && r.payload().getMetricsList().stream().anyMatch(m -> m.getIntValue() == 4321));
        assertThat(ddata.topic()).isEqualTo("spBv1.0/" + GROUP + "/DDATA/" + CELL + "/" + DEVICE);
        assertThat(ddata.payload().getMetrics(0).getAlias()).isEqualTo(metric(dbirth.payload(), "level").getAlias());
        assertThat(ddata.payload().getMetrics(0).getIsHistorical()).isFalse();
    }

    // ------------------------------------------------------------------ (b), (c) commands

    @Test
    @Order(2)
    void dcmd_grantedTag_deviceWrittenAndReadBackInDdata() throws Exception {
        Metric birth = metric(host.await("DBIRTH", r -> r.type().equals("DBIRTH")).payload(), "setpoint");

        host.command(CELL, DEVICE, "setpoint", birth.getDatatype(), 42);

        cell.await("the device's setpoint register is 42", () -> device.register(SETPOINT_REGISTER) == 42);
        host.await("DDATA with the read-back setpoint 42", r -> r.type().equals("DDATA")
                && r.payload().getMetricsList().stream().anyMatch(m -> m.getAlias() == birth.getAlias()
                        && m.getIntValue() == 42));
        assertThat(bus.value(SETPOINT).map(v -> ((Number) v.value()).intValue())).contains(42);
        // Allowed by the policy engine's rule for the cell's access: entry, not by any stand-in.
        assertThat(audits(DEVICE + "/setpoint")).anySatisfy(a -> assertThat(a).contains(MES)
                .contains("rule=Operator|write|" + DEVICE + "/setpoint"));
    }

    @Test
    @Order(3)
    void dcmd_tagNotGranted_deviceUnchangedAndAudited() throws Exception {
        Metric birth = metric(host.await("DBIRTH", r -> r.type().equals("DBIRTH")).payload(), "aux");
        long writesBefore = device.writeRequests();
        int auditsBefore = audits(DEVICE + "/aux").size();

        host.command(CELL, DEVICE, "aux", birth.getDatatype(), 99);

        cell.await("an audit record of the refused write", () -> audits(DEVICE + "/aux").size() > auditsBefore);
        assertThat(audits(DEVICE + "/aux").get(auditsBefore)).contains(MES).containsIgnoringCase("denied")
                .as("the policy engine's default deny").contains("no rule allows write on " + DEVICE + "/aux");
        assertThat(device.register(AUX_REGISTER)).isEqualTo(7);
        assertThat(device.writeRequests()).as("Modbus write requests").isEqualTo(writesBefore);
    }

    // ------------------------------------------------------------------ (d) outage: store and forward

    @Test
    @Order(4)
    void brokerStopped_changesWhileDown_replayedInOrderAsHistoricalAfterTheBirths() throws Exception {
        host.close();
        broker.stop();
        int from = LEVEL_HISTORY.size();
        for (int v = 500; v < 510; v++) {
            int value = v;
            device.set(LEVEL_REGISTER, value);
            cell.await("level " + value + " on the tag bus", () -> bus.value(LEVEL).map(TagValue::value)
                    .map(x -> ((Number) x).intValue() == value).orElse(false));
        }
        List<Integer> whileDown = List.copyOf(LEVEL_HISTORY.subList(from, LEVEL_HISTORY.size()));
        assertThat(whileDown).as("tag bus history while the broker was down").contains(500, 509);

        int down = host.received().size();
        broker.start();
        host.connect();

        int nbirth = host.indexOf(down, "NBIRTH after the outage", r -> r.type().equals("NBIRTH"));
        host.await("replay of level 509", r -> r.type().equals("DDATA") && r.payload().getMetricsList().stream()
                .anyMatch(m -> m.getIsHistorical() && m.getIntValue() == 509));
        List<Integer> replayed = new ArrayList<>();
        for (Received r : host.received().subList(nbirth, host.received().size())) {
            if (r.type().equals("DDATA")) {
                r.payload().getMetricsList().stream().filter(Metric::getIsHistorical).map(Metric::getIntValue)
                        .filter(v -> v >= 500 && v < 510).forEach(replayed::add);
            }
        }
        assertThat(replayed).as("historical level values after the births").containsSubsequence(whileDown)
                .containsAll(whileDown);
        assertThat(replayed.stream().distinct().toList()).as("in order").isEqualTo(
                whileDown.stream().distinct().toList());
    }

    // ------------------------------------------------------------------ (e) outbox full

    @Test
    @Order(5)
    void outboxFullDropOldest_dropsCountedAndBirthsPass() throws Exception {
        int before = host.received().size();
        writeCell(mqtt("broker-ca.pem") + sparkplug("  outbox: { maxBytes: 1KiB, overflow: drop-oldest }\n"));
        int death = host.indexOf(before, "NDEATH of the reconfigured node", r -> r.type().equals("NDEATH"));
        host.indexOf(death, "NBIRTH with the tiny outbox", r -> r.type().equals("NBIRTH"));
        host.close();
        broker.stop();
        for (int v = 1000; v < 1060; v++) {
            int value = v;
            device.set(LEVEL_REGISTER, value);
            cell.await("level " + value + " on the tag bus", () -> bus.value(LEVEL).map(TagValue::value)
                    .map(x -> ((Number) x).intValue() == value).orElse(false));
        }

        int down = host.received().size();
        broker.start();
        host.connect();

        int i = host.indexOf(down, "NBIRTH after the overflow", r -> r.type().equals("NBIRTH"));
        Received nbirth = host.received().get(i);
        assertThat(metric(nbirth.payload(), "Outbox/Dropped").getLongValue()).as("dropped entries").isPositive();
        host.indexOf(i, "DBIRTH after the overflow", r -> r.type().equals("DBIRTH"));
        host.await("replay of the newest level 1059", r -> r.type().equals("DDATA") && r.payload().getMetricsList()
                .stream().anyMatch(m -> m.getIntValue() == 1059));
    }

    // ------------------------------------------------------------------ (f) wrong CA

    @Test
    @Order(6)
    void wrongBrokerCa_noConnectionAndTheErrorLogged() throws Exception {
        int logged = CellFixture.events(log, 0).size();
        int before = host.received().size();
        writeCell(mqtt("other-ca.pem") + sparkplug(""));
        host.indexOf(before, "NDEATH of the reconfigured node", r -> r.type().equals("NDEATH"));
        int seen = host.received().size();

        cell.await("a certificate error in the log", () -> tlsErrors(logged) > 0);
        device.set(LEVEL_REGISTER, 7777);
        cell.await("level 7777 on the tag bus", () -> bus.value(LEVEL).map(TagValue::value)
                .map(x -> ((Number) x).intValue() == 7777).orElse(false));
        Thread.sleep(3000); // several reconnect attempts (200 ms .. 1 s apart): none may succeed

        assertThat(host.received().subList(seen, host.received().size())).as("messages from the node").isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private static long tlsErrors(int from) {
        return CellFixture.events(log, from).stream()
                .filter(e -> e.getLoggerName().endsWith(".MqttSession"))
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("cellgate-" + CELL) && m.contains("the broker's certificate is not trusted"))
                .count();
    }

    private static List<String> audits(String resource) {
        return CellFixture.events(log, 0).stream().filter(e -> e.getLoggerName().equals("cellgate.audit"))
                .map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("resource=" + resource)).toList();
    }

    /** The last log lines of the MQTT/Sparkplug and PKI bundles, for a failure message (CI shows only its tail). */
    private static String nodeLog() {
        List<String> lines = CellFixture.events(log, 0).stream()
                .filter(e -> e.getLoggerName().startsWith("io.cellgate.mqtt") || e.getLoggerName().startsWith("io.cellgate.pki")
                        || e.getLoggerName().startsWith("io.cellgate.sparkplug"))
                .map(e -> e.getLevel() + " " + e.getLoggerName().substring(e.getLoggerName().lastIndexOf('.') + 1) + " "
                        + e.getFormattedMessage())
                .toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    }

    private static String mqtt(String caFile) {
        return CellFixture.mqttSection(broker.sslUrl(), caFile);
    }

    private static String sparkplug(String more) {
        return CellFixture.sparkplugSection(GROUP, MES, "1h") + more;
    }

    private static void writeCell(String northbound) throws IOException {
        CellFixture.writeProfile(cellDir, "test-plc", "Test PLC", """
                  - { name: setpoint, area: holding_register, address: %d, type: int16, access: read_write, min: 0, max: 100 }
                  - { name: level, area: holding_register, address: %d, type: uint16 }
                  - { name: aux, area: holding_register, address: %d, type: uint16, access: read_write }
                """.formatted(SETPOINT_REGISTER, LEVEL_REGISTER, AUX_REGISTER));
        Files.writeString(cellDir.resolve("cell.yaml"), """
                cell:
                  id: %s
                pollGroups:
                  fast: 100ms
                defaults:
                  timeout: 500ms
                  retries: 0
                devices:
                  - id: %s
                    profile: test-plc
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
                  port: %d
                """.formatted(CELL, DEVICE, device.port(), DEVICE, Mosquitto.freePort()) + northbound);
    }
}
