package io.cellgate.itest;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cellgate.identity.UserAdmin;
import io.cellgate.mqtt.testing.Mosquitto;
import io.cellgate.mqtt.testing.TestCertificates;
import io.cellgate.mqtt.testing.TestCertificates.Issued;
import io.cellgate.pki.GatewayPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.LoggerFactory;

/**
 * The scaffolding the cell test classes share: the configurations a class writes, deleted at its end together with
 * what the cell loader derived from its cell (so that the next class starts clean); services; waits for a state; the
 * captured log. Each class keeps its own cell, its own peers and its own assertions.
 */
final class CellFixture {

    /** The configurations the cell loader derives from a cell directory. */
    static final String DERIVED = "(|(service.factoryPid=cellgate.device)(service.pid=cellgate.cell)"
            + "(service.pid=cellgate.opcua)(service.pid=cellgate.pki)(service.pid=cellgate.mqtt)"
            + "(service.pid=cellgate.sparkplug))";

    private final BundleContext context;
    private final Duration wait;
    private final List<Configuration> configurations = new ArrayList<>();

    /** @param wait the bound of this class's waits for services and states */
    CellFixture(Class<?> testClass, Duration wait) {
        this.context = FrameworkUtil.getBundle(testClass).getBundleContext();
        this.wait = wait;
    }

    BundleContext context() {
        return context;
    }

    /**
     * The service, once there is one. The tracker stays open: closing it could release the last use of a delayed
     * component, which would then deactivate under the test.
     */
    <T> T service(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        T service = tracker.waitForService(wait.toMillis());
        assertThat(service).as("service %s", type.getSimpleName()).isNotNull();
        return service;
    }

    /**
     * Sets properties of a configuration (any bundle's location), keeping the ones already there: the cell loader
     * writes some of the same PIDs and keeps what it did not write. Deleted by {@link #deleteConfigurations()}.
     */
    Configuration configure(String pid, Map<String, Object> properties) throws IOException, InterruptedException {
        return update(service(ConfigurationAdmin.class).getConfiguration(pid, "?"), properties);
    }

    /** A factory configuration named {@code name}, as {@link #configure}. */
    Configuration configureFactory(String factoryPid, String name, Map<String, Object> properties)
            throws IOException, InterruptedException {
        return update(service(ConfigurationAdmin.class).getFactoryConfiguration(factoryPid, name, "?"), properties);
    }

    private Configuration update(Configuration c, Map<String, Object> properties) throws IOException {
        Hashtable<String, Object> p = new Hashtable<>();
        Dictionary<String, Object> old = c.getProperties();
        if (old != null) {
            for (String k : Collections.list(old.keys())) {
                p.put(k, old.get(k));
            }
        }
        p.putAll(properties);
        c.update(p);
        configurations.add(c);
        return c;
    }

    /** Deletes the configurations written through this fixture, then those the loader derived ({@link #DERIVED}). */
    void deleteConfigurations() throws IOException, InterruptedException {
        for (Configuration c : configurations) {
            c.delete();
        }
        configurations.clear();
        delete(service(ConfigurationAdmin.class), DERIVED);
    }

