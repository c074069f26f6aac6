package io.cellgate.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.config.CellConfig;
import io.cellgate.api.config.ConfigKeys;
import io.cellgate.config.CellConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDiffTest {

    @TempDir
    Path dir;

    private static final String PROFILE = """
            profile: { id: %s }
            tags:
              - { name: v, area: holding_register, address: %d, type: int16 }
            """;

    private CellConfig cell(String devices, int meterAddress) throws IOException {
        Files.createDirectories(dir.resolve("profiles"));
        Files.writeString(dir.resolve("profiles/meter.yaml"), PROFILE.formatted("meter", meterAddress));
        Files.writeString(dir.resolve("profiles/drive.yaml"), PROFILE.formatted("drive", 0));
        Files.writeString(dir.resolve("cell.yaml"), "cell: { id: c }\ndevices:\n" + devices);
        var r = CellConfigLoader.load(dir);
        return r.config().orElseThrow(() -> new AssertionError(r.errorReport()));
    }

    private static String device(String id, String profile, String host) {
        return "  - { id: %s, profile: %s, endpoint: { protocol: modbus-tcp, host: %s } }\n".formatted(id, profile, host);
    }

    /** What ConfigAdmin would hold after applying {@code cell}, plus the keys it adds itself. */
    private static Map<String, Dictionary<String, Object>> applied(CellConfig cell) {
        Map<String, Dictionary<String, Object>> all = new HashMap<>();
        DeviceProperties.desired(cell).forEach((id, props) -> {
            Hashtable<String, Object> d = new Hashtable<>(props);
            d.put("service.pid", ConfigKeys.DEVICE_FACTORY_PID + "~" + id);
            d.put("service.factoryPid", ConfigKeys.DEVICE_FACTORY_PID);
            // ConfigAdmin hands arrays back as copies: equal content, other identity.
            d.put(ConfigKeys.POLL_GROUPS, ((String[]) props.get(ConfigKeys.POLL_GROUPS)).clone());
            all.put(id, d);
        });
        return all;
    }

    @Test
    void between_nothingConfigured_createsEveryDevice() throws IOException {
        CellConfig c = cell(device("m1", "meter", "10.0.0.1") + device("d1", "drive", "10.0.0.2"), 0);

        ConfigDiff diff = ConfigDiff.between(Map.of(), c);

        assertThat(diff.create()).containsOnlyKeys("m1", "d1");
        assertThat(diff.update()).isEmpty();
        assertThat(diff.delete()).isEmpty();
        assertThat(diff.summary()).isEqualTo("device m1 added, device d1 added, 0 unchanged");
    }

    @Test
    void between_sameCellAgain_changesNothing() throws IOException {
        CellConfig c = cell(device("m1", "meter", "10.0.0.1") + device("d1", "drive", "10.0.0.2"), 0);

        ConfigDiff diff = ConfigDiff.between(applied(c), c);

        assertThat(diff.isEmpty()).isTrue();
        assertThat(diff.unchanged()).containsExactly("m1", "d1");
    }

    @Test
    void between_oneDeviceChanged_updatesOnlyThatDevice() throws IOException {
        CellConfig before = cell(device("m1", "meter", "10.0.0.1") + device("d1", "drive", "10.0.0.2"), 0);
        CellConfig after = cell(device("m1", "meter", "10.0.0.9") + device("d1", "drive", "10.0.0.2"), 0);

        ConfigDiff diff = ConfigDiff.between(applied(before), after);

        assertThat(diff.update()).containsOnlyKeys("m1");
        assertThat(diff.update().get("m1")).containsEntry(ConfigKeys.HOST, "10.0.0.9");
        assertThat(diff.create()).isEmpty();
        assertThat(diff.delete()).isEmpty();
        assertThat(diff.unchanged()).containsExactly("d1");
    }

    @Test
    void between_profileChanged_updatesOnlyTheDevicesUsingIt() throws IOException {
        CellConfig before = cell(device("m1", "meter", "10.0.0.1") + device("d1", "drive", "10.0.0.2"), 0);
        CellConfig after = cell(device("m1", "meter", "10.0.0.1") + device("d1", "drive", "10.0.0.2"), 7);

        ConfigDiff diff = ConfigDiff.between(applied(before), after);

        assertThat(diff.update()).containsOnlyKeys("m1");
        assertThat(diff.update().get("m1").get(ConfigKeys.PROFILE_HASH))
                .isNotEqualTo(applied(before).get("m1").get(ConfigKeys.PROFILE_HASH));
        assertThat(diff.unchanged()).containsExactly("d1");
    }

    @Test
    void between_deviceAddedAndRemoved_createsAndDeletes() throws IOException {
        CellConfig before = cell(device("m1", "meter", "10.0.0.1") + device("d1", "drive", "10.0.0.2"), 0);
        CellConfig after = cell(device("m1", "meter", "10.0.0.1") + device("m2", "meter", "10.0.0.3"), 0);

        ConfigDiff diff = ConfigDiff.between(applied(before), after);

        assertThat(diff.create()).containsOnlyKeys("m2");
        assertThat(diff.delete()).containsExactly("d1");
        assertThat(diff.unchanged()).containsExactly("m1");
        assertThat(diff.summary()).isEqualTo("device m2 added, device d1 removed, 1 unchanged");
    }

    @Test
    void between_extraPropertyInConfigAdmin_countsAsChange() throws IOException {
        CellConfig c = cell(device("m1", "meter", "10.0.0.1"), 0);
        Map<String, Dictionary<String, Object>> current = applied(c);
        current.get("m1").put("serial.port", "/dev/ttyS0");

        assertThat(ConfigDiff.between(current, c).update()).containsOnlyKeys("m1");
    }

    @Test
    void deviceProperties_tcpDevice_haveEveryKeyWithTheirTypes() throws IOException {
        CellConfig c = cell(device("m1", "meter", "10.0.0.1"), 0);

        Map<String, Object> p = DeviceProperties.desired(c).get("m1");

        assertThat(p).containsEntry(ConfigKeys.DEVICE_ID, "m1").containsEntry(ConfigKeys.DEVICE_NAME, "m1")
                .containsEntry(ConfigKeys.PROFILE, "meter").containsEntry(ConfigKeys.ENABLED, true)
                .containsEntry(ConfigKeys.PROTOCOL, "modbus-tcp").containsEntry(ConfigKeys.HOST, "10.0.0.1")
                .containsEntry(ConfigKeys.PORT, 502).containsEntry(ConfigKeys.UNIT_ID, 1)
                .containsEntry(ConfigKeys.TIMEOUT_MS, 1000L).containsEntry(ConfigKeys.RETRIES, 1)
                .containsEntry(ConfigKeys.MIN_GAP_MS, 0L).containsEntry(ConfigKeys.MAX_OUTSTANDING, 1)
                .containsEntry(ConfigKeys.MAX_GAP, 8).containsEntry(ConfigKeys.MAX_REGISTERS_PER_READ, 125)
                .doesNotContainKey(ConfigKeys.SERIAL_PORT);
        assertThat((String[]) p.get(ConfigKeys.POLL_GROUPS)).containsExactly("default=1000");
        assertThat((String) p.get(ConfigKeys.PROFILE_HASH)).hasSize(64);
    }
}
