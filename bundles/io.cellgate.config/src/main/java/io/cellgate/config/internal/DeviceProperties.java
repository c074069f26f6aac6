package io.cellgate.config.internal;

import io.cellgate.api.config.CellConfig;
import io.cellgate.api.config.ConfigKeys;
import io.cellgate.api.config.DeviceConfig;
import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.Endpoint;
import io.cellgate.config.AccessRule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The ConfigAdmin properties of one device (factory PID {@code cellgate.device}) and of the cell. */
final class DeviceProperties {

    /** Property of {@code cellgate.cell}: the {@code access:} section as text (positions of cell.yaml). */
    static final String ACCESS_YAML = "access.yaml";
    /** Property of {@code cellgate.cell}: the file {@link #ACCESS_YAML} comes from. */
    static final String ACCESS_FILE = "access.file";

    private DeviceProperties() {
    }

    /** Every {@link ConfigKeys} device property; keys whose value does not apply are left out. */
    static Map<String, Object> of(DeviceConfig d, DeviceProfile profile) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(ConfigKeys.DEVICE_ID, d.id());
        p.put(ConfigKeys.DEVICE_NAME, d.name());
        p.put(ConfigKeys.PROFILE, d.profile());
        p.put(ConfigKeys.PROFILE_HASH, Hashes.profileHash(profile));
        p.put(ConfigKeys.ENABLED, d.enabled());
        Endpoint e = d.endpoint();
        p.put(ConfigKeys.PROTOCOL, e.protocol());
        if (e.host() != null) {
            p.put(ConfigKeys.HOST, e.host());
            p.put(ConfigKeys.PORT, e.port());
        }
        if (e.serialPort() != null) {
            p.put(ConfigKeys.SERIAL_PORT, e.serialPort());
            p.put(ConfigKeys.SERIAL_BAUD_RATE, e.baudRate());
            p.put(ConfigKeys.SERIAL_PARITY, e.parity());
            p.put(ConfigKeys.SERIAL_DATA_BITS, e.dataBits());
            p.put(ConfigKeys.SERIAL_STOP_BITS, e.stopBits());
        }
        p.put(ConfigKeys.UNIT_ID, d.unitId());
        p.put(ConfigKeys.POLL_GROUPS,
                d.pollGroups().stream().map(g -> g.name() + "=" + g.intervalMillis()).toArray(String[]::new));
        p.put(ConfigKeys.TIMEOUT_MS, d.timeoutMillis());
        p.put(ConfigKeys.RETRIES, d.retries());
        p.put(ConfigKeys.MIN_GAP_MS, d.minGapMillis());
        p.put(ConfigKeys.MAX_OUTSTANDING, d.maxOutstanding());
        p.put(ConfigKeys.MAX_GAP, d.maxGap());
        p.put(ConfigKeys.MAX_REGISTERS_PER_READ, d.maxRegistersPerRead());
        return p;
    }

    /** The device configurations a cell wants, by device id, in file order. */
    static Map<String, Map<String, Object>> desired(CellConfig cell) {
        Map<String, Map<String, Object>> all = new LinkedHashMap<>();
        for (DeviceConfig d : cell.devices()) {
            all.put(d.id(), of(d, cell.profiles().get(d.profile())));
        }
        return all;
    }

    /** Properties of {@link ConfigKeys#CELL_PID}. */
    static Map<String, Object> cell(CellConfig cell, List<AccessRule> accessRules, String accessSection) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(ConfigKeys.CELL_ID, cell.cellId());
        p.put(ConfigKeys.CELL_NAME, cell.name());
        p.put(ConfigKeys.CONFIG_HASH, cell.hash());
        // Always written, also when empty: a consumer that finds no property at all must deny everything.
        p.put(AccessRule.PROPERTY, accessRules.stream().map(AccessRule::toProperty).toArray(String[]::new));
        if (accessSection != null) {
            // The whole section for the policy engine (ids, deny rules, conditions), validated by it before this.
            p.put(ACCESS_YAML, accessSection);
            p.put(ACCESS_FILE, CellLoader.CELL_FILE);
        }
        return p;
    }
}
