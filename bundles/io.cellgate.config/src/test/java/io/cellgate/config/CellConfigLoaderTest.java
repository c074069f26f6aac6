package io.cellgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.config.Access;
import io.cellgate.api.config.ByteOrder;
import io.cellgate.api.config.CellConfig;
import io.cellgate.api.config.DeviceConfig;
import io.cellgate.api.config.PollGroup;
import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.api.config.WordOrder;
import io.cellgate.api.tag.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per class of configuration error: each asserts file, line, field path and reason, so that
 * the admin's view of a mistake is pinned down.
 */
class CellConfigLoaderTest {

    @TempDir
    Path dir;

    private static final String CELL = """
            cell:
              id: line-1
              name: Line 1
            pollGroups:
              fast: 500ms
              slow: 5s
            devices:
              - id: meter-1
                profile: meter
                endpoint: { protocol: modbus-tcp, host: 192.168.1.10, port: 502 }
                unitId: 1
            """;

    private static final String PROFILE = """
            profile:
              id: meter
              vendor: ACME
            tags:
              - name: voltage
                area: input_register
                address: 0
                type: float32
                unit: V
              - name: energy
                area: input_register
                address: 2
                type: int64
                pollGroup: slow
            """;

    private LoadResult load(String cell, String profile) throws IOException {
        Files.writeString(dir.resolve("cell.yaml"), cell);
        Files.createDirectories(dir.resolve("profiles"));
        if (profile != null) {
            Files.writeString(dir.resolve("profiles/meter.yaml"), profile);
        }
        return CellConfigLoader.load(dir);
    }

    private LoadResult loadProfile(String tags) throws IOException {
        return load(CELL, "profile:\n  id: meter\ntags:\n" + tags);
    }

    /** The only error of an invalid load. */
    private static ConfigError single(LoadResult r) {
        assertThat(r.isValid()).isFalse();
        assertThat(r.errors()).as(r.errorReport()).hasSize(1);
        return r.errors().get(0);
    }

    // ---- a valid load ----

    @Test
    void load_validDirectory_buildsTheModelWithDefaults() throws IOException {
        LoadResult r = load(CELL, PROFILE);

        assertThat(r.errors()).isEmpty();
        CellConfig c = r.config().orElseThrow();
        assertThat(c.cellId()).isEqualTo("line-1");
        assertThat(c.name()).isEqualTo("Line 1");
        assertThat(c.hash()).hasSize(64);
        DeviceConfig d = c.devices().get(0);
        assertThat(d.name()).isEqualTo("meter-1");
        assertThat(d.enabled()).isTrue();
        assertThat(d.endpoint().channelKey()).isEqualTo("modbus-tcp://192.168.1.10:502");
        assertThat(d.pollGroups()).containsExactly(new PollGroup("fast", 500), new PollGroup("slow", 5000));
        assertThat(d.timeoutMillis()).isEqualTo(1000);
        assertThat(d.retries()).isEqualTo(1);
        assertThat(d.maxOutstanding()).isEqualTo(1);
        assertThat(d.maxGap()).isEqualTo(8);
        assertThat(d.maxRegistersPerRead()).isEqualTo(125);
        TagDefinition v = c.profiles().get("meter").tag("voltage").orElseThrow();
        assertThat(v).isEqualTo(new TagDefinition("voltage", RegisterArea.INPUT_REGISTER, 0, DataType.FLOAT32, -1, 0,
                ByteOrder.BIG_ENDIAN, WordOrder.HIGH_FIRST, 1.0, 0.0, "V", null, Access.READ_ONLY, null, null, 0.0,
                null));
        assertThat(c.profiles().get("meter").tag("energy").orElseThrow().pollGroup()).isEqualTo("slow");
    }

    @Test
    void load_devicePollGroupsAndDefaults_overrideTheCellsInPlace() throws IOException {
        LoadResult r = load("""
                cell: { id: c }
                defaults: { timeout: 2s, retries: 0, minGap: 20ms, maxRegistersPerRead: 64 }
                pollGroups: { fast: 500ms, slow: 5s }
                devices:
                  - id: m
                    profile: meter
                    endpoint: { protocol: modbus-rtu, serialPort: /dev/ttyS0, baudRate: 9600, parity: none }
                    unitId: 7
                    timeout: 300ms
                    pollGroups: { slow: 1m, extra: 10ms }
                """, PROFILE);

        DeviceConfig d = r.config().orElseThrow().devices().get(0);
        assertThat(d.pollGroups()).containsExactly(new PollGroup("fast", 500), new PollGroup("slow", 60_000),
                new PollGroup("extra", 10));
        assertThat(d.timeoutMillis()).isEqualTo(300);
        assertThat(d.retries()).isZero();
        assertThat(d.minGapMillis()).isEqualTo(20);
        assertThat(d.maxRegistersPerRead()).isEqualTo(64);
        assertThat(d.endpoint().dataBits()).isEqualTo(8);
        assertThat(d.endpoint().stopBits()).isEqualTo(1);
    }

