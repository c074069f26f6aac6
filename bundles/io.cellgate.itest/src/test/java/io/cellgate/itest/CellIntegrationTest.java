package io.cellgate.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.bus.TagBus;
import io.cellgate.api.tag.Quality;
import io.cellgate.api.tag.QualityReason;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.api.write.WriteRequest;
import io.cellgate.api.write.WriteResult;
import io.cellgate.api.write.WriteService;
import io.cellgate.config.ConfigurationService;
import io.cellgate.identity.Identity;
import io.cellgate.identity.Roles;
import io.cellgate.identity.UserAdmin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * The real bundles on Felix: a cell directory → the config loader → ConfigAdmin → device components
 * → the Modbus driver → simulated devices (the simulator bundle) → the tag bus; the write path; and
 * configuration changes applied, or refused, while the gateway runs.
 */
class CellIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @InjectService
    ConfigurationAdmin cm;
    @InjectBundleContext
    BundleContext context;
    @InjectService(timeout = 5000)
    TagBus bus;

    private static Path stateDir;
    private Path dir;
    private int portA;
    private int portB;
    private int portOpcUa;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("cellgate-itest");
        CellFixture.writeProfile(dir, "test-meter", "Test meter", """
                  - { name: energy, area: holding_register, address: 0, type: uint32, unit: kWh }
                  - { name: voltage, area: input_register, address: 10, type: float32, unit: V }
                  - { name: setpoint, area: holding_register, address: 20, type: int16, access: read_write, min: 0, max: 100 }
                  - { name: running, area: coil, address: 0, type: bool }
                """);
        portA = CellFixture.freePort();
        portB = CellFixture.freePort();
        portOpcUa = CellFixture.freePort();
        simulator("a", portA);
        simulator("b", portB);
        writeCell(true);
        // The identity bundle keeps its users (the writers of the write tests) in the state directory: one for the
        // class, so that the identity component is not restarted (and its admin created again) for every test.
        Configuration runtime = cm.getConfiguration("cellgate.runtime", "?");
        if (runtime.getProperties() == null) {
            runtime.update(new Hashtable<>(java.util.Map.of("state.dir", stateDir.toString())));
        }
        loader().update(props("directory", dir.toString()));
        // Each test has its own cell on its own simulator ports. ConfigAdmin delivers the previous test's deletions
        // and this test's configuration asynchronously: start only once the loader has applied this cell (seen once
        // in a CI-like run: a test began on the previous cell's state, then lost its devices under it).
        CellFixture.await("the cell of this test (meter-a on port " + portA + ") applied", WAIT, () -> thisCellApplied());
    }

    private boolean thisCellApplied() {
        ServiceReference<ConfigurationService> ref = context.getServiceReference(ConfigurationService.class);
        ConfigurationService config = ref == null ? null : context.getService(ref);
        try {
            return config != null && config.current().map(c -> c.devices().stream()
                    .anyMatch(d -> d.id().equals("meter-a") && d.endpoint().port() == portA)).orElse(false)
                    && bus.device("meter-a").isPresent();
        } finally {
            if (config != null) {
                context.ungetService(ref);
            }
        }
    }

    @BeforeAll
    static void createStateDir() throws IOException {
        stateDir = Files.createTempDirectory("cellgate-itest-state");
    }

    @AfterAll
    static void removeRuntimeConfiguration(@InjectService ConfigurationAdmin admin) throws Exception {
        admin.getConfiguration("cellgate.runtime", "?").delete();
    }

    @AfterEach
    void tearDown() throws Exception {
        CellFixture.delete(cm, "(|(service.factoryPid=cellgate.simulator)(service.pid=cellgate.config)" + CellFixture.DERIVED
                + ")");
    }

    @Test
    void cell_fromFiles_devicesPolledAndGood() {
        await(() -> good("meter-a/energy") && good("meter-b/voltage") && good("meter-a/running"));
        assertThat(bus.info(TagPath.parse("meter-a/energy")).orElseThrow().unit()).isEqualTo("kWh");
        assertThat(bus.value(TagPath.parse("meter-a/voltage")).orElseThrow().value()).isInstanceOf(Float.class);
        assertThat(bus.device("meter-a").orElseThrow().status()).isEqualTo(DeviceState.Status.CONNECTED);
    }

    @Test
    void invalidEdit_refused_runningConfigurationKept(@InjectService(timeout = 5000) ConfigurationService config) throws Exception {
        await(() -> good("meter-b/energy"));
        String hash = config.current().orElseThrow().hash();
        Files.writeString(dir.resolve("cell.yaml"), Files.readString(dir.resolve("cell.yaml")).replace("unitId: 1", "unitId: 999"));
        assertThat(config.validate(dir).errors()).anySatisfy(e -> assertThat(e.toString()).contains("cell.yaml").contains("unitId"));
        Thread.sleep(2500); // two watch intervals: the loader has seen the edit and refused it
        assertThat(config.current().orElseThrow().hash()).isEqualTo(hash);
        assertThat(bus.device("meter-a")).isPresent();
        await(() -> good("meter-b/energy"));
    }

    @Test
    void disableOneDevice_itsTagsBad_otherKeepsPolling() throws Exception {
        await(() -> good("meter-a/energy") && good("meter-b/energy"));
        writeCell(false);
        await(() -> reason("meter-b/energy") == QualityReason.DEVICE_DISABLED);
        long polls = bus.device("meter-a").orElseThrow().pollCount();
        await(() -> bus.device("meter-a").map(d -> d.pollCount() > polls + 2).orElse(false) && good("meter-a/energy"));
        assertThat(bus.device("meter-b").orElseThrow().status()).isEqualTo(DeviceState.Status.DISABLED);
    }

    @Test
    void deviceStops_tagsBad_thenGoodWhenItReturns() throws Exception {
        await(() -> good("meter-a/energy"));
        Configuration simA = cm.getFactoryConfiguration("cellgate.simulator", "a", "?");
        Hashtable<String, Object> saved = new Hashtable<>();
        java.util.Collections.list(simA.getProperties().keys()).forEach(k -> saved.put(k, simA.getProperties().get(k)));
        simA.delete();
        await(() -> reason("meter-a/energy") == QualityReason.COMM_FAILURE);
        assertThat(bus.value(TagPath.parse("meter-a/energy")).orElseThrow().quality()).isEqualTo(Quality.BAD);
        saved.remove("service.pid");
        saved.remove("service.factoryPid");
        cm.getFactoryConfiguration("cellgate.simulator", "a", "?").update(saved);
        CellFixture.await("meter-a/energy good again", Duration.ofSeconds(45), () -> good("meter-a/energy"));
    }

    @Test
    void write_unknownIdentity_deniedByThePolicy(@InjectService(timeout = 5000) WriteService writes) {
        await(() -> good("meter-a/setpoint"));
        WriteResult r = writes.write(new WriteRequest("itest", "test", null, TagPath.parse("meter-a/setpoint"), 42));
        assertThat(r.status()).isEqualTo(WriteResult.Status.DENIED);
        assertThat(r.message()).contains("not an enabled user");
    }

    @Test
    void write_allowedByTheCellsAccessRule_reachesDeviceAndReadsBack(@InjectService(timeout = 5000) WriteService writes,
            @InjectService(timeout = 30000) UserAdmin users) {
        // Real identities and the cell's access: section decide, through the policy engine's write check.
        ensureApplication(users, "itest-operator", Roles.OPERATOR);
        ensureApplication(users, "itest-observer", Roles.OBSERVER);
        await(() -> good("meter-a/setpoint"));
        WriteResult ok = writes.write(new WriteRequest("itest-operator", "test", null, TagPath.parse("meter-a/setpoint"), 42));
        assertThat(ok.status()).as(ok.message()).isEqualTo(WriteResult.Status.OK);
        assertThat(((Number) ok.readBack().value()).intValue()).isEqualTo(42);
        await(() -> Integer.valueOf(42).equals(bus.value(TagPath.parse("meter-a/setpoint")).map(CellIntegrationTest::asInt)
                .orElse(null)));

        assertThat(writes.write(new WriteRequest("itest-operator", "test", null, TagPath.parse("meter-a/setpoint"), 120)).status())
                .isEqualTo(WriteResult.Status.INVALID);
        assertThat(writes.write(new WriteRequest("itest-operator", "test", null, TagPath.parse("meter-a/energy"), 1)).status())
                .isEqualTo(WriteResult.Status.INVALID);
        // The rule names meter-a only: the same tag of meter-b is not writable for the Operator.
        WriteResult otherDevice = writes.write(new WriteRequest("itest-operator", "test", null, TagPath.parse("meter-b/setpoint"), 7));
        assertThat(otherDevice.status()).isEqualTo(WriteResult.Status.DENIED);
        assertThat(otherDevice.message()).contains("no rule allows write on meter-b/setpoint");
        WriteResult observer = writes.write(new WriteRequest("itest-observer", "test", null, TagPath.parse("meter-a/setpoint"), 7));
        assertThat(observer.status()).isEqualTo(WriteResult.Status.DENIED);
        assertThat(observer.message()).contains("no rule allows write on meter-a/setpoint for itest-observer");
    }

    private static void ensureApplication(UserAdmin users, String name, String role) {
        if (users.user(name).isEmpty()) {
            users.createApplication(Identity.SYSTEM, name, Set.of(role));
        }
    }

    private static Integer asInt(TagValue v) {
        return v.value() instanceof Number n ? n.intValue() : null;
    }

    private void writeCell(boolean bEnabled) throws IOException {
        Files.writeString(dir.resolve("cell.yaml"), """
                cell:
                  id: itest
                  name: In-framework test cell
                pollGroups:
                  fast: 200ms
                defaults:
                  timeout: 300ms
                  retries: 0
                devices:
                  - id: meter-a
                    profile: test-meter
                    endpoint: { protocol: modbus-tcp, host: 127.0.0.1, port: %d }
                    unitId: 1
                  - id: meter-b
                    profile: test-meter
                    enabled: %s
                    endpoint: { protocol: modbus-tcp, host: 127.0.0.1, port: %d }
                    unitId: 1
                access:
                  - { role: Observer, tags: ["*/*"], allow: [browse, read, subscribe] }
                  - { role: Operator, tags: [meter-a/setpoint], allow: [write] }
                # The OPC UA server is part of this runtime: loopback only, on a free port.
                opcua: { bindAddress: 127.0.0.1, hostname: 127.0.0.1, port: %d }
                """.formatted(portA, bEnabled, portB, portOpcUa));
    }

    private Configuration loader() throws IOException {
        return cm.getConfiguration("cellgate.config", "?");
    }

    private void simulator(String name, int port) throws IOException {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("port", port);
        p.put("profile", "test-meter");
        p.put("unit.ids", new int[] {1});
        p.put("update.interval.ms", 100L);
        cm.getFactoryConfiguration("cellgate.simulator", name, "?").update(p);
    }

    private static Hashtable<String, Object> props(String k, Object v) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(k, v);
        p.put("watch.interval", 500L);
        return p;
    }

    private boolean good(String path) {
        return bus.value(TagPath.parse(path)).map(TagValue::isGood).orElse(false);
    }

    private QualityReason reason(String path) {
        return bus.value(TagPath.parse(path)).map(TagValue::reason).orElse(null);
    }

    private static void await(Supplier<Boolean> condition) {
        CellFixture.await("condition", WAIT, condition);
    }
}
