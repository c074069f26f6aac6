package io.cellgate.core.internal.device;

import io.cellgate.api.config.ConfigKeys;
import io.cellgate.api.config.DeviceConfig;
import io.cellgate.api.config.Endpoint;
import io.cellgate.api.config.PollGroup;
import io.cellgate.api.tag.TagPath;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Turns a device configuration (ConfigAdmin properties) into a validated {@link DeviceConfig}. */
final class DeviceConfigMapper {

    /** Shortest poll interval accepted; below this a poll cannot finish before the next tick anyway. */
    static final long MIN_INTERVAL_MILLIS = 10;

    private DeviceConfigMapper() {
    }

    /** Validates and maps; throws IllegalArgumentException naming the device and property at fault. */
    static DeviceConfig toDeviceConfig(Config c) {
        String id = c.device_id();
        if (id == null || !TagPath.NAME.matcher(id).matches()) {
            throw new IllegalArgumentException(ConfigKeys.DEVICE_ID + " '" + id + "' is invalid: expected "
                    + TagPath.NAME.pattern());
        }
        String where = "device '" + id + "': ";
        String profile = blankToNull(c.profile());
        if (profile == null) {
            throw new IllegalArgumentException(where + ConfigKeys.PROFILE + " is missing");
        }
        String protocol = blankToNull(c.protocol());
        if (protocol == null) {
            throw new IllegalArgumentException(where + ConfigKeys.PROTOCOL + " is missing");
        }
        String host = blankToNull(c.host());
        String serialPort = blankToNull(c.serial_port());
        if (host == null && serialPort == null) {
            throw new IllegalArgumentException(
                    where + "neither " + ConfigKeys.HOST + " nor " + ConfigKeys.SERIAL_PORT + " is set");
        }
        // Carry only the fields of the transport in use, so that defaults of the other one do not leak.
        Endpoint endpoint = new Endpoint(protocol, host, host != null ? c.port() : 0, serialPort,
                serialPort != null ? c.serial_baudRate() : 0, serialPort != null ? c.serial_parity() : null,
                serialPort != null ? c.serial_dataBits() : 0, serialPort != null ? c.serial_stopBits() : 0);
        if (c.timeout_ms() <= 0) {
            throw new IllegalArgumentException(
                    where + ConfigKeys.TIMEOUT_MS + " must be > 0, got " + c.timeout_ms());
        }
        String name = blankToNull(c.device_name());
        return new DeviceConfig(id, name != null ? name : id, profile, c.enabled(), endpoint, c.unit_id(),
                pollGroups(where, c.poll_groups()), c.timeout_ms(), c.retries(), c.min_gap_ms(),
                c.max_outstanding(), c.max_gap(), c.max_registers_per_read());
    }

    static List<PollGroup> pollGroups(String where, String[] entries) {
        if (entries == null || entries.length == 0) {
            throw new IllegalArgumentException(where + ConfigKeys.POLL_GROUPS + " is empty");
        }
        List<PollGroup> groups = new ArrayList<>(entries.length);
        Set<String> names = new HashSet<>();
        for (String entry : entries) {
            String e = entry == null ? "" : entry.trim();
            int eq = e.indexOf('=');
            String name = eq > 0 ? e.substring(0, eq).trim() : "";
            long millis;
            try {
                millis = eq > 0 ? Long.parseLong(e.substring(eq + 1).trim()) : -1;
            } catch (NumberFormatException ex) {
                millis = -1;
            }
            if (name.isEmpty() || millis < 0) {
                throw new IllegalArgumentException(where + ConfigKeys.POLL_GROUPS + " entry '" + e
                        + "' is not name=milliseconds");
            }
            if (millis < MIN_INTERVAL_MILLIS) {
                throw new IllegalArgumentException(where + ConfigKeys.POLL_GROUPS + " entry '" + e
                        + "': interval must be at least " + MIN_INTERVAL_MILLIS + " ms");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException(where + ConfigKeys.POLL_GROUPS + " defines '" + name + "' twice");
            }
            groups.add(new PollGroup(name, millis));
        }
        return groups;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
