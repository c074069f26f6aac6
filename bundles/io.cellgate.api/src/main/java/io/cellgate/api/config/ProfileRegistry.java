package io.cellgate.api.config;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The validated device profiles currently applied. Device components look their profile up here; a
 * profile change reaches them as a change of the device configuration's {@code profile.hash}.
 */
@ProviderType
public interface ProfileRegistry {

    Optional<DeviceProfile> profile(String id);

    Collection<DeviceProfile> profiles();

    /**
     * Every valid profile on the cell's profile search path, whether a device uses it or not (without the
     * device-specific copies {@code <profile>@<device>}): what an admin chooses from when adding a device. A profile
     * a device uses is the applied one. The default is the applied profiles only.
     */
    default Collection<DeviceProfile> library() {
        return profiles().stream().filter(p -> p.id().indexOf('@') < 0).toList();
    }

    /**
     * The profile files on the search path that no device uses and that are invalid, one problem each as
     * {@code file:line:column: path: message}; they are left out of {@link #library()} and break nothing.
     */
    default List<String> libraryProblems() {
        return List.of();
    }
}
