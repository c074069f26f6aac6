package io.cellgate.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.config.AccessValidator;
import io.cellgate.config.ConfigEditor.ChangeResult;
import io.cellgate.config.ConfigEditor.Outcome;
import io.cellgate.config.ConfigEditor.Snapshot;
import io.cellgate.config.LoadResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The editor against a real directory and snapshot store, with a host that applies by loading (no ConfigAdmin) and a
 * fake northbound signal: conflicts, invalid changes and failed applies write nothing; a valid change is written
 * atomically with the file's mode, applied, audited and snapshotted; a connectivity change that loses the broker is
 * rolled back.
 */
class EditorTest {

    private static final String CELL = """
            cell: { id: line-1 }
            devices:
              - { id: m1, profile: meter, endpoint: { protocol: modbus-tcp, host: 10.0.0.1 } }
            """;
    private static final String MQTT = """
            mqtt:
              brokers: ["tcp://127.0.0.1:%d"]
              allowInsecure: true
            sparkplug: { groupId: plant }
            console: { safeChange: { confirmSeconds: 5 } }
            """;

    @TempDir
    Path dir;
    @TempDir
    Path state;

    private final List<AuditEvent> audit = new ArrayList<>();
    private final List<String> applied = new ArrayList<>();
    private final AtomicBoolean online = new AtomicBoolean();
    /** The fake edge node: online while the applied cell.yaml names this broker port. */
    private volatile int brokerPort = -1;
    private final AtomicInteger failApplies = new AtomicInteger();
    /** The fake OPC UA server: listens on the applied opcua port, except on this one (taken by something else). */
    private volatile int opcuaListening = -1;
    private static final int TAKEN_PORT = 4999;
    private SnapshotStore store;
    private Editor editor;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(dir.resolve("profiles"));
        Files.writeString(dir.resolve("profiles/meter.yaml"), """
                profile: { id: meter }
                tags:
                  - { name: v, area: holding_register, address: 0, type: int16 }
                """);
        Files.writeString(dir.resolve("cell.yaml"), CELL);
        Files.setPosixFilePermissions(dir.resolve("cell.yaml"), PosixFilePermissions.fromString("rw-rw----"));
        store = new SnapshotStore(state.resolve("config"));
        editor = new Editor(new FakeHost(), new FakeNorthbound(), Clock.systemUTC(), Duration.ZERO,
                Duration.ofMillis(20));
    }

    @Test
    void change_valid_writtenWithTheFileModeAppliedAuditedAndSnapshotted() throws Exception {
        String next = CELL.replace("10.0.0.1", "10.0.0.2");

        ChangeResult r = editor.change(next, editor.current().sha256(), "anna", "new address of m1");

        assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.APPLIED);
        assertThat(Files.readString(dir.resolve("cell.yaml"))).isEqualTo(next);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("cell.yaml"))))
                .isEqualTo("rw-rw----");
        assertThat(applied).containsExactly(next);
        assertThat(r.snapshot()).get().extracting(Snapshot::identity, Snapshot::reason, Snapshot::sha256)
                .containsExactly("anna", "new address of m1", Editor.sha256(next.getBytes()));
        assertThat(editor.snapshotText(r.snapshot().get().id())).contains(next);
        assertThat(audit).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("config.change");
            assertThat(e.identity()).isEqualTo("anna");
            assertThat(e.result()).isEqualTo(AuditEvent.Result.SUCCESS);
            assertThat(e.reason()).contains("new address of m1");
        });
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactlyInAnyOrder("cell.yaml", "profiles");
        }
    }

    @Test
    void change_invalid_errorsWithPositionNothingWrittenOrApplied() throws Exception {
        ChangeResult r = editor.change(CELL.replace("modbus-tcp", "modbus-tpc"), editor.current().sha256(), "anna", "");

        assertThat(r.outcome()).isEqualTo(Outcome.INVALID);
        assertThat(r.errors()).singleElement().hasToString(
                "cell.yaml:3:53: devices[0].endpoint.protocol: 'modbus-tpc' is not one of modbus-tcp, modbus-rtu, "
                        + "modbus-rtu-over-tcp (did you mean 'modbus-tcp'?)");
        assertThat(r.message()).contains("nothing was written").contains("cell.yaml:3:53");
        assertThat(Files.readString(dir.resolve("cell.yaml"))).isEqualTo(CELL);
        assertThat(applied).isEmpty();
        assertThat(store.list()).isEmpty();
        assertThat(audit).singleElement().extracting(AuditEvent::result).isEqualTo(AuditEvent.Result.DENIED);
    }

    @Test
    void change_fromAnOlderHash_conflictNothingWritten() throws Exception {
        String seen = editor.current().sha256();
        Files.writeString(dir.resolve("cell.yaml"), CELL + "# edited by hand\n");

        ChangeResult r = editor.change(CELL.replace("10.0.0.1", "10.0.0.2"), seen, "anna", "");

        assertThat(r.outcome()).isEqualTo(Outcome.CONFLICT);
        assertThat(r.message()).contains("changed by someone else");
        assertThat(Files.readString(dir.resolve("cell.yaml"))).endsWith("# edited by hand\n");
        assertThat(applied).isEmpty();
    }

    @Test
    void check_candidate_validatedWithTheDirectoryProfilesWithoutWriting() throws Exception {
        LoadResult bad = editor.check(CELL.replace("profile: meter", "profile: drive"));
        LoadResult good = editor.check(CELL.replace("10.0.0.1", "10.0.0.9"));

        assertThat(bad.errorReport()).contains("profile 'drive' not found");
        assertThat(good.isValid()).isTrue();
        assertThat(Files.readString(dir.resolve("cell.yaml"))).isEqualTo(CELL);
    }

    @Test
    void change_applyFails_previousFileRestored() throws Exception {
        failApplies.set(1);

        ChangeResult r = editor.change(CELL.replace("10.0.0.1", "10.0.0.2"), editor.current().sha256(), "anna", "");

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.message()).contains("previous cell.yaml was restored");
        assertThat(Files.readString(dir.resolve("cell.yaml"))).isEqualTo(CELL);
    }

    @Test
    void rollback_olderSnapshot_restoredAsANewChange() throws Exception {
        String v2 = CELL.replace("10.0.0.1", "10.0.0.2");
        long first = editor.change(CELL, editor.current().sha256(), "anna", "first").snapshot().orElseThrow().id();
        editor.change(v2, editor.current().sha256(), "anna", "second");

        ChangeResult r = editor.rollback(first, "otto");

        assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.APPLIED);
        assertThat(Files.readString(dir.resolve("cell.yaml"))).isEqualTo(CELL);
        assertThat(r.snapshot()).get().extracting(Snapshot::id, Snapshot::identity, Snapshot::reason)
                .containsExactly(first + 2, "otto", "rollback to snapshot " + first);
        assertThat(audit.get(audit.size() - 1).action()).isEqualTo("config.rollback");
        assertThat(editor.rollback(999, "otto").outcome()).isEqualTo(Outcome.FAILED);
    }

    @Test
    void change_brokerPortWrong_rolledBackAutomaticallyAndAudited() throws Exception {
        String connected = CELL + MQTT.formatted(1883);
        brokerPort = 1883;
        editor.change(connected, editor.current().sha256(), "anna", "broker");
        assertThat(online).as("the fake edge node is connected").isTrue();

        ChangeResult r = editor.change(CELL + MQTT.formatted(1884), editor.current().sha256(), "anna", "wrong port");

        assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(r.message()).contains("not connected to its MQTT broker again within 5 s")
                .contains("previous configuration was restored");
        assertThat(Files.readString(dir.resolve("cell.yaml"))).isEqualTo(connected);
        assertThat(applied).last().isEqualTo(connected);
        assertThat(online).isTrue();
        assertThat(store.list()).extracting(Snapshot::identity, Snapshot::reason).first()
                .isEqualTo(org.assertj.core.groups.Tuple.tuple("system",
                        "automatic rollback of snapshot " + (r.snapshot().get().id() - 1) + ": northbound lost"));
        assertThat(audit).last().satisfies(e -> {
            assertThat(e.action()).isEqualTo("config.rollback");
            assertThat(e.reason()).startsWith("northbound lost");
        });
    }

    @Test
    void change_connectivityChangeThatReconnects_staysApplied() throws Exception {
        brokerPort = 1883;
        editor.change(CELL + MQTT.formatted(1883), editor.current().sha256(), "anna", "broker");

        ChangeResult r = editor.change(CELL + MQTT.formatted(1883).replace("groupId: plant", "groupId: hall-2"),
                editor.current().sha256(), "anna", "other group");

        assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.APPLIED);
        assertThat(r.message()).contains("connected to its MQTT broker again");
    }

    @Test
    void change_notConnectedBefore_notWatched() throws Exception {
        // The broker is down anyway: a change cannot be blamed for a lost connection that was never there.
        ChangeResult r = editor.change(CELL + MQTT.formatted(1884), editor.current().sha256(), "anna", "");

        assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(online).isFalse();
    }

    @Test
    void change_opcuaPortThatCannotBeBound_noMqtt_rolledBackBecauseTheServerDoesNotListen() throws Exception {
        String running = CELL + "opcua: { port: 4841 }\nconsole: { safeChange: { confirmSeconds: 5 } }\n";
        editor.change(running, editor.current().sha256(), "anna", "opc ua port");
        assertThat(opcuaListening).isEqualTo(4841);

        ChangeResult moved = editor.change(running.replace("4841", "4842"), editor.current().sha256(), "anna", "");
        ChangeResult taken = editor.change(running.replace("4841", "" + TAKEN_PORT), editor.current().sha256(), "anna",
                "");

        assertThat(moved.outcome()).as(moved.message()).isEqualTo(Outcome.APPLIED);
        assertThat(moved.message()).contains("listening for OPC UA clients on 127.0.0.1:4842 again");
        assertThat(taken.outcome()).as(taken.message()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(taken.message()).contains("not listening for OPC UA clients on 127.0.0.1:4999 again within 5 s");
        assertThat(Files.readString(dir.resolve("cell.yaml"))).contains("port: 4842");
    }

    private final class FakeHost implements Editor.Host {
        private final Object lock = new Object();

        @Override
        public Object lock() {
            return lock;
        }

        @Override
        public Path directory() {
            return dir;
        }

        @Override
        public AccessValidator access() {
            return null;
        }

        @Override
        public ConfigLoader.Applied applyDirectory(ConfigLoader.Origin origin) {
            CellLoader.Loaded loaded = CellLoader.loadWithSources(dir, null);
            if (!loaded.result().isValid()) {
                return new ConfigLoader.Applied(loaded.result(), false, Optional.empty(), "invalid");
            }
            if (failApplies.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return new ConfigLoader.Applied(loaded.result(), false, Optional.empty(), "ConfigAdmin failed");
            }
            String text = new String(loaded.files().get("cell.yaml"), java.nio.charset.StandardCharsets.UTF_8);
            applied.add(text);
            online.set(loaded.result().mqtt().isPresent() && text.contains(":" + brokerPort + "\""));
            Integer port = loaded.result().opcua().orElseThrow().port();
            opcuaListening = port == null ? Editor.OPCUA_DEFAULT_PORT : port == TAKEN_PORT ? -1 : port;
            try {
                return new ConfigLoader.Applied(loaded.result(), true, Optional.of(store.add(loaded.files()
                        .get("cell.yaml"), java.time.Instant.now(), origin.identity(), origin.reason())), null);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public Optional<SnapshotStore> snapshotStore() {
            return Optional.of(store);
        }

        @Override
        public void audit(AuditEvent event) {
            audit.add(event);
        }
    }

    private final class FakeNorthbound implements Northbound {
        @Override
        public Optional<Boolean> mqttOnline() {
            return applied.isEmpty() || !applied.get(applied.size() - 1).contains("mqtt:") ? Optional.empty()
                    : Optional.of(online.get());
        }

        @Override
        public boolean listening(String host, int port) {
            return host.equals("127.0.0.1") && port == opcuaListening;
        }
    }
}
