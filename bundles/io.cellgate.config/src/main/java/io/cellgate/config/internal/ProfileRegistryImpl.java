package io.cellgate.config.internal;

import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.ProfileRegistry;
import io.cellgate.config.ConfigError;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The profiles of the applied cell; swapped as a whole, so a reader never sees half an update. */
final class ProfileRegistryImpl implements ProfileRegistry {

    private volatile Map<String, DeviceProfile> profiles = Map.of();
    /** Null until a library was scanned: then the applied profiles are the library (the interface's default). */
    private volatile ProfileLibrary library;

    void set(Map<String, DeviceProfile> profiles) {
        this.profiles = Map.copyOf(profiles);
    }

    void setLibrary(ProfileLibrary library) {
        this.library = library;
    }

    List<ConfigError> libraryErrors() {
        ProfileLibrary l = library;
        return l == null ? List.of() : l.problems();
    }

    @Override
    public Optional<DeviceProfile> profile(String id) {
        return Optional.ofNullable(profiles.get(id));
    }

    @Override
    public Collection<DeviceProfile> profiles() {
        return profiles.values();
    }

    @Override
    public Collection<DeviceProfile> library() {
        ProfileLibrary l = library;
        return l == null ? ProfileRegistry.super.library() : l.profiles().values();
    }

    @Override
    public List<String> libraryProblems() {
        return libraryErrors().stream().map(ConfigError::toString).toList();
    }
}
