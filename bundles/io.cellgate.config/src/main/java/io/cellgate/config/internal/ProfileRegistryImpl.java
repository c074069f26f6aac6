package io.cellgate.config.internal;

import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.ProfileRegistry;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** The profiles of the applied cell; swapped as a whole, so a reader never sees half an update. */
final class ProfileRegistryImpl implements ProfileRegistry {

    private volatile Map<String, DeviceProfile> profiles = Map.of();

    void set(Map<String, DeviceProfile> profiles) {
        this.profiles = Map.copyOf(profiles);
    }

    @Override
    public Optional<DeviceProfile> profile(String id) {
        return Optional.ofNullable(profiles.get(id));
    }

    @Override
    public Collection<DeviceProfile> profiles() {
        return profiles.values();
    }
}
