package io.cellgate.api.config;

import java.util.Collection;
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
}