    /** Deletes every configuration that matches the filter. */
    static void delete(ConfigurationAdmin cm, String filter) throws IOException {
        Configuration[] found;
        try {
            found = cm.listConfigurations(filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("filter " + filter, e);
        }
        for (Configuration c : found == null ? new Configuration[0] : found) {
            c.delete();
        }
    }

    /** {@link #await(String, Duration, Supplier)} bounded by this class's wait. */
    void await(String what, Supplier<Boolean> condition) {
        await(what, wait, condition);
    }

    /**
     * Waits for a state, not for a time: the bound only keeps a broken build from hanging. A condition that reads
     * something that may not exist yet must answer false for it, not throw.
     */
    static void await(String what, Duration bound, Supplier<Boolean> condition) {
        long end = System.nanoTime() + bound.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(what + ": not reached within " + bound);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(what + ": interrupted", e);
            }
        }
    }

    /** A free port on loopback (ephemeral, released again for the component under test to bind). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    // ------------------------------------------------------------------ the gateway's identities and certificate

    /**
     * The user administration, once the identity bundle works in {@code state} (its first start there writes
     * users.yaml). ConfigAdmin delivers a new state directory asynchronously: until then the service may still be
     * the one of an earlier test class's state directory.
     */
    UserAdmin userAdmin(Path state) throws InterruptedException {
        Path users = usersFile(state);
        await("identity store in " + state, () -> Files.exists(users));
        return service(UserAdmin.class);
    }

    /** Waits until users.yaml in {@code state} holds each of the names. */
    void awaitUsersStored(Path state, String... names) {
        Path users = usersFile(state);
        await("users " + String.join(", ", names) + " stored in " + users, () -> {
            try {
                String text = Files.readString(users);
                return Arrays.stream(names).allMatch(n -> text.contains(n + ":") || text.contains("name: " + n));
            } catch (IOException e) {
                return false; // not written yet, or being replaced
            }
        });
    }

    private static Path usersFile(Path state) {
        return state.resolve("identity").resolve("users.yaml");
    }

    /**
     * The gateway's certificate for the cell in {@code state}, once it is stored there and served. The PKI component
     * restarts on a new state directory and cell asynchronously: until it has, the service may still hold an earlier
     * test class's certificate, which a broker would then trust and name in its ACL instead of this cell's.
     */
    X509Certificate gatewayCertificate(Path state) throws InterruptedException {
        Path stored = state.resolve("pki").resolve("own").resolve("gateway.der");
        ServiceTracker<GatewayPki, GatewayPki> pki = new ServiceTracker<>(context, GatewayPki.class, null);
        pki.open();
        try {
            await("the gateway certificate stored in " + stored + " and served", () -> {
                GatewayPki current = pki.getService();
                try {
                    return current != null && Files.exists(stored)
                            && Arrays.equals(current.certificate().getEncoded(), Files.readAllBytes(stored));
                } catch (Exception e) {
                    return false; // not stored yet, or replaced meanwhile
                }
            });
        } finally {
            pki.close();
        }
        return service(GatewayPki.class).certificate();
    }

    /**
     * A mosquitto (not started) that requires client certificates: it trusts {@code ca} and the gateway's own
     * certificate, and confines the gateway by ACL to {@code spBv1.0/<group>/+/<cell>/#} plus reading STATE; user
     * {@code host} (the test's Sparkplug host application) may use every topic.
     */
    static Mosquitto broker(Path dir, Issued ca, X509Certificate gateway, String group, String cell, String... extra) {
        Matcher cn = Pattern.compile("CN=([^,]+)").matcher(gateway.getSubjectX500Principal().getName());
        assertThat(cn.find()).as("CN of %s", gateway.getSubjectX500Principal()).isTrue();
        Mosquitto broker = Mosquitto.tls(dir, ca, TestCertificates.localhostServer(ca), """
                user %s
                topic readwrite spBv1.0/%s/+/%s/#
                topic read spBv1.0/STATE/#
                user host
                topic readwrite #
                """.formatted(cn.group(1), group, cell), extra);
        TestCertificates.write(dir.resolve("ca.crt"), TestCertificates.pem(ca.certificate()) + TestCertificates.pem(gateway));
        return broker;
    }

    // ------------------------------------------------------------------ the cell directory

    /** Writes the device profile {@code id} into the cell directory's profiles/: a test device of CellGate. */
    static void writeProfile(Path cellDir, String id, String model, String tags) throws IOException {
        Files.createDirectories(cellDir.resolve("profiles"));
        Files.writeString(cellDir.resolve("profiles").resolve(id + ".yaml"), """
                profile:
                  id: %s
                  vendor: CellGate
                  model: %s
                tags:
                """.formatted(id, model) + tags);
    }

    /** The cell's mqtt: section: one broker over TLS, whose CA is {@code caFile} in the cell directory. */
    static String mqttSection(String brokerUrl, String caFile) {
        return """
                mqtt:
                  brokers: ["%s"]
                  caFile: %s
                  keepAlive: 10s
                  connectTimeout: 3s
                """.formatted(brokerUrl, caFile);
    }

    /** The cell's sparkplug: section; DCMD writes are made as the user {@code commandIdentity}. */
    static String sparkplugSection(String group, String commandIdentity, String nodeMetricsInterval) {
        return """
                sparkplug:
                  groupId: %s
                  commandIdentity: %s
                  nodeMetricsInterval: %s
                """.formatted(group, commandIdentity, nodeMetricsInterval);
    }

    // ------------------------------------------------------------------ the log

    /** A list of every log event from now on (logback's root logger), until {@link #release}. */
    static ListAppender<ILoggingEvent> captureLog() {
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.setContext(logback);
        log.start();
        logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(log);
        return log;
    }

    static void release(ListAppender<ILoggingEvent> log) {
        if (log != null) {
            ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                    .detachAppender(log);
        }
    }

    /** The events captured since index {@code from}, copied under the appender's lock (doAppend adds under it). */
    static List<ILoggingEvent> events(ListAppender<ILoggingEvent> log, int from) {
        synchronized (log) {
            return List.copyOf(log.list.subList(from, log.list.size()));
        }
    }
}
