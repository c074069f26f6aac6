package io.cellgate.core.internal.device;

import io.cellgate.api.driver.DeviceSession;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;

/**
 * The running devices of this gateway by id, with their open session. Internal to the core: the write
 * service is the only reader that uses the session, and the only caller of {@link DeviceSession#write}.
 */
@Component(service = DeviceRegistry.class)
public final class DeviceRegistry {

    /**
     * @param deviceId device id
     * @param enabled  as configured
     * @param session  the open session, or null when the device is disabled or failed to open
     * @param error    why there is no session (configuration error), or null
     */
    public record Entry(String deviceId, boolean enabled, DeviceSession session, String error) {
    }

    private final ConcurrentHashMap<String, Object> owners = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    /**
     * Claims a device id for one device component, so that two configurations with the same id cannot
     * overwrite each other's tags.
     *
     * @return true when the id is free or already held by {@code owner}
     */
    public boolean claim(String deviceId, Object owner) {
        Object holder = owners.putIfAbsent(deviceId, owner);
        return holder == null || holder == owner;
    }

    /** Gives up an id claimed by {@code owner}, and its entry. */
    public void release(String deviceId, Object owner) {
        if (owners.remove(deviceId, owner)) {
            entries.remove(deviceId);
        }
    }

    void put(Entry entry) {
        entries.put(entry.deviceId(), entry);
    }

    public Optional<Entry> device(String deviceId) {
        return Optional.ofNullable(entries.get(deviceId));
    }
}