    @Test
    void load_noPollGroupsAnywhere_givesOneDefaultGroupOfOneSecond() throws IOException {
        LoadResult r = load(CELL.replace("pollGroups:\n  fast: 500ms\n  slow: 5s\n", ""),
                PROFILE.replace("    pollGroup: slow\n", ""));

        assertThat(r.config().orElseThrow().devices().get(0).pollGroups())
                .containsExactly(new PollGroup("default", 1000));
    }

    @Test
    void load_profileCommentChange_keepsTheProfileButChangesTheConfigHash() throws IOException {
        CellConfig before = load(CELL, PROFILE).config().orElseThrow();
        CellConfig after = load(CELL, "# a comment\n" + PROFILE).config().orElseThrow();

        assertThat(after.profiles()).isEqualTo(before.profiles());
        assertThat(after.hash()).isNotEqualTo(before.hash());
    }

    // ---- YAML level ----

    @Test
    void load_yamlSyntaxError_namesTheLine() throws IOException {
        ConfigError e = single(load(CELL.replace("  name: Line 1", "  name: [Line 1"), PROFILE));

        assertThat(e.file()).isEqualTo("cell.yaml");
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.message()).startsWith("YAML syntax error:");
    }

    @Test
    void load_duplicateYamlKey_isAnError() throws IOException {
        ConfigError e = single(load(CELL.replace("  name: Line 1", "  name: Line 1\n  name: Line 2"), PROFILE));

        assertThat(e.toString()).isEqualTo("cell.yaml:4:3: cell.name: duplicate key 'name' (first at line 3)");
    }

    @Test
    void load_anchorsAndAliases_areRejected() throws IOException {
        String laughs = """
                cell: { id: c }
                a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
                b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
                c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
                devices: []
                """;
        LoadResult r = load(laughs, PROFILE);

        assertThat(r.isValid()).isFalse();
        assertThat(r.errors()).anySatisfy(e -> assertThat(e.message()).containsAnyOf("anchors and aliases",
                "Number of aliases"));
    }

    @Test
    void load_customYamlTag_isRejected() throws IOException {
        ConfigError local = single(load(CELL.replace("name: Line 1", "name: !foo x"), PROFILE));
        ConfigError global = single(load(CELL.replace("name: Line 1", "name: !!javax.script.ScriptEngineManager x"),
                PROFILE));

        assertThat(local.toString()).isEqualTo("cell.yaml:3:9: cell.name: YAML tag '!foo' is not allowed");
        assertThat(global.line()).isEqualTo(3);
        assertThat(global.message()).contains("Global tag is not allowed");
    }

    @Test
    void load_fileLargerThanOneMebibyte_isRejectedUnread() throws IOException {
        ConfigError e = single(load(CELL + "#" + "x".repeat(1024 * 1024) + "\n", PROFILE));

        assertThat(e.file()).isEqualTo("cell.yaml");
        assertThat(e.line()).isZero();
        assertThat(e.message()).contains("more than the limit of 1048576 bytes");
    }

    @Test
    void load_missingCellFile_isReported() {
        ConfigError e = single(CellConfigLoader.load(dir));

        assertThat(e.toString()).isEqualTo("cell.yaml: file not found");
    }

    // ---- keys and types ----

    @Test
    void load_requiredKeyMissing_namesTheKeyAtItsParent() throws IOException {
        ConfigError e = single(load(CELL.replace("    profile: meter\n", ""), PROFILE));

        assertThat(e.toString()).isEqualTo("cell.yaml:8:5: devices[0].profile: required key 'profile' is missing");
    }

    @Test
    void load_unknownKey_suggestsTheClosestKnownKey() throws IOException {
        ConfigError e = single(loadProfile("""
                  - name: v
                    area: holding_register
                    adress: 5
                    address: 5
                    type: int16
                """));

        assertThat(e.toString()).isEqualTo(
                "profiles/meter.yaml:6:5: tags[0].adress: unknown key 'adress' (did you mean 'address'?)");
    }

    @Test
    void load_wrongValueType_isAnError() throws IOException {
        ConfigError e = single(loadProfile("  - { name: v, area: holding_register, address: five, type: int16 }\n"));

        assertThat(e.path()).isEqualTo("tags[0].address");
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.message()).isEqualTo("'five' is not an integer");
    }

    @Test
    void load_listWhereAMappingBelongs_isAnError() throws IOException {
        ConfigError e = single(load(CELL.replace("endpoint: { protocol: modbus-tcp, host: 192.168.1.10, port: 502 }",
                "endpoint: [modbus-tcp]"), PROFILE));

        assertThat(e.path()).isEqualTo("devices[0].endpoint");
        assertThat(e.message()).startsWith("expected a mapping");
    }

    @Test
    void load_unknownEnumValue_listsTheAllowedOnes() throws IOException {
        ConfigError e = single(loadProfile("  - { name: v, area: holding_register, address: 0, type: flaot32 }\n"));

        assertThat(e.path()).isEqualTo("tags[0].type");
        assertThat(e.message()).startsWith("'flaot32' is not one of bool, bit, int16")
                .endsWith("(did you mean 'float32'?)");
    }

    @Test
    void load_yesAsBoolean_isRejected() throws IOException {
        ConfigError e = single(load(CELL.replace("    unitId: 1\n", "    unitId: 1\n    enabled: yes\n"), PROFILE));

        assertThat(e.toString()).isEqualTo("cell.yaml:12:14: devices[0].enabled: 'yes' is not a boolean: use true or false");
    }

    @Test
    void load_durationWithoutUnit_isAnError() throws IOException {
        ConfigError e = single(load(CELL.replace("fast: 500ms", "fast: 500"), PROFILE));

        assertThat(e.toString()).startsWith("cell.yaml:5:9: pollGroups.fast: '500' is not a duration");
    }

    @Test
    void load_pollIntervalBelowTenMilliseconds_isAnError() throws IOException {
        ConfigError e = single(load(CELL.replace("fast: 500ms", "fast: 5ms"), PROFILE));

        assertThat(e.toString()).isEqualTo("cell.yaml:5:9: pollGroups.fast: 5ms is outside 10ms..24h");
    }

    // ---- ids ----

    @Test
    void load_invalidDeviceId_isAnError() throws IOException {
        ConfigError e = single(load(CELL.replace("id: meter-1", "id: meter/1"), PROFILE));

        assertThat(e.path()).isEqualTo("devices[0].id");
        assertThat(e.line()).isEqualTo(8);
        assertThat(e.message()).startsWith("'meter/1' is not a valid name");
    }

    @Test
    void load_duplicateDeviceId_pointsToTheFirst() throws IOException {
        String twice = CELL + """
                  - id: meter-1
                    profile: meter
                    endpoint: { protocol: modbus-tcp, host: 192.168.1.11 }
                """;
        ConfigError e = single(load(twice, PROFILE));

        assertThat(e.toString()).isEqualTo("cell.yaml:12:9: devices[1].id: duplicate device id 'meter-1' (also devices[0])");
    }

    @Test
    void load_duplicateTagName_isAnError() throws IOException {
        ConfigError e = single(loadProfile("""
                  - { name: v, area: holding_register, address: 0, type: int16 }
                  - { name: v, area: holding_register, address: 1, type: int16 }
                """));

        assertThat(e.toString()).isEqualTo(
                "profiles/meter.yaml:5:13: tags[1].name: duplicate tag name 'v' (also tags[0])");
    }

    @Test
    void load_profileIdNotMatchingFileName_isAnError() throws IOException {
        ConfigError e = single(load(CELL, PROFILE.replace("id: meter", "id: meter2")));

        assertThat(e.file()).isEqualTo("profiles/meter.yaml");
        assertThat(e.path()).isEqualTo("profile.id");
        assertThat(e.message()).contains("does not match the file name");
    }

    @Test
    void load_profileNotFound_namesTheSearchPath() throws IOException {
        ConfigError e = single(load(CELL.replace("profile: meter", "profile: meterx"), PROFILE));

        assertThat(e.toString()).isEqualTo(
                "cell.yaml:9:14: devices[0].profile: profile 'meterx' not found: no meterx.yaml in [profiles]");
    }

    @Test
    void load_profileSearchPath_findsLibraryProfilesAndReportsMissingDirectories() throws IOException {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.writeString(lib.resolve("meter.yaml"), PROFILE);
        Path cellDir = Files.createDirectories(dir.resolve("cell"));
        Files.writeString(cellDir.resolve("cell.yaml"), CELL.replace("devices:", "profiles: [../lib]\ndevices:"));

        LoadResult ok = CellConfigLoader.load(cellDir);
        Files.writeString(cellDir.resolve("cell.yaml"), CELL.replace("devices:", "profiles: [../lib, nope]\ndevices:"));
        ConfigError e = single(CellConfigLoader.load(cellDir));

        assertThat(ok.errors()).isEmpty();
        assertThat(ok.config().orElseThrow().profiles()).containsKey("meter");
        assertThat(e.path()).isEqualTo("profiles[1]");
        assertThat(e.message()).startsWith("profile directory 'nope' does not exist");
    }

    // ---- tags ----

    @Test
    void load_overlappingRegisterTags_isAnError() throws IOException {
        ConfigError e = single(loadProfile("""
                  - { name: a, area: holding_register, address: 10, type: float32 }
                  - { name: b, area: holding_register, address: 11, type: int16 }
                """));

        assertThat(e.toString()).isEqualTo("profiles/meter.yaml:5:49: tags[1].address: register 11 of "
                + "holding_register is also claimed by tag 'a' (registers 10..11); only bit tags may share a register");
    }

    @Test
    void load_bitTagsOnAWordTag_andSameAddressInOtherAreas_areValid() throws IOException {
        LoadResult r = loadProfile("""
                  - { name: word, area: holding_register, address: 10, type: uint16 }
                  - { name: b0, area: holding_register, address: 10, type: bit, bit: 0 }
                  - { name: b1, area: holding_register, address: 10, type: bit, bit: 1 }
                  - { name: ir, area: input_register, address: 10, type: uint16 }
                  - { name: coil, area: coil, address: 10 }
                """);

        assertThat(r.errors()).isEmpty();
    }

    @Test
    void load_sameBitTwice_isAnError() throws IOException {
        ConfigError e = single(loadProfile("""
                  - { name: b0, area: holding_register, address: 10, type: bit, bit: 0 }
                  - { name: b0again, area: holding_register, address: 10, type: bit, bit: 0 }
                """));

        assertThat(e.path()).isEqualTo("tags[1].address");
        assertThat(e.message()).startsWith("bit 0 of register 10 of holding_register is also claimed by tag 'b0'");
    }

    @Test
    void load_valueRunningPastAddress65535_isAnError() throws IOException {
        ConfigError e = single(loadProfile("  - { name: v, area: holding_register, address: 65534, type: float64 }\n"));

        assertThat(e.toString()).isEqualTo("profiles/meter.yaml:4:49: tags[0].address: address 65534 + 4 registers "
                + "of float64 ends at 65537, beyond 65535");
    }

    @Test
    void load_addressOutOfRange_isAnError() throws IOException {
        ConfigError e = single(loadProfile("  - { name: v, area: holding_register, address: 70000, type: int16 }\n"));

        assertThat(e.toString()).isEqualTo("profiles/meter.yaml:4:49: tags[0].address: 70000 is outside 0..65535");
    }

    @Test
    void load_bitOutsideRegister_isAnError() throws IOException {
        ConfigError e = single(loadProfile("  - { name: v, area: holding_register, address: 0, type: bit, bit: 16 }\n"));

        assertThat(e.path()).isEqualTo("tags[0].bit");
        assertThat(e.message()).isEqualTo("16 is outside 0..15");
    }

    @Test
    void load_bitTypeWithoutBit_isAnError() throws IOException {
        ConfigError e = single(loadProfile("  - { name: v, area: holding_register, address: 0, type: bit }\n"));

        assertThat(e.toString()).isEqualTo("profiles/meter.yaml:4:5: tags[0].bit: required key 'bit' is missing");
    }

    @Test
    void load_stringLength_isRequiredAndBounded() throws IOException {
        LoadResult r = loadProfile("""
                  - { name: s1, area: holding_register, address: 0, type: string }
                  - { name: s2, area: holding_register, address: 10, type: string, length: 251 }
                  - { name: s3, area: holding_register, address: 200, type: int16, length: 4 }
                """);

        assertThat(r.errors()).extracting(ConfigError::toString).containsExactly(
                "profiles/meter.yaml:4:5: tags[0].length: required key 'length' is missing",
                "profiles/meter.yaml:5:76: tags[1].length: 251 is outside 1..250",
                "profiles/meter.yaml:6:76: tags[2].length: 'length' applies only to type string, not to int16");
    }

    @Test
    void load_minGreaterThanMax_isAnError() throws IOException {
        ConfigError e = single(loadProfile(
                "  - { name: v, area: holding_register, address: 0, type: int16, access: read_write, min: 10, max: 5 }\n"));

        assertThat(e.path()).isEqualTo("tags[0].min");
        assertThat(e.message()).isEqualTo("min 10 is greater than max 5");
    }

    @Test
    void load_negativeDeadband_isAnError() throws IOException {
        ConfigError e = single(loadProfile("  - { name: v, area: input_register, address: 0, type: int16, deadband: -1 }\n"));

        assertThat(e.path()).isEqualTo("tags[0].deadband");
        assertThat(e.message()).startsWith("-1.0 is negative");
    }

    @Test
    void load_zeroScale_isAnError() throws IOException {
        ConfigError e = single(loadProfile("  - { name: v, area: input_register, address: 0, type: int16, scale: 0 }\n"));

        assertThat(e.path()).isEqualTo("tags[0].scale");
        assertThat(e.message()).startsWith("scale must not be 0");
    }

    @Test
    void load_writableInputRegister_isAnError() throws IOException {
        ConfigError e = single(loadProfile(
                "  - { name: v, area: input_register, address: 0, type: int16, access: read_write }\n"));

        assertThat(e.toString()).isEqualTo("profiles/meter.yaml:4:71: tags[0].access: input_register cannot be "
                + "written (Modbus allows writes only to coil and holding_register): use read_only");
    }

    @Test
    void load_nonBoolInCoilArea_isAnError() throws IOException {
        ConfigError e = single(loadProfile("  - { name: v, area: coil, address: 0, type: int16 }\n"));

        assertThat(e.path()).isEqualTo("tags[0].type");
        assertThat(e.message()).contains("coils and discrete inputs are single bits, use bool");
    }

    @Test
    void load_scaleOnNonNumericType_andWordOrderOnSingleRegister_areErrors() throws IOException {
        LoadResult r = loadProfile("""
                  - { name: s, area: holding_register, address: 0, type: string, length: 4, scale: 2 }
                  - { name: w, area: holding_register, address: 10, type: int16, wordOrder: low_first }
                """);

        assertThat(r.errors()).extracting(ConfigError::path).containsExactly("tags[0].scale", "tags[1].wordOrder");
    }

    @Test
    void load_undefinedPollGroup_isReportedAtTheDevice() throws IOException {
        ConfigError e = single(load(CELL.replace("  slow: 5s\n", ""), PROFILE));

        assertThat(e.toString()).isEqualTo("cell.yaml:8:14: devices[0].profile: profile 'meter' puts tag energy in "
                + "poll group 'slow', which device 'meter-1' does not define (it has: fast): add it under pollGroups");
    }

    // ---- endpoints and unit ids ----

    @Test
    void load_tcpWithoutHost_isAnError() throws IOException {
        ConfigError e = single(load(CELL.replace("host: 192.168.1.10, ", ""), PROFILE));

        assertThat(e.toString()).isEqualTo("cell.yaml:10:15: devices[0].endpoint.host: required key 'host' is missing");
    }

    @Test
    void load_serialEndpoint_needsItsFieldsAndRejectsTcpOnes() throws IOException {
        LoadResult r = load(CELL.replace("{ protocol: modbus-tcp, host: 192.168.1.10, port: 502 }",
                "{ protocol: modbus-rtu, serialPort: /dev/ttyUSB0, port: 502 }"), PROFILE);

        assertThat(r.errors()).extracting(ConfigError::toString).containsExactly(
                "cell.yaml:10:15: devices[0].endpoint.baudRate: required key 'baudRate' is missing",
                "cell.yaml:10:15: devices[0].endpoint.parity: required key 'parity' is missing",
                "cell.yaml:10:71: devices[0].endpoint.port: 'port' does not apply to protocol modbus-rtu (a serial line)");
    }

    @Test
    void load_nonStandardBaudRate_isAnError() throws IOException {
        ConfigError e = single(load(CELL.replace("{ protocol: modbus-tcp, host: 192.168.1.10, port: 502 }",
                "{ protocol: modbus-rtu, serialPort: /dev/ttyUSB0, baudRate: 19000, parity: even }"), PROFILE));

        assertThat(e.path()).isEqualTo("devices[0].endpoint.baudRate");
        assertThat(e.message()).startsWith("19000 is not a standard baud rate");
    }

    @Test
    void load_unitIdRanges_dependOnTheProtocol() throws IOException {
        LoadResult tcp = load(CELL.replace("unitId: 1", "unitId: 256"), PROFILE);
        LoadResult tcpZero = load(CELL.replace("unitId: 1", "unitId: 0"), PROFILE);
        LoadResult serial = load(CELL.replace("{ protocol: modbus-tcp, host: 192.168.1.10, port: 502 }",
                "{ protocol: modbus-rtu, serialPort: /dev/ttyUSB0, baudRate: 9600, parity: none }")
                .replace("unitId: 1", "unitId: 248"), PROFILE);

        assertThat(single(tcp).toString()).isEqualTo("cell.yaml:11:13: devices[0].unitId: 256 is outside 0..255");
        assertThat(tcpZero.errors()).isEmpty();
        assertThat(single(serial).toString()).isEqualTo("cell.yaml:11:13: devices[0].unitId: 248 is outside 1..247: "
                + "on a serial line (modbus-rtu) 0 is broadcast and 248..255 are reserved");
    }

    @Test
    void load_sameUnitIdOnOneChannel_isAnError() throws IOException {
        String twice = CELL + """
                  - id: meter-2
                    profile: meter
                    endpoint: { protocol: modbus-tcp, host: 192.168.1.10, port: 502 }
                    unitId: 1
                """;
        ConfigError e = single(load(twice, PROFILE));

        assertThat(e.toString()).isEqualTo("cell.yaml:15:13: devices[1].unitId: unit id 1 on "
                + "modbus-tcp://192.168.1.10:502 is already used by device 'meter-1' (devices[0])");
    }

    @Test
    void load_devicesOnOneSerialLineWithDifferentSettings_isAnError() throws IOException {
        ConfigError e = single(load("""
                cell: { id: c }
                pollGroups: { fast: 1s, slow: 5s }
                devices:
                  - id: a
                    profile: meter
                    endpoint: { protocol: modbus-rtu, serialPort: /dev/ttyUSB0, baudRate: 19200, parity: even }
                    unitId: 1
                  - id: b
                    profile: meter
                    endpoint: { protocol: modbus-rtu, serialPort: /dev/ttyUSB0, baudRate: 9600, parity: even }
                    unitId: 2
                """, PROFILE));

        assertThat(e.toString()).isEqualTo("cell.yaml:10:15: devices[1].endpoint: serial line /dev/ttyUSB0 is set to "
                + "9600 even 8/1 here but 19200 even 8/1 for device 'a': devices on one line must agree");
    }

    // ---- all errors at once ----

    @Test
    void load_manyMistakes_reportsEveryOneInFileOrder() throws IOException {
        LoadResult r = load(CELL.replace("fast: 500ms", "fast: 5ms").replace("unitId: 1", "unitId: 300"),
                PROFILE.replace("address: 2", "address: -2").replace("type: float32", "type: float"));

        assertThat(r.errors()).extracting(e -> e.file() + ":" + e.line() + " " + e.path()).containsExactly(
                "cell.yaml:5 pollGroups.fast",
                "cell.yaml:11 devices[0].unitId",
                "profiles/meter.yaml:8 tags[0].type",
                "profiles/meter.yaml:12 tags[1].address");
    }

    @Test
    void configError_toString_leavesOutUnknownParts() {
        assertThat(new ConfigError("a.yaml", 3, 5, "x.y", "bad")).hasToString("a.yaml:3:5: x.y: bad");
        assertThat(new ConfigError("a.yaml", 3, 0, "", "bad")).hasToString("a.yaml:3: bad");
        assertThat(new ConfigError("a.yaml", 0, 0, null, "bad")).hasToString("a.yaml: bad");
    }

    @Test
    void validateProfile_singleFile_reportsErrorsUnderItsOwnName() throws IOException {
        Path f = dir.resolve("meter.yaml");
        Files.writeString(f, PROFILE.replace("type: int64", "type: int64\n    bit: 2"));

        List<ConfigError> errors = CellConfigLoader.validateProfile(f);

        assertThat(errors).extracting(ConfigError::toString)
                .containsExactly("meter.yaml:14:10: tags[1].bit: 'bit' applies only to type bit (one bit of a register), not to int64");
    }
}
