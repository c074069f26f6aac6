package io.cellgate.api.bus;

import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagValue;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives tag changes by exception: a value is delivered when it differs from the last delivered
 * one by more than the tag's deadband, or when its quality changes. Called on the poller's threads:
 * implementations return quickly and hand slow work (network, disk) to their own queue.
 */
@ConsumerType
public interface TagListener {

    void onValue(TagInfo tag, TagValue value);

    /** The catalogue of a device changed (device added, removed, or its tags redefined). */
    default void onCatalogChanged(String deviceId) {
    }

    /** A device's state changed (connected, failing, disabled, removed). */
    default void onDeviceState(DeviceState state) {
    }
}
