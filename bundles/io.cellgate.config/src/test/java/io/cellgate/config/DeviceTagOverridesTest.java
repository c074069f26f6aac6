package io.cellgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.config.Access;
import io.cellgate.api.config.CellConfig;
import io.cellgate.api.config.DeviceConfig;
import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.TagDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A device's {@code tags:} overrides in cell.yaml (what the console's tag editor and CSV import write). */
class DeviceTagOverridesTest {

    @TempDir
    Path dir;

    private LoadResult load(String deviceLines) throws IOException {
        Files.createDirectories(dir.resolve("profiles"));
        Files.writeString(dir.resolve("profiles/meter.yaml"), """
                profile: { id: meter }
                tags:
                  - { name: v, area: holding_register, address: 0, type: int16, unit: V }
                  - { name: i, area: input_register, address: 1, type: int16 }
                  - { name: on, area: coil, address: 0 }
                """);
        Files.writeString(dir.resolve("cell.yaml"), """
                cell:
                  id: line-1
                devices:
                  - id: meter-1
                    profile: meter
                    endpoint: { protocol: modbus-tcp, host: 192.168.1.10 }
                """ + deviceLines.indent(4) + """
                  - id: meter-2
                    profile: meter
                    enabled: false
                    endpoint: { protocol: modbus-tcp, host: 192.168.1.11 }
                """);
        return CellConfigLoader.load(dir);
    }

    @Test
    void load_overrides_deviceGetsItsOwnProfileOthersKeepTheShared() throws IOException {
        LoadResult r = load("""
                tags:
                  v: { description: Line voltage, unit: kV, scale: 0.001, access: read_write, min: 0, max: 40 }
                """);

        assertThat(r.errors()).as(r.errorReport()).isEmpty();
        CellConfig cell = r.config().orElseThrow();
        DeviceConfig d1 = cell.devices().get(0);
        DeviceConfig d2 = cell.devices().get(1);
        assertThat(d1.profile()).isEqualTo("meter@meter-1");
        assertThat(d2.profile()).isEqualTo("meter");
        assertThat(d2.enabled()).isFalse();
        DeviceProfile own = cell.profiles().get("meter@meter-1");
        TagDefinition v = own.tag("v").orElseThrow();
        assertThat(v.description()).isEqualTo("Line voltage");
        assertThat(v.unit()).isEqualTo("kV");
        assertThat(v.scale()).isEqualTo(0.001);
        assertThat(v.access()).isEqualTo(Access.READ_WRITE);
        assertThat(v.max()).isEqualTo(40.0);
        assertThat(v.address()).isZero();
        assertThat(own.tag("i").orElseThrow()).isEqualTo(cell.profiles().get("meter").tag("i").orElseThrow());
    }

    @Test
    void load_unknownTag_namesTheTagAndSuggests() throws IOException {
        LoadResult r = load("""
                tags:
                  vv: { unit: kV }
                """);

        assertThat(r.errors()).hasSize(1);
        assertThat(r.errors().get(0).toString()).isEqualTo(
                "cell.yaml:8:7: devices[0].tags.vv: profile 'meter' has no tag 'vv' (did you mean 'v'?)");
    }

    @Test
    void load_badOverrides_everyFieldReported() throws IOException {
        LoadResult r = load("""
                tags:
                  i: { access: read_write, scale: 0 }
                  on: { deadband: 1, address: 5 }
                """);

        assertThat(r.errors()).extracting(ConfigError::path, ConfigError::message).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("devices[0].tags.i.access",
                        "input_register cannot be written (Modbus allows writes only to coil and holding_register): use read_only"),
                org.assertj.core.groups.Tuple.tuple("devices[0].tags.i.scale",
                        "scale must not be 0 (it would turn every value into the offset)"),
                org.assertj.core.groups.Tuple.tuple("devices[0].tags.on.deadband",
                        "'deadband' applies only to numeric types; tag 'on' is bool"),
                org.assertj.core.groups.Tuple.tuple("devices[0].tags.on.address", "unknown key 'address'"));
    }

    @Test
    void load_minAboveMax_reportedAtTheOverride() throws IOException {
        LoadResult r = load("""
                tags:
                  v: { min: 50, max: 10 }
                """);

        assertThat(r.errors()).extracting(ConfigError::path).containsExactly("devices[0].tags.v.min");
    }
}
