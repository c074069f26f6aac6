package io.cellgate.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cellgate.api.config.ConfigKeys;
import io.cellgate.api.config.ProfileRegistry;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.LoggerFactory;

/**
 * The component against an in-memory ConfigurationAdmin (a few proxies): activation applies
 * synchronously, a later apply touches only what changed, an invalid directory changes nothing, and
 * deactivation keeps the device configurations; the last-known-good snapshot is saved after a valid
 * apply and applied at a start with invalid files. The real ConfigAdmin path is tested in-framework.
 */
@SuppressWarnings("unchecked")
class ConfigLoaderTest {

    @TempDir
    Path dir;

    @TempDir
    Path state;

    /** pid -> properties; null properties = created but never updated. */
    private final Map<String, Dictionary<String, Object>> store = new LinkedHashMap<>();
    private final List<String> writes = new ArrayList<>();
    private final List<Object> registered = new ArrayList<>();
    /** The ConfigEditor the loader registered. */
    private io.cellgate.config.ConfigEditor editorService;
    private ConfigLoader loader;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final ch.qos.logback.classic.Logger loaderLog =
            (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(ConfigLoader.class);

    private static final Instant T1 = Instant.parse("2026-03-01T08:00:00Z");
    private static final Instant T2 = Instant.parse("2026-03-02T09:30:00Z");

    private static final String PROFILE = """
            profile: { id: meter }
            tags:
              - { name: v, area: holding_register, address: 0, type: int16 }
            """;

    @BeforeEach
    void captureLog() {
        log.start();
        loaderLog.addAppender(log);
    }

    @AfterEach
    void tearDown() {
        loaderLog.detachAppender(log);
        if (loader != null) {
            loader.deactivate();
        }
    }

    private void write(String devices) throws IOException {
        Files.createDirectories(dir.resolve("profiles"));
        Files.writeString(dir.resolve("profiles/meter.yaml"), PROFILE);
        Files.writeString(dir.resolve("cell.yaml"), "cell: { id: c }\ndevices:\n" + devices);
    }

    private static String device(String id, String host) {
        return "  - { id: %s, profile: meter, endpoint: { protocol: modbus-tcp, host: %s } }\n".formatted(id, host);
    }

    @Test
    void activate_validDirectory_writesCellAndDevicesAndRegistersProfiles() throws IOException {
        write(device("m1", "10.0.0.1") + device("m2", "10.0.0.2"));

        loader = new ConfigLoader(cm(), context(), config(dir));

        assertThat(store).containsOnlyKeys(ConfigKeys.CELL_PID, "cellgate.device~m1", "cellgate.device~m2",
                "cellgate.opcua", "cellgate.pki");
        assertThat(store.get("cellgate.device~m2").get(ConfigKeys.HOST)).isEqualTo("10.0.0.2");
        assertThat(store.get(ConfigKeys.CELL_PID).get(ConfigKeys.CELL_ID)).isEqualTo("c");
        assertThat(registered).singleElement()
                .satisfies(r -> assertThat(((ProfileRegistry) r).profile("meter")).isPresent());
        assertThat(loader.current()).isPresent();
    }

    @Test
    void activate_accessSection_publishesRulesOnTheCellConfiguration() throws IOException {
        write(device("m1", "10.0.0.1") + "access:\n  - { role: Operator, tags: [m1/v, \"m2/*\"], allow: [write] }\n");

        loader = new ConfigLoader(cm(), context(), config(dir));

        assertThat((String[]) store.get(ConfigKeys.CELL_PID).get(io.cellgate.config.AccessRule.PROPERTY))
                .containsExactly("Operator|write|m1/v,m2/*");
    }

    @Test
    void activate_policyRules_checkedByTheEngineAndHandedOnAsTheSectionText() throws IOException {
        write(device("m1", "10.0.0.1") + "access:\n  - { id: no-v, role: Operator, tags: [m1/v], deny: [write] }\n");
        java.util.List<String> checked = new java.util.ArrayList<>();

        loader = new ConfigLoader(cm(), context(), config(dir), java.time.Clock.systemUTC(), (yaml, file) -> {
            checked.add(yaml);
            return java.util.List.of();
        });

        var cell = store.get(ConfigKeys.CELL_PID);
        assertThat(checked).singleElement().isEqualTo(cell.get("access.yaml"));
        assertThat((String) cell.get("access.yaml")).isEqualTo(
                "\n\n\naccess:\n  - { id: no-v, role: Operator, tags: [m1/v], deny: [write] }\n");
        assertThat(cell.get("access.file")).isEqualTo("cell.yaml");
        // No property form for a deny rule: readers of access.rules alone see no rule and deny everything.
        assertThat((String[]) cell.get(io.cellgate.config.AccessRule.PROPERTY)).isEmpty();
    }

    @Test
    void activate_policyRulesBeforeTheEngineIsBound_nothingAppliedUntilTheEngineHasCheckedThem() throws Exception {
        write(device("m1", "10.0.0.1") + "access:\n  - { id: no-v, role: Operator, tags: [m1/v], deny: [write] }\n");

        loader = new ConfigLoader(cm(), context(), config(dir), java.time.Clock.systemUTC());

        assertThat(store).as("nothing applied unchecked").doesNotContainKey(ConfigKeys.CELL_PID);
        assertThat(loader.validate(dir).errors()).extracting(Object::toString).singleElement().asString()
                .contains("access: the access policy engine (io.cellgate.policy) is not running");
        java.util.List<String> checked = new java.util.concurrent.CopyOnWriteArrayList<>();
        loader.setPolicy(new io.cellgate.api.policy.PolicyAdmin() {
            @Override
            public io.cellgate.api.policy.PolicyVersion current() {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.util.List<io.cellgate.api.policy.PolicyVersion> history() {
                return java.util.List.of();
            }

            @Override
            public java.util.List<io.cellgate.api.policy.PolicyProblem> validate(String yaml, String file) {
                return java.util.List.of();
            }

            @Override
            public java.util.List<io.cellgate.api.policy.PolicyProblem> validateAccessSection(String yaml, String file) {
                checked.add(yaml);
                return java.util.List.of();
            }

            @Override
            public void restoreHistory(java.util.List<io.cellgate.api.policy.PolicyVersion> persisted) {
            }
        });

        long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        // Not containsKey: the fake creates the entry (null properties) at getConfiguration, before the update.
        while (store.get(ConfigKeys.CELL_PID) == null && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertThat(checked).as("checked by the engine once it was bound").isNotEmpty();
        assertThat((String) store.get(ConfigKeys.CELL_PID).get("access.yaml")).contains("deny: [write]");
    }

    @Test
    void apply_accessSectionTheEngineRefuses_nothingAppliedRunningCellStays() throws IOException {
        write(device("m1", "10.0.0.1") + "access:\n  - { role: Operator, tags: [m1/v], allow: [write] }\n");
        loader = new ConfigLoader(cm(), context(), config(dir), java.time.Clock.systemUTC(), (yaml, file) ->
                yaml.contains("when") ? java.util.List.of(new io.cellgate.config.ConfigError(file, 6, 11,
                        "access[1].when.max", "max 5 is below min 10")) : java.util.List.of());
        var before = new java.util.HashMap<>(store);
        writes.clear();

        write(device("m1", "10.0.0.1") + device("m2", "10.0.0.2") + """
                access:
                  - { role: Operator, tags: [m1/v], allow: [write] }
                  - { id: x, role: Operator, tags: [m2/v], allow: [write], when: { min: 10, max: 5 } }
                """);
        var result = loader.apply(dir);

        assertThat(result.isValid()).isFalse();
        assertThat(result.errors()).extracting(Object::toString)
                .containsExactly("cell.yaml:6:11: access[1].when.max: max 5 is below min 10");
        assertThat(writes).as("an invalid access section rejects the whole change").isEmpty();
        assertThat(store).isEqualTo(before);
    }

    @Test
    void activate_noAccessSection_publishesTheDefaultRules() throws IOException {
        write(device("m1", "10.0.0.1"));

        loader = new ConfigLoader(cm(), context(), config(dir));

        assertThat((String[]) store.get(ConfigKeys.CELL_PID).get(io.cellgate.config.AccessRule.PROPERTY))
                .containsExactly("Observer|browse,read,subscribe|*/*");
    }

    @Test
    void apply_oneDeviceChanged_writesOnlyThatDevice() throws IOException {
        write(device("m1", "10.0.0.1") + device("m2", "10.0.0.2") + device("m3", "10.0.0.3"));
        loader = new ConfigLoader(cm(), context(), config(dir));
        writes.clear();

        write(device("m1", "10.0.0.1") + device("m2", "10.0.0.9") + device("m4", "10.0.0.4"));
        var result = loader.apply(dir);

        assertThat(result.errors()).isEmpty();
        assertThat(writes).filteredOn(w -> !w.endsWith(ConfigKeys.LOADER_PID)).containsExactlyInAnyOrder(
                "update cellgate.cell", "update cellgate.device~m4",
                "update cellgate.device~m2", "delete cellgate.device~m3");
        assertThat(store).containsOnlyKeys(ConfigKeys.CELL_PID, "cellgate.device~m1", "cellgate.device~m2",
                "cellgate.device~m4", ConfigKeys.LOADER_PID, "cellgate.opcua", "cellgate.pki");
        assertThat(store.get(ConfigKeys.LOADER_PID).get(ConfigKeys.LOADER_DIRECTORY)).isEqualTo(dir.toString());
    }

    @Test
    void activate_opcuaSection_writesServerAndPkiPropertiesBeforeTheCell() throws IOException {
        write(device("m1", "10.0.0.1") + """
                opcua:
                  port: 4841
                  bindAddress: 0.0.0.0
                  hostname: gw-press3.plant.local
                  certificate: { dnsNames: [gw-press3.plant.local], ipAddresses: [10.1.20.5] }
                  securityPolicies: [Basic256Sha256, Aes256_Sha256_RsaPss]
                  securityModes: [SignAndEncrypt]
                  allowInsecure: false
                  limits: { maxSessions: 5, maxSubscriptionsPerSession: 3, maxMonitoredItemsPerSession: 100, maxMessageSize: 1048576 }
                """);

        loader = new ConfigLoader(cm(), context(), config(dir));

        Dictionary<String, Object> opcua = store.get("cellgate.opcua");
        assertThat(opcua.get("port")).isEqualTo(4841);
        assertThat(opcua.get("bind.address")).isEqualTo("0.0.0.0");
        assertThat(opcua.get("hostname")).isEqualTo("gw-press3.plant.local");
        assertThat((String[]) opcua.get("security.policies")).containsExactly("Basic256Sha256", "Aes256_Sha256_RsaPss");
        assertThat((String[]) opcua.get("security.modes")).containsExactly("SignAndEncrypt");
        assertThat(opcua.get("allow.insecure")).isEqualTo(false);
        assertThat(opcua.get("max.sessions")).isEqualTo(5);
        assertThat(opcua.get("max.subscriptions.per.session")).isEqualTo(3);
        assertThat(opcua.get("max.monitored.items.per.session")).isEqualTo(100);
        assertThat(opcua.get("max.message.size")).isEqualTo(1048576);
        assertThat(opcua.get("max.subscriptions")).isNull();
        Dictionary<String, Object> pki = store.get("cellgate.pki");
        assertThat((String[]) pki.get("dns.names")).containsExactly("gw-press3.plant.local");
        assertThat((String[]) pki.get("ip.addresses")).containsExactly("10.1.20.5");
        assertThat(writes.indexOf("update cellgate.pki")).isLessThan(writes.indexOf("update cellgate.cell"));
        assertThat(writes.indexOf("update cellgate.opcua")).isLessThan(writes.indexOf("update cellgate.cell"));
    }

    @Test
    void activate_noOpcuaSection_writesEmptyConfigurationsSoTheComponentDefaultsApply() throws IOException {
        write(device("m1", "10.0.0.1"));

        loader = new ConfigLoader(cm(), context(), config(dir));

        assertThat(withoutAdminKeys((Hashtable<String, Object>) store.get("cellgate.opcua")))
                .containsOnlyKeys(ConfigLoader.MANAGED_KEYS);
        assertThat(withoutAdminKeys((Hashtable<String, Object>) store.get("cellgate.pki")))
                .containsOnlyKeys(ConfigLoader.MANAGED_KEYS);
    }

    @Test
    void activate_propertiesSetByOthers_areKeptUnlessCellYamlSetsThem() throws IOException {
        Hashtable<String, Object> pki = new Hashtable<>(Map.of("dns.names", new String[] {"set-by-a-tool"},
                "organization", "ACME"));
        configuration("cellgate.pki").updateIfDifferent(pki);
        configuration("cellgate.opcua").updateIfDifferent(new Hashtable<>(Map.of("path", "/x", "port", 1)));
        write(device("m1", "10.0.0.1") + "opcua: { port: 4841 }\n");

        loader = new ConfigLoader(cm(), context(), config(dir));

        assertThat((String[]) store.get("cellgate.pki").get("dns.names")).containsExactly("set-by-a-tool");
        assertThat(store.get("cellgate.pki").get("organization")).isEqualTo("ACME");
        assertThat(store.get("cellgate.opcua").get("path")).isEqualTo("/x");
        assertThat(store.get("cellgate.opcua").get("port")).isEqualTo(4841);
    }

    @Test
    void apply_opcuaKeyRemoved_removesTheProperty() throws IOException {
        write(device("m1", "10.0.0.1") + "opcua: { port: 4841, hostname: gw }\n");
        loader = new ConfigLoader(cm(), context(), config(dir));
        writes.clear();

        write(device("m1", "10.0.0.1") + "opcua: { hostname: gw }\n");
        loader.apply(dir);

        assertThat(store.get("cellgate.opcua").get("port")).isNull();
        assertThat(store.get("cellgate.opcua").get("hostname")).isEqualTo("gw");
        assertThat(writes).contains("update cellgate.opcua").doesNotContain("update cellgate.pki");
    }

    private static final String MQTT = """
            mqtt:
              brokers: ["ssl://broker.plant.local:8883"]
              caFile: ca.pem
              username: gw
              passwordFile: mqtt.password
              keepAlive: 20s
            sparkplug:
              groupId: plant1
              commandIdentity: mes
              outbox: { maxBytes: 64KiB, maxAge: 2d, overflow: drop-oldest }
            """;

    private void mqttFiles() throws IOException {
        Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        Files.writeString(dir.resolve("mqtt.password"), "pa55 word\n");
    }

    @Test
    void activate_mqttAndSparkplugSections_writeBothConfigurationsBeforeTheCell() throws IOException {
        mqttFiles();
        write(device("m1", "10.0.0.1") + MQTT);

        loader = new ConfigLoader(cm(), context(), config(dir));

        Dictionary<String, Object> mqtt = store.get("cellgate.mqtt");
        assertThat((String[]) mqtt.get("broker.urls")).containsExactly("ssl://broker.plant.local:8883");
        assertThat(mqtt.get("client.id")).isEqualTo("cellgate-c");
        assertThat(mqtt.get("ca.file")).isEqualTo(dir.resolve("ca.pem").toAbsolutePath().normalize().toString());
        assertThat(mqtt.get("username")).isEqualTo("gw");
        assertThat(mqtt.get(".password")).isEqualTo("pa55 word");
        assertThat(mqtt.get("keepalive.s")).isEqualTo(20);
        assertThat(mqtt.get("connect.timeout.s")).isNull();
        assertThat((String[]) mqtt.get(ConfigLoader.MANAGED_KEYS)).contains("broker.urls", ".password");
        Dictionary<String, Object> sp = store.get("cellgate.sparkplug");
        assertThat(sp.get("group.id")).isEqualTo("plant1");
        assertThat(sp.get("command.identity")).isEqualTo("mes");
        assertThat(sp.get("outbox.max.bytes")).isEqualTo(65_536L);
        assertThat(sp.get("outbox.max.age.s")).isEqualTo(172_800L);
        assertThat(sp.get("outbox.overflow")).isEqualTo("DROP_OLDEST");
        assertThat(sp.get("edge.node.id")).isNull();
        assertThat(writes.indexOf("update cellgate.mqtt")).isLessThan(writes.indexOf("update cellgate.cell"));
        assertThat(writes.indexOf("update cellgate.sparkplug")).isLessThan(writes.indexOf("update cellgate.cell"));
        assertThat(log.list).noneMatch(e -> e.getFormattedMessage().contains("pa55"));
    }

    @Test
    void activate_noMqttSection_createsNoMqttOrSparkplugConfiguration() throws IOException {
        write(device("m1", "10.0.0.1"));

        loader = new ConfigLoader(cm(), context(), config(dir));

        assertThat(store).doesNotContainKeys("cellgate.mqtt", "cellgate.sparkplug");
    }

    @Test
    void apply_mqttSectionsRemoved_deletesBothConfigurations() throws IOException {
        mqttFiles();
        write(device("m1", "10.0.0.1") + MQTT);
        loader = new ConfigLoader(cm(), context(), config(dir));
        writes.clear();

        write(device("m1", "10.0.0.1"));
        var result = loader.apply(dir);

        assertThat(result.errors()).isEmpty();
        assertThat(store).doesNotContainKeys("cellgate.mqtt", "cellgate.sparkplug");
        assertThat(writes).contains("delete cellgate.mqtt", "delete cellgate.sparkplug");
    }

    @Test
    void apply_noMqttSection_leavesAConfigurationWrittenBySomeoneElse() throws IOException {
        configuration("cellgate.mqtt").updateIfDifferent(new Hashtable<>(Map.of("broker.urls", new String[] {"ssl://x:1"})));
        write(device("m1", "10.0.0.1"));

        loader = new ConfigLoader(cm(), context(), config(dir));

        assertThat((String[]) store.get("cellgate.mqtt").get("broker.urls")).containsExactly("ssl://x:1");
    }

    @Test
    void apply_invalidSparkplugSection_changesNothing() throws IOException {
        mqttFiles();
        write(device("m1", "10.0.0.1") + MQTT);
        loader = new ConfigLoader(cm(), context(), config(dir));
        writes.clear();

        write(device("m1", "10.0.0.2") + MQTT.replace("groupId: plant1", "groupId: plant/1"));
        var result = loader.apply(dir);

        assertThat(result.isValid()).isFalse();
        assertThat(writes).isEmpty();
        assertThat(store.get("cellgate.sparkplug").get("group.id")).isEqualTo("plant1");
    }

    @Test
    void apply_passwordFileEmptiedAfterValidation_nothingWritten() throws IOException {
        mqttFiles();
        write(device("m1", "10.0.0.1"));
        loader = new ConfigLoader(cm(), context(), config(dir));
        writes.clear();
        write(device("m1", "10.0.0.2") + MQTT);
        Path password = dir.resolve("mqtt.password");
        // Valid when loaded, then the file is emptied before it is read at apply time.
        var loaded = CellLoader.load(dir);
        assertThat(loaded.isValid()).as(loaded.errorReport()).isTrue();
        Files.writeString(password, "");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> loader.apply(loaded)).hasMessageContaining("empty");

        assertThat(writes).isEmpty();
    }

    @Test
    void lastKnownGood_relativeCaAndPasswordFiles_keptInTheSnapshot() throws IOException {
        mqttFiles();
        stateDir(state);
        write(device("m1", "10.0.0.1") + MQTT);

        loader = new ConfigLoader(cm(), context(), config(dir));

        Path files = lastGood().resolve("files");
        assertThat(files.resolve("ca.pem")).exists();
        assertThat(files.resolve("mqtt.password")).hasContent("pa55 word");
    }

    @Test
    void apply_invalidOpcuaSection_changesNothing() throws IOException {
        write(device("m1", "10.0.0.1") + "opcua: { port: 4841 }\n");
        loader = new ConfigLoader(cm(), context(), config(dir));
        writes.clear();

        write(device("m1", "10.0.0.1") + "opcua: { port: 70000 }\n");
        var result = loader.apply(dir);

        assertThat(result.isValid()).isFalse();
        assertThat(writes).isEmpty();
        assertThat(store.get("cellgate.opcua").get("port")).isEqualTo(4841);
    }

    @Test
    void apply_invalidDirectory_changesNothing() throws IOException {
        write(device("m1", "10.0.0.1"));
        loader = new ConfigLoader(cm(), context(), config(dir));
        writes.clear();
        var before = loader.current().orElseThrow();

        write(device("m1", "10.0.0.1") + "  - { id: m2, profile: nope, endpoint: { protocol: modbus-tcp } }\n");
        var result = loader.apply(dir);

        assertThat(result.errors()).hasSize(2);
        assertThat(writes).isEmpty();
        assertThat(loader.current()).containsSame(before);
    }

    @Test
    void deactivate_keepsDeviceConfigurations() throws IOException {
        write(device("m1", "10.0.0.1"));
        loader = new ConfigLoader(cm(), context(), config(dir));

        loader.deactivate();
        loader = null;

        assertThat(store).containsKey("cellgate.device~m1");
        assertThat(writes).noneMatch(w -> w.startsWith("delete"));
    }

    // ---- last known good configuration ----

    @Test
    void activate_validWithStateDir_savesSnapshotOfExactlyTheAppliedFiles() throws IOException {
        write(device("m1", "10.0.0.1"));
        Files.writeString(dir.resolve("profiles/unused.yaml"), PROFILE.replace("id: meter", "id: unused"));
        stateDir(state);

        loader = start(dir, T1);

        Path snap = lastGood();
        assertThat(snap.resolve("files/cell.yaml")).hasSameBinaryContentAs(dir.resolve("cell.yaml"));
        assertThat(snap.resolve("files/profiles/meter.yaml")).hasSameBinaryContentAs(dir.resolve("profiles/meter.yaml"));
        assertThat(snap.resolve("files/profiles/unused.yaml")).doesNotExist();
        Properties m = manifest(snap);
        assertThat(m.getProperty("config.hash")).isEqualTo(loader.current().orElseThrow().hash());
        assertThat(m.getProperty("saved")).isEqualTo(T1.toString());
        assertThat(m.getProperty("source.directory")).isEqualTo(dir.toString());
        assertThat(loader.lastGoodTime()).contains(T1);
        assertThat(loader.runningFallback()).isFalse();
        try (Stream<Path> s = Files.list(state.resolve("config"))) {
            // No temporary or old copy beside it (the numbered snapshots have their own directory).
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("last-good", "snapshots");
        }
    }

    @Test
    void activate_validWithStateDir_snapshotIsOnlyForTheGatewayGroup() throws IOException {
        write(device("m1", "10.0.0.1"));
        stateDir(state);

        loader = start(dir, T1);

        Path snap = lastGood();
        for (Path d : List.of(state.resolve("config"), snap, snap.resolve("files"), snap.resolve("files/profiles"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).as(d.toString())
                    .isEqualTo("rwxr-x---");
        }
        for (Path f : List.of(snap.resolve("manifest.properties"), snap.resolve("files/cell.yaml"),
                snap.resolve("files/profiles/meter.yaml"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString())
                    .isEqualTo("rw-r-----");
        }
    }

    @Test
    void activate_invalidFilesAndSnapshot_appliesSnapshotAndLogsEveryError() throws IOException {
        write(device("m1", "10.0.0.1"));
        stateDir(state);
        loader = start(dir, T1);
        String goodHash = loader.current().orElseThrow().hash();
        breakFiles();

        restart(dir, T2);

        assertThat(store.get("cellgate.device~m1").get(ConfigKeys.HOST)).isEqualTo("10.0.0.1");
        assertThat(store).containsKey(ConfigKeys.CELL_PID);
        assertThat(registered).singleElement()
                .satisfies(r -> assertThat(((ProfileRegistry) r).profile("meter")).isPresent());
        assertThat(loader.current().orElseThrow().hash()).isEqualTo(goodHash);
        assertThat(loader.runningFallback()).isTrue();
        assertThat(loader.lastGoodTime()).contains(T1);
        assertThat(messages(Level.ERROR)).singleElement().asString()
                .contains("cell.yaml:4:", "timout", "profiles/meter.yaml:", "70000");
        assertThat(messages(Level.WARN)).containsExactly("running the last known good configuration from "
                + "2026-03-01T08:00:00Z (config " + goodHash.substring(0, 12) + ") until the files in " + dir
                + " are fixed");
        assertThat(manifest(lastGood()).getProperty("saved")).isEqualTo(T1.toString());
    }

    @Test
    void watch_fallbackRunningAndFilesFixed_appliesFilesAndSavesThemAsLastGood() throws IOException {
        write(device("m1", "10.0.0.1"));
        stateDir(state);
        loader = start(dir, T1);
        breakFiles();
        restart(dir, T2);
        loader.checkForChanges();
        assertThat(loader.runningFallback()).as("unchanged invalid files keep the fallback").isTrue();

        write(device("m1", "10.0.0.7") + device("m2", "10.0.0.2"));
        loader.checkForChanges();
        loader.checkForChanges(); // the files must be stable for one tick

        assertThat(store.get("cellgate.device~m1").get(ConfigKeys.HOST)).isEqualTo("10.0.0.7");
        assertThat(store).containsKey("cellgate.device~m2");
        assertThat(loader.runningFallback()).isFalse();
        assertThat(loader.lastGoodTime()).contains(T2);
        assertThat(manifest(lastGood()).getProperty("config.hash")).isEqualTo(loader.current().orElseThrow().hash());
        assertThat(lastGood().resolve("files/cell.yaml")).hasSameBinaryContentAs(dir.resolve("cell.yaml"));
    }

    @Test
    void activate_invalidFilesWithoutSnapshot_appliesNothing() throws IOException {
        write(device("m1", "10.0.0.1"));
        breakFiles();
        stateDir(state);

        loader = start(dir, T1);

        assertThat(store).containsOnlyKeys(ConfigLoader.RUNTIME_PID);
        assertThat(registered).isEmpty();
        assertThat(loader.current()).isEmpty();
        assertThat(loader.runningFallback()).isFalse();
        assertThat(loader.lastGoodTime()).isEmpty();
        assertThat(messages(Level.ERROR)).singleElement().asString()
                .contains("no last known good configuration", "timout");
        assertThat(lastGood()).doesNotExist();
    }

    @Test
    void activate_withoutStateDir_keepsNoSnapshotAndSaysSoOnce() throws IOException {
        write(device("m1", "10.0.0.1"));

        loader = start(dir, T1);
        write(device("m1", "10.0.0.2"));
        loader.apply(dir);

        assertThat(store.get("cellgate.device~m1").get(ConfigKeys.HOST)).isEqualTo("10.0.0.2");
        assertThat(messages(Level.INFO)).filteredOn(s -> s.contains("no state directory")).hasSize(1);
        assertThat(loader.lastGoodTime()).isEmpty();
        try (Stream<Path> s = Files.list(state)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void activate_crashLeftTemporarySnapshot_previousSnapshotUsedAndLeftoverRemovedLater() throws IOException {
        write(device("m1", "10.0.0.1"));
        stateDir(state);
        loader = start(dir, T1);
        // A write that died half-way: a temporary directory, here even with a plausible manifest.
        Path tmp = state.resolve("config/last-good.tmp-crashed");
        Files.createDirectories(tmp.resolve("files/profiles"));
        Files.writeString(tmp.resolve("files/cell.yaml"), "cell: { id: c }\ndevices:\n" + device("m9", "10.9.9.9"));
        Files.writeString(tmp.resolve("manifest.properties"), "config.hash=00\nsaved=" + T2 + "\nsource.directory="
                + dir + "\ncell.directory=files\n");
        breakFiles();

        restart(dir, T2);

        assertThat(loader.runningFallback()).isTrue();
        assertThat(store).containsKey("cellgate.device~m1").doesNotContainKey("cellgate.device~m9");
        assertThat(lastGood().resolve("files/cell.yaml")).content().contains("m1");

        write(device("m1", "10.0.0.3"));
        loader.checkForChanges();
        loader.checkForChanges();

        assertThat(loader.runningFallback()).isFalse();
        assertThat(tmp).doesNotExist();
        assertThat(lastGood().resolve("files/cell.yaml")).content().contains("10.0.0.3");
    }

    @Test
    void activate_crashBetweenTheRenames_previousSnapshotUsed() throws IOException {
        write(device("m1", "10.0.0.1"));
        stateDir(state);
        loader = start(dir, T1);
        // The crash came after last-good was moved aside and before the new copy took its place.
        Files.move(lastGood(), state.resolve("config/last-good.old"));
        breakFiles();

        restart(dir, T2);

        assertThat(loader.runningFallback()).isTrue();
        assertThat(store.get("cellgate.device~m1").get(ConfigKeys.HOST)).isEqualTo("10.0.0.1");
    }

    @Test
    void save_snapshotExists_replacesItAndKeepsNoOldCopy() throws IOException {
        write(device("m1", "10.0.0.1"));
        stateDir(state);
        loader = start(dir, T1);

        write(device("m1", "10.0.0.2"));
        loader.apply(dir);

        assertThat(lastGood().resolve("files/cell.yaml")).hasSameBinaryContentAs(dir.resolve("cell.yaml"));
        try (Stream<Path> s = Files.list(state.resolve("config"))) {
            // No temporary or old copy beside it (the numbered snapshots have their own directory).
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("last-good", "snapshots");
        }
    }

    @Test
    void activate_snapshotOfAnotherDirectory_notUsed() throws IOException {
        write(device("m1", "10.0.0.1"));
        stateDir(state);
        loader = start(dir, T1);
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        Files.writeString(other.resolve("cell.yaml"), "cell: { id: x }\n");

        restart(other, T2);

        assertThat(store).containsOnlyKeys(ConfigLoader.RUNTIME_PID);
        assertThat(loader.runningFallback()).isFalse();
        assertThat(messages(Level.ERROR)).singleElement().asString().contains("of another directory (" + dir + ")");
    }

    @Test
    void activate_snapshotChangedAfterSaving_notUsed() throws IOException {
        write(device("m1", "10.0.0.1"));
        stateDir(state);
        loader = start(dir, T1);
        Path saved = lastGood().resolve("files/profiles/meter.yaml");
        Files.writeString(saved, Files.readString(saved).replace("address: 0", "address: 1"));
        breakFiles();

        restart(dir, T2);

        assertThat(store).containsOnlyKeys(ConfigLoader.RUNTIME_PID);
        assertThat(loader.runningFallback()).isFalse();
        assertThat(messages(Level.ERROR)).anySatisfy(s -> assertThat(s).contains("is damaged", "hash"));
        assertThat(messages(Level.WARN)).isEmpty();
    }

    @Test
    void activate_profilesOutsideConfigDirectory_snapshotFindsThemWithTheSameHash() throws IOException {
        Path cellDir = dir.resolve("cells/press");
        Files.createDirectories(cellDir.resolve("profiles"));
        Files.createDirectories(dir.resolve("lib"));
        Files.writeString(dir.resolve("lib/meter.yaml"), PROFILE);
        Files.writeString(cellDir.resolve("cell.yaml"), "cell: { id: c }\nprofiles: [profiles, ../../lib]\n"
                + "devices:\n" + device("m1", "10.0.0.1"));
        stateDir(state);
        loader = start(cellDir, T1);
        String goodHash = loader.current().orElseThrow().hash();
        assertThat(lastGood().resolve("files/lib/meter.yaml")).exists();
        assertThat(lastGood().resolve("files/cells/press/profiles")).isEmptyDirectory();
        Files.writeString(cellDir.resolve("cell.yaml"), "cell: { id: c }\nprofiles: [profiles, ../../lib]\n");

        restart(cellDir, T2);

        assertThat(loader.runningFallback()).isTrue();
        assertThat(loader.current().orElseThrow().hash()).isEqualTo(goodHash);
        assertThat(store).containsKey("cellgate.device~m1");
    }

    @Test
    void watch_fileEdit_snapshotAsFileAndARestartAddsNone() throws Exception {
        write(device("m1", "10.0.0.1"));
        stateDir(state);
        loader = start(dir, T1);
        SnapshotStore snapshots = loader.snapshotStore().orElseThrow();

        write(device("m1", "10.0.0.2"));
        loader.checkForChanges();
        loader.checkForChanges();
        restart(dir, T2);

        assertThat(snapshots.list()).extracting(s -> s.id() + " " + s.identity() + " " + s.reason())
                .containsExactly("2 file cell.yaml or a profile changed on disk", "1 file loaded at start");
        assertThat(snapshots.text(2)).get().satisfies(b -> assertThat(b).isEqualTo(Files.readAllBytes(
                dir.resolve("cell.yaml"))));
    }

    @Test
    void editor_change_appliedAtOnceWithoutTheWatch() throws Exception {
        write(device("m1", "10.0.0.1"));
        stateDir(state);
        loader = start(dir, T1);
        io.cellgate.config.ConfigEditor edit = editorService;
        String next = Files.readString(dir.resolve("cell.yaml")).replace("10.0.0.1", "10.0.0.3");

        var r = edit.change(next, edit.current().sha256(), "anna", "m1 moved");

        assertThat(r.outcome()).as(r.message()).isEqualTo(io.cellgate.config.ConfigEditor.Outcome.APPLIED);
        assertThat(store.get("cellgate.device~m1").get(ConfigKeys.HOST)).isEqualTo("10.0.0.3");
        assertThat(edit.snapshots()).first().extracting(s -> s.identity() + ": " + s.reason()).isEqualTo("anna: m1 moved");
        writes.clear();
        loader.checkForChanges();
        loader.checkForChanges();
        assertThat(writes).as("the watch does not apply the written file again").isEmpty();
    }

    @Test
    void apply_consoleSection_writtenToTheConsoleConfigurationAndRemovedWithIt() throws Exception {
        write(device("m1", "10.0.0.1") + "console: { port: 9443, safeChange: { confirmSeconds: 60 } }\n");
        loader = start(dir, T1);

        Dictionary<String, Object> console = store.get("cellgate.console");
        assertThat(console.get("port")).isEqualTo(9443);
        assertThat(console.get("safe.change.confirm.seconds")).isEqualTo(60);
        assertThat((String[]) console.get(ConfigLoader.MANAGED_KEYS)).containsExactly("port",
                "safe.change.confirm.seconds");

        write(device("m1", "10.0.0.1"));
        loader.apply(dir);

        assertThat(store).doesNotContainKey("cellgate.console");
    }

    @Test
    void activate_profilesNoDeviceUses_offeredInTheLibraryWithVendorAndModel() throws IOException {
        write(device("m1", "10.0.0.1"));
        Files.writeString(dir.resolve("cell.yaml"), "profiles: [profiles, more]\n", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(dir.resolve("profiles/vfd.yaml"), """
                profile: { id: vfd, vendor: ABB, model: ACS580 }
                tags:
                  - { name: speed, area: holding_register, address: 1, type: uint16 }
                """);
        Files.createDirectories(dir.resolve("more"));
        // Shadowed by profiles/vfd.yaml (first directory wins, as for a device), so never read.
        Files.writeString(dir.resolve("more/vfd.yaml"), "not: [a profile");
        Files.writeString(dir.resolve("more/plc.yaml"), PROFILE.replace("id: meter", "id: plc, model: S7"));

        loader = new ConfigLoader(cm(), context(), config(dir));

        ProfileRegistry r = (ProfileRegistry) registered.get(0);
        assertThat(r.profiles()).extracting(io.cellgate.api.config.DeviceProfile::id).containsExactly("meter");
        assertThat(r.library()).extracting(p -> p.id() + "|" + p.vendor() + "|" + p.model())
                .containsExactly("meter|null|null", "plc|null|S7", "vfd|ABB|ACS580");
        assertThat(r.libraryProblems()).isEmpty();
        assertThat(r.profile("vfd")).as("a device component only finds applied profiles").isEmpty();
    }

    @Test
    void activate_invalidProfileNoDeviceUses_cellAppliedAndTheFileReportedWithItsPosition() throws IOException {
        write(device("m1", "10.0.0.1"));
        Files.writeString(dir.resolve("profiles/broken.yaml"), PROFILE.replace("id: meter", "id: broken")
                .replace("address: 0", "address: 70000"));
        Files.writeString(dir.resolve("profiles/renamed.yaml"), PROFILE);

        loader = new ConfigLoader(cm(), context(), config(dir));

        assertThat(store).containsKey("cellgate.device~m1");
        ProfileRegistry r = (ProfileRegistry) registered.get(0);
        assertThat(r.library()).extracting(io.cellgate.api.config.DeviceProfile::id).containsExactly("meter");
        assertThat(r.libraryProblems()).hasSize(2);
        assertThat(r.libraryProblems().get(0)).startsWith("profiles/broken.yaml:3:").contains("70000");
        assertThat(r.libraryProblems().get(1)).startsWith("profiles/renamed.yaml:1:").contains("'meter'",
                "file name");
        assertThat(messages(Level.WARN)).singleElement().asString().contains("profiles/broken.yaml:3:",
                "profiles/renamed.yaml:1:");
    }

    @Test
    void activate_invalidProfileADeviceUses_nothingApplied() throws IOException {
        write(device("m1", "10.0.0.1"));
        Files.writeString(dir.resolve("profiles/meter.yaml"), PROFILE.replace("address: 0", "address: 70000"));

        loader = new ConfigLoader(cm(), context(), config(dir));

        assertThat(store).doesNotContainKey("cellgate.device~m1");
        assertThat(registered).isEmpty();
        assertThat(messages(Level.ERROR)).singleElement().asString().contains("profiles/meter.yaml:3:", "70000");
    }

    @Test
    void apply_profileAddedOnTheSearchPath_offeredAfterTheNextApply() throws IOException {
        write(device("m1", "10.0.0.1"));
        loader = new ConfigLoader(cm(), context(), config(dir));
        ProfileRegistry r = (ProfileRegistry) registered.get(0);
        assertThat(r.library()).extracting(io.cellgate.api.config.DeviceProfile::id).containsExactly("meter");
        Files.writeString(dir.resolve("profiles/plc.yaml"), PROFILE.replace("id: meter", "id: plc"));

        assertThat(loader.apply(dir).isValid()).isTrue();

        assertThat(r.library()).extracting(io.cellgate.api.config.DeviceProfile::id).containsExactly("meter", "plc");
    }

    private void stateDir(Path p) {
        Hashtable<String, Object> h = new Hashtable<>();
        h.put(ConfigLoader.STATE_DIR, p.toString());
        h.put("service.pid", ConfigLoader.RUNTIME_PID);
        store.put(ConfigLoader.RUNTIME_PID, h);
    }

    private ConfigLoader start(Path cellDir, Instant now) {
        return new ConfigLoader(cm(), context(), config(cellDir), Clock.fixed(now, ZoneOffset.UTC));
    }

    /** A gateway restart: a clean ConfigAdmin holding only what the launcher writes, a new component. */
    private void restart(Path cellDir, Instant now) {
        loader.deactivate();
        store.keySet().removeIf(pid -> !pid.equals(ConfigLoader.RUNTIME_PID));
        writes.clear();
        log.list.clear();
        loader = start(cellDir, now);
    }

    /** An admin's broken edit: a typo in cell.yaml and an address out of range in the profile. */
    private void breakFiles() throws IOException {
        Files.writeString(dir.resolve("cell.yaml"), """
                cell: { id: c }
                devices:
                  - id: m1
                    timout: 1s
                    profile: meter
                    endpoint: { protocol: modbus-tcp, host: 10.0.0.1 }
                """);
        Files.writeString(dir.resolve("profiles/meter.yaml"), PROFILE.replace("address: 0", "address: 70000"));
    }

    private Path lastGood() {
        return state.resolve("config/last-good");
    }

    private static Properties manifest(Path snapshot) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newInputStream(snapshot.resolve("manifest.properties"))) {
            p.load(in);
        }
        return p;
    }

    private List<String> messages(Level level) {
        return log.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    // ---- fakes ----

    private static LoaderConfig config(Path dir) {
        return (LoaderConfig) Proxy.newProxyInstance(LoaderConfig.class.getClassLoader(),
                new Class<?>[] {LoaderConfig.class}, (p, m, a) -> switch (m.getName()) {
                    case "directory" -> dir.toString();
                    case "watch_interval" -> 0L;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    private BundleContext context() {
        return proxy(BundleContext.class, (m, a) -> {
            if (m.equals("registerService")) {
                if (a[0] == io.cellgate.config.ConfigEditor.class) {
                    editorService = (io.cellgate.config.ConfigEditor) a[1];
                    return proxy(org.osgi.framework.ServiceRegistration.class, (m2, a2) -> null);
                }
                registered.add(a[1]);
                return proxy(org.osgi.framework.ServiceRegistration.class, (m2, a2) -> {
                    if (m2.equals("unregister")) {
                        registered.remove(a[1]);
                    }
                    return null;
                });
            }
            throw new UnsupportedOperationException(m);
        });
    }

    private ConfigurationAdmin cm() {
        return proxy(ConfigurationAdmin.class, (m, a) -> switch (m) {
            case "getConfiguration" -> configuration((String) a[0]);
            case "getFactoryConfiguration" -> configuration(a[0] + "~" + a[1]);
            case "listConfigurations" -> store.entrySet().stream()
                    .filter(e -> e.getValue() != null && matches((String) a[0], e.getKey()))
                    .map(e -> configuration(e.getKey())).toArray(Configuration[]::new);
            default -> throw new UnsupportedOperationException(m);
        });
    }

    private Configuration configuration(String pid) {
        store.putIfAbsent(pid, null);
        return proxy(Configuration.class, (m, a) -> {
            switch (m) {
                case "getPid":
                    return pid;
                case "getProperties":
                    return store.get(pid) == null ? null : new Hashtable<>((Hashtable<String, Object>) store.get(pid));
                case "updateIfDifferent": {
                    Hashtable<String, Object> next = toMap(a[0]);
                    Dictionary<String, Object> old = store.get(pid);
                    boolean same = old != null && ConfigDiff.same(old, withoutAdminKeys(next));
                    if (!same) {
                        next.put("service.pid", pid);
                        store.put(pid, next);
                        writes.add("update " + pid);
                    }
                    return !same;
                }
                case "delete":
                    store.remove(pid);
                    writes.add("delete " + pid);
                    return null;
                default:
                    throw new UnsupportedOperationException(m);
            }
        });
    }

    /** The two filters the loader uses: device factory configurations, and one PID. */
    private static boolean matches(String filter, String pid) {
        if (filter.equals("(service.factoryPid=" + ConfigKeys.DEVICE_FACTORY_PID + ")")) {
            return pid.startsWith(ConfigKeys.DEVICE_FACTORY_PID + "~");
        }
        if (filter.startsWith("(service.pid=")) {
            return pid.equals(filter.substring("(service.pid=".length(), filter.length() - 1));
        }
        throw new UnsupportedOperationException(filter);
    }

    private static Hashtable<String, Object> toMap(Object dictionary) {
        Dictionary<String, Object> d = (Dictionary<String, Object>) dictionary;
        Hashtable<String, Object> h = new Hashtable<>();
        for (var k = d.keys(); k.hasMoreElements();) {
            String key = k.nextElement();
            h.put(key, d.get(key));
        }
        return h;
    }

    private static Map<String, Object> withoutAdminKeys(Hashtable<String, Object> h) {
        Map<String, Object> m = new LinkedHashMap<>(h);
        m.remove("service.pid");
        return m;
    }

    interface Handler {
        Object handle(String method, Object[] args) throws Exception;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Handler h) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> {
            if (m.getDeclaringClass() == Object.class) {
                return switch (m.getName()) {
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == a[0];
                    default -> type.getSimpleName();
                };
            }
            return h.handle(m.getName(), a);
        });
    }
}
