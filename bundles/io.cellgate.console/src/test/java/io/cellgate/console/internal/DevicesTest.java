package io.cellgate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.bus.Subscription;
import io.cellgate.api.bus.TagBus;
import io.cellgate.api.bus.TagListener;
import io.cellgate.api.config.Access;
import io.cellgate.api.config.ByteOrder;
import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.ProfileRegistry;
import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.api.config.WordOrder;
import io.cellgate.api.policy.AccessPolicy;
import io.cellgate.api.policy.Action;
import io.cellgate.api.policy.Decision;
import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.config.ConfigEditor;
import io.cellgate.config.ConfigError;
import io.cellgate.config.LoadResult;
import io.cellgate.console.internal.Devices.Outcome;
import io.cellgate.identity.Identity;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The device changes without a framework: an in-memory configuration editor, a policy that lets Engineers configure. */
class DevicesTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T03:00:00Z"), ZoneOffset.UTC);
    private static final Identity ERIK = new Identity("erik", Set.of("Engineer"), Identity.Kind.USER);
    private static final Identity OTTO = new Identity("otto", Set.of("Observer"), Identity.Kind.USER);
    private static final String CELL = """
            cell: { id: c }   # the cell
            devices:
              - id: meter-1
                profile: meter
                endpoint:
                  protocol: modbus-tcp   # switch port 4
                  host: 10.0.0.5
            """;
    private static final DeviceProfile METER = new DeviceProfile("meter", null, null, null, List.of(new TagDefinition(
            "v", RegisterArea.HOLDING_REGISTER, 0, DataType.INT16, -1, 0, ByteOrder.BIG_ENDIAN, WordOrder.HIGH_FIRST, 1, 0,
            "V", null, Access.READ_ONLY, null, null, 0, null)));

    private static final DeviceProfile VFD = new DeviceProfile("vfd-acs580", "ABB", "ACS580", null, METER.tags());

    private final List<AuditEvent> audit = new ArrayList<>();
    private final Editor editor = new Editor();
    private final AccessPolicy policy = r -> r.action() == Action.CONFIGURE && !r.subject().roles().contains("Engineer")
            ? Decision.deny("no rule matched", 1) : new Decision(true, "test", "allowed", 1);
    private final Guard guard = new Guard(() -> policy, e -> audit.add(e), CLOCK);
    private final Devices devices = new Devices(() -> editor, () -> new Profiles(), () -> null,
            new Status(new Bus(), () -> null, () -> null, guard), guard);

    /** Keeps the text; answers with {@link #next} (APPLIED unless a test sets another outcome). */
    static final class Editor implements ConfigEditor {
        String text = CELL;
        String lastHash;
        String lastIdentity;
        ChangeResult next;
        int changes;

        @Override
        public Current current() {
            return new Current(text, Integer.toHexString(text.hashCode()));
        }

        @Override
        public LoadResult check(String cellYaml) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ChangeResult change(String cellYaml, String expectedHash, String identity, String reason) {
            lastHash = expectedHash;
            lastIdentity = identity;
            if (next != null) {
                return next;
            }
            changes++;
            text = cellYaml;
            return new ChangeResult(Outcome.APPLIED, Optional.of(new Snapshot(changes, Instant.EPOCH, identity, reason, "h")),
                    List.of(), "applied");
        }

        @Override
        public List<Snapshot> snapshots() {
            return List.of();
        }

        @Override
        public Optional<String> snapshotText(long id) {
            return Optional.empty();
        }

        @Override
        public ChangeResult rollback(long id, String identity) {
            throw new UnsupportedOperationException();
        }
    }

    static final class Profiles implements ProfileRegistry {
        @Override
        public Optional<DeviceProfile> profile(String id) {
            return "meter".equals(id) ? Optional.of(METER) : Optional.empty();
        }

        @Override
        public Collection<DeviceProfile> profiles() {
            return List.of(METER);
        }

        /** Unordered, with a device-specific copy the console must not offer. */
        @Override
        public Collection<DeviceProfile> library() {
            return List.of(VFD, new DeviceProfile("meter@meter-1", null, null, null, METER.tags()), METER,
                    new DeviceProfile("plc", null, "S7-1200", null, METER.tags()));
        }

        @Override
        public List<String> libraryProblems() {
            return List.of("profiles/broken.yaml:3:5: tags[0].address: 70000 is out of range");
        }
    }

    static final class Bus implements TagBus {
        @Override
        public Optional<TagValue> value(TagPath path) {
            return Optional.empty();
        }

        @Override
        public Optional<TagInfo> info(TagPath path) {
            return Optional.empty();
        }

        @Override
        public Collection<TagInfo> tags() {
            return List.of();
        }

        @Override
        public Collection<DeviceState> devices() {
            return List.of();
        }

        @Override
        public Optional<DeviceState> device(String deviceId) {
            return Optional.empty();
        }

        @Override
        public Subscription subscribe(TagListener listener) {
            return () -> { };
        }
    }

    @Test
    void create_validForm_appendedAndChangedAsTheCallerFromTheHashItWasReadWith() {
        String hash = editor.current().sha256();

        Outcome o = devices.create(ERIK, "console", "127.0.0.1:1", Map.of("id", "plc-2", "profile", "meter",
                "protocol", "modbus-tcp", "host", "10.0.0.6", "port", "1502", "unitId", "2", "name", "", "pollGroups", ""));

        assertThat(o.ok()).as(o.message()).isTrue();
        assertThat(o.message()).isEqualTo("Applied: device plc-2 added (snapshot 1).");
        assertThat(editor.lastHash).isEqualTo(hash);
        assertThat(editor.lastIdentity).isEqualTo("erik");
        assertThat(editor.text).isEqualTo(CELL + """
                  - id: plc-2
                    profile: meter
                    endpoint: { protocol: modbus-tcp, host: 10.0.0.6, port: 1502 }
                    unitId: 2
                """);
    }

    @Test
    void create_badFields_everyFieldNamedNothingSent() {
        Outcome o = devices.create(ERIK, "console", "127.0.0.1:1", Map.of("id", "meter-1", "profile", "meter",
                "protocol", "modbus-rtu", "serialPort", "COM1", "baudRate", "1234", "host", "10.0.0.6", "unitId", "x"));

        assertThat(o.status()).isEqualTo(400);
        assertThat(o.errors()).extracting(FieldError::field).containsExactly("id", "serialPort", "baudRate", "parity",
                "host", "unitId");
        assertThat(o.errors().get(0).reason()).isEqualTo("a device 'meter-1' exists already");
        assertThat(editor.changes).isZero();
        assertThat(editor.lastHash).isNull();
    }

    @Test
    void create_observer_deniedAndAuditedBeforeAnyCheck() {
        Outcome o = devices.create(OTTO, "rest", "127.0.0.1:1", Map.of("id", "bad id!"));

        assertThat(o.status()).isEqualTo(403);
        assertThat(editor.lastHash).isNull();
        assertThat(audit).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("device.add");
            assertThat(e.resource()).isEqualTo("devices/bad id!");
            assertThat(e.result()).isEqualTo(AuditEvent.Result.DENIED);
        });
    }

    @Test
    void update_onlyChangedKeysRewritten_commentsOfUnchangedKeysStay() {
        Outcome same = devices.update(ERIK, "console", "s", "meter-1", Map.of("protocol", "modbus-tcp", "host", "10.0.0.5",
                "port", "", "name", ""));
        assertThat(same.status()).isEqualTo(400);
        assertThat(same.errors()).extracting(FieldError::reason).containsExactly("nothing changed: the values are the present ones");

        Outcome o = devices.update(ERIK, "console", "s", "meter-1", Map.of("protocol", "modbus-tcp", "host", "10.0.0.5",
                "name", "Incomer"));
        assertThat(o.ok()).as(o.message()).isTrue();
        assertThat(o.message()).contains("(name)");
        assertThat(editor.text).contains("protocol: modbus-tcp   # switch port 4").contains("    name: Incomer\n");
    }

    @Test
    void update_someEndpointFieldsFromAScript_othersKeptAsWritten() {
        Outcome o = devices.update(ERIK, "rest", "s", "meter-1", Map.of("port", "1502"));

        assertThat(o.ok()).as(o.message()).isTrue();
        assertThat(editor.text).contains("endpoint: { protocol: modbus-tcp, host: 10.0.0.5, port: 1502 }");
    }

    @Test
    void change_loaderRefuses_errorsOfThisDeviceByFieldOthersWithTheirPosition() {
        editor.next = new ConfigEditor.ChangeResult(ConfigEditor.Outcome.INVALID, Optional.empty(), List.of(
                new ConfigError("cell.yaml", 9, 5, "devices[1].endpoint.port", "bad port"),
                new ConfigError("cell.yaml", 10, 5, "devices[1].tags.v.min", "min above max"),
                new ConfigError("cell.yaml", 11, 5, "devices[1].pollGroups.fast", "too fast"),
                new ConfigError("cell.yaml", 4, 5, "devices[0].unitId", "unit 1 used twice")), "invalid");

        Outcome o = devices.create(ERIK, "console", "s", Map.of("id", "plc-2", "profile", "meter", "protocol",
                "modbus-tcp", "host", "h"));

        assertThat(o.status()).isEqualTo(400);
        assertThat(o.errors()).containsExactly(new FieldError("port", "bad port"), new FieldError("v.min", "min above max"),
                new FieldError("pollGroups", "too fast"), new FieldError("cell.yaml:4 devices[0].unitId", "unit 1 used twice"));
    }

    @Test
    void change_fileChangedMeanwhile_conflictSaysReload() {
        editor.next = new ConfigEditor.ChangeResult(ConfigEditor.Outcome.CONFLICT, Optional.empty(), List.of(), "conflict");

        Outcome o = devices.setEnabled(ERIK, "console", "s", "meter-1", false);

        assertThat(o.status()).isEqualTo(409);
        assertThat(o.message()).contains("changed meanwhile").contains("Reload");
    }

    @Test
    void importCsv_badRow_nothingSent_goodFile_overridesWritten() {
        Outcome bad = devices.importCsv(ERIK, "console", "s", "meter-1", "name,scale\nv,abc\n");
        assertThat(bad.errors()).containsExactly(new FieldError("row 2, column scale", "'abc' is not a number"));
        assertThat(editor.changes).isZero();

        Outcome good = devices.importCsv(ERIK, "console", "s", "meter-1", "name,unit,scale\nv,kV,0.001\n");
        assertThat(good.ok()).as(good.message()).isTrue();
        assertThat(editor.text).endsWith("""
                      host: 10.0.0.5
                    tags:
                      v: { unit: kV, scale: 0.001 }
                """);
        assertThat(devices.exportCsv("meter-1")).hasValueSatisfying(csv -> assertThat(csv).contains("v,holding_register,0,int16,kV,,0.001,"));
    }

    @Test
    void remove_unknownDevice_notFound() {
        assertThat(devices.remove(ERIK, "console", "s", "nope").status()).isEqualTo(404);
        assertThat(devices.remove(ERIK, "console", "s", "meter-1").ok()).isTrue();
        assertThat(editor.text).contains("devices: []");
    }

    @Test
    void profileChoices_everyProfileOfTheLibrarySortedWithoutDeviceCopies_labelledWithVendorAndModel() {
        assertThat(devices.profileChoices()).extracting(DevicesPage::profileLabel)
                .containsExactly("meter", "plc \u2014 S7-1200", "vfd-acs580 \u2014 ABB ACS580");
        assertThat(devices.profileProblems()).containsExactly("profiles/broken.yaml:3:5: tags[0].address: 70000 is out of range");
    }

    @Test
    void profileChoices_registryWithOnlyTheAppliedProfiles_thoseOffered() {
        ProfileRegistry applied = new ProfileRegistry() {
            @Override
            public Optional<DeviceProfile> profile(String id) {
                return Optional.empty();
            }

            @Override
            public Collection<DeviceProfile> profiles() {
                return List.of(new DeviceProfile("meter@meter-1", null, null, null, METER.tags()), METER);
            }
        };
        Devices old = new Devices(() -> editor, () -> applied, () -> null, new Status(new Bus(), () -> null, () -> null,
                guard), guard);

        assertThat(old.profileChoices()).extracting(DeviceProfile::id).containsExactly("meter");
        assertThat(old.profileProblems()).isEmpty();
    }
}
