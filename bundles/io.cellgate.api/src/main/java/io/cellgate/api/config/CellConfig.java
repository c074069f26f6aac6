package io.cellgate.api.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A whole, validated cell: its devices and the profiles they use. Immutable; a new file gives a new value.
 *
 * @param cellId   cell id (used in OPC UA and Sparkplug names)
 * @param name     display name
 * @param devices  devices in file order
 * @param profiles profiles by id (only those the cell uses or ships)
 * @param hash     SHA-256 (hex) over the source files, to tell configurations apart
 */
public record CellConfig(String cellId, String name, List<DeviceConfig> devices, Map<String, DeviceProfile> profiles,
        String hash) {

    public CellConfig {
        devices = List.copyOf(devices);
        profiles = Map.copyOf(profiles);
    }

    public Optional<DeviceConfig> device(String id) {
        return devices.stream().filter(d -> d.id().equals(id)).findFirst();
    }
}
