package io.cellgate.itest;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
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
import io.cellgate.identity.UserAdmin;
import io.cellgate.itest.SparkplugHost.Received;
import io.cellgate.mqtt.testing.Mosquitto;
import io.cellgate.mqtt.testing.TestCertificates;
import io.cellgate.mqtt.testing.TestCertificates.Issued;
import io.cellgate.pki.GatewayPki;
import io.cellgate.sparkplug.proto.SparkplugB.Payload;
import io.cellgate.sparkplug.proto.SparkplugB.Payload.Metric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.LoggerFactory;

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

    private static final List<Configuration> CONFIGURATIONS = new ArrayList<>();
    private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();
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
        BundleContext context = FrameworkUtil.getBundle(SparkplugCellTest.class).getBundleContext();
        ConfigurationAdmin cm = service(context, ConfigurationAdmin.class);
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        LOG.setContext(logback);
        LOG.start();
        logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(LOG);

        // Faster reconnects than the shipped defaults, so that an outage ends soon after the broker is back. Written
        // beside the loader's keys: the loader keeps properties it did not write.
        configure(cm, "cellgate.mqtt", Map.of("reconnect.initial.ms", 200L, "reconnect.max.ms", 1000L));
        Path state = Files.createTempDirectory("sparkplug-cell-state");
        cellDir = Files.createTempDirectory("sparkplug-cell");
        brokerDir = Files.createTempDirectory("sparkplug-broker");
        ca = TestCertificates.ca("CellGate itest broker CA");
        TestCertificates.write(cellDir.resolve("broker-ca.pem"), TestCertificates.pem(ca.certificate()));
        TestCertificates.write(cellDir.resolve("other-ca.pem"),
                TestCertificates.pem(TestCertificates.ca("Some other CA").certificate()));
        // First without mqtt: the PKI needs the cell to make the gateway's certificate, which the broker must trust.
        writeCell("");
        configure(cm, "cellgate.runtime", Map.of("state.dir", state.toString()));
        configure(cm, "cellgate.config", Map.of("directory", cellDir.toString(), "watch.interval", 300L));
        // ConfigAdmin delivers the new state directory asynchronously: an identity component of an earlier test
        // class may still be registered. Create the user only once the identity bundle works in this state
        // directory (its first start writes users.yaml there), and check it landed there.
        Path users = state.resolve("identity").resolve("users.yaml");
        await("identity store in " + state, () -> Files.exists(users));
        service(context, UserAdmin.class).createApplication(Identity.SYSTEM, MES, Set.of(Roles.OPERATOR));
        await("user " + MES + " stored in " + users, () -> {
            try {
                return Files.readString(users).contains(MES + ":") || Files.readString(users).contains("name: " + MES);
            } catch (java.io.IOException e) {
                return false;
            }
        });

        // The PKI component restarts on the new state directory and cell asynchronously too: until it has, the
        // service may still hold an earlier test class's certificate, which the broker would then trust and name in
        // its ACL instead of this cell's (seen in CI: the node could never connect). Wait for this cell's.
        Path stored = state.resolve("pki").resolve("own").resolve("gateway.der");
        ServiceTracker<GatewayPki, GatewayPki> pki = new ServiceTracker<>(context, GatewayPki.class, null);
        pki.open();
        try {
            await("the gateway certificate of cell " + CELL + " stored in " + stored + " and served", () -> {
                GatewayPki current = pki.getService();
                try {
                    return current != null && Files.exists(stored)
                            && java.util.Arrays.equals(current.certificate().getEncoded(), Files.readAllBytes(stored));
                } catch (Exception e) {
                    return false;
                }
            });
        } finally {
            pki.close();
        }
        X509Certificate gateway = service(context, GatewayPki.class).certificate();
        Matcher cn = Pattern.compile("CN=([^,]+)").matcher(gateway.getSubjectX500Principal().getName());
        assertThat(cn.find()).as("CN of %s", gateway.getSubjectX500Principal()).isTrue();
        broker = Mosquitto.tls(brokerDir, ca, TestCertificates.localhostServer(ca), """
                user %s
                topic readwrite spBv1.0/%s/+/%s/#
                topic read spBv1.0/STATE/#
                user host
                topic readwrite #
                """.formatted(cn.group(1), GROUP, CELL), "persistence true",
                "persistence_location " + brokerDir + "/", "queue_qos0_messages true");
        // The broker trusts the test CA (the host's certificate) and the gateway's own certificate.
        TestCertificates.write(brokerDir.resolve("ca.crt"),
                TestCertificates.pem(ca.certificate()) + TestCertificates.pem(gateway));
        broker.start();
        host = new SparkplugHost(ca, () -> broker.sslUrl(), "host", GROUP, WAIT,
                () -> "; the node's last log lines:\n" + nodeLog()).persistentSession();
        host.connect();

        bus = service(context, TagBus.class);
        history = bus.subscribe(new TagListener() {
            @Override
            public void onValue(TagInfo tag, TagValue value) {
                if (tag.path().equals(LEVEL) && value.isGood()) {
                    LEVEL_HISTORY.add(((Number) value.value()).intValue());
                }
            }
        });
        await("level on the tag bus", () -> bus.value(LEVEL).map(TagValue::isGood).orElse(false));
        writeCell(mqtt("broker-ca.pem") + sparkplug(""));
    }

    @AfterAll
    static void stopCell() throws Exception {
        if (history != null) {
            history.close();
        }
        ConfigurationAdmin cm = service(FrameworkUtil.getBundle(SparkplugCellTest.class).getBundleContext(),
                ConfigurationAdmin.class);
        for (Configuration c : CONFIGURATIONS) {
            c.delete();
        }
        CONFIGURATIONS.clear();
        Configuration[] derived = cm.listConfigurations("(|(service.factoryPid=cellgate.device)(service.pid=cellgate.cell)"
                + "(service.pid=cellgate.opcua)(service.pid=cellgate.pki)(service.pid=cellgate.mqtt)"
                + "(service.pid=cellgate.sparkplug))");
        for (Configuration c : derived == null ? new Configuration[0] : derived) {
            c.delete();
        }
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(LOG);
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

        await("the device's setpoint register is 42", () -> device.register(SETPOINT_REGISTER) == 42);
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

        await("an audit record of the refused write", () -> audits(DEVICE + "/aux").size() > auditsBefore);
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
            await("level " + value + " on the tag bus", () -> bus.value(LEVEL).map(TagValue::value)
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
            await("level " + value + " on the tag bus", () -> bus.value(LEVEL).map(TagValue::value)
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
        int logged = LOG.list.size();
        int before = host.received().size();
        writeCell(mqtt("other-ca.pem") + sparkplug(""));
        host.indexOf(before, "NDEATH of the reconfigured node", r -> r.type().equals("NDEATH"));
        int seen = host.received().size();

        await("a certificate error in the log", () -> tlsErrors(logged) > 0);
        device.set(LEVEL_REGISTER, 7777);
        await("level 7777 on the tag bus", () -> bus.value(LEVEL).map(TagValue::value)
                .map(x -> ((Number) x).intValue() == 7777).orElse(false));
        Thread.sleep(3000); // several reconnect attempts (200 ms .. 1 s apart): none may succeed

        assertThat(host.received().subList(seen, host.received().size())).as("messages from the node").isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private static long tlsErrors(int from) {
        synchronized (LOG) { // AppenderBase.doAppend adds under the appender's lock
            return LOG.list.subList(from, LOG.list.size()).stream()
                    .filter(e -> e.getLoggerName().endsWith(".MqttSession"))
                    .map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains("cellgate-" + CELL) && m.contains("the broker's certificate is not trusted"))
                    .count();
        }
    }

    private static List<String> audits(String resource) {
        synchronized (LOG) { // AppenderBase.doAppend adds under the appender's lock
            return LOG.list.stream().filter(e -> e.getLoggerName().equals("cellgate.audit"))
                    .map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("resource=" + resource)).toList();
        }
    }

    /** The last log lines of the MQTT/Sparkplug and PKI bundles, for a failure message (CI shows only its tail). */
    private static String nodeLog() {
        synchronized (LOG) { // AppenderBase.doAppend adds under the appender's lock
            List<String> lines = LOG.list.stream()
                    .filter(e -> e.getLoggerName().startsWith("io.cellgate.mqtt") || e.getLoggerName().startsWith("io.cellgate.pki")
                            || e.getLoggerName().startsWith("io.cellgate.sparkplug"))
                    .map(e -> e.getLevel() + " " + e.getLoggerName().substring(e.getLoggerName().lastIndexOf('.') + 1) + " "
                            + e.getFormattedMessage())
                    .toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
        }
    }

    private static String mqtt(String caFile) {
        return """
                mqtt:
                  brokers: ["%s"]
                  caFile: %s
                  keepAlive: 10s
                  connectTimeout: 3s
                """.formatted(broker.sslUrl(), caFile);
    }

    private static String sparkplug(String more) {
        return """
                sparkplug:
                  groupId: %s
                  commandIdentity: %s
                  nodeMetricsInterval: 1h
                """.formatted(GROUP, MES) + more;
    }

    private static void writeCell(String northbound) throws IOException {
        Files.createDirectories(cellDir.resolve("profiles"));
        Files.writeString(cellDir.resolve("profiles/test-plc.yaml"), """
                profile:
                  id: test-plc
                  vendor: CellGate
                  model: Test PLC
                tags:
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

    private static Metric metric(Payload p, String name) {
        return p.getMetricsList().stream().filter(m -> name.equals(m.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name + " in " + p));
    }

    private static void configure(ConfigurationAdmin cm, String pid, Map<String, Object> properties) throws IOException {
        Configuration c = cm.getConfiguration(pid, "?");
        c.update(new Hashtable<>(properties));
        CONFIGURATIONS.add(c);
    }

    private static <T> T service(BundleContext context, Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        T service = tracker.waitForService(WAIT.toMillis());
        assertThat(service).as("service %s", type.getSimpleName()).isNotNull();
        return service;
    }

    /** Waits for a state, not for a time: the bound only keeps a broken build from hanging. */
    private static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(what + ": not reached within " + WAIT);
            }
            Thread.sleep(50);
        }
    }
}
