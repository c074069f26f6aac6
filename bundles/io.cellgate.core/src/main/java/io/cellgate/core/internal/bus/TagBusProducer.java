package io.cellgate.core.internal.bus;

import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.bus.TagBus;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import java.util.Collection;

/**
 * The producer side of the tag bus, used only inside the core bundle (poller and write service). The
 * bus implementation registers under this interface as well as {@link TagBus}; because the package is
 * not exported, no other bundle can obtain it, so only the core can put values on the bus.
 */
public interface TagBusProducer extends TagBus {

    /**
     * Defines (or replaces) the tags of a device. Every tag starts with {@code initial}, which also counts
     * as the last delivered value for report by exception. Subscribers get {@code onCatalogChanged}.
     */
    void defineDevice(String deviceId, Collection<TagInfo> tags, TagValue initial);

    /** Removes a device with its tags and state. Subscribers get {@code onCatalogChanged}. */
    void removeDevice(String deviceId);

    /**
     * Stores a new sample and delivers it to subscribers if it passes report by exception.
     *
     * @return false when the tag is not (or no longer) defined; the value is then dropped
     */
    boolean update(TagPath path, TagValue value);

    /** Stores a device's state; subscribers get {@code onDeviceState} when its status or error changed. */
    void updateDeviceState(DeviceState state);
}
