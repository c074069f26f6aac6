package io.cellgate.api.bus;

import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import java.util.Collection;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The one place northbound adapters read from: the last value of every tag, the tag catalogue, the
 * state of every device, and a change stream. Read-only: only the core's poller puts values on it.
 */
@ProviderType
public interface TagBus {

    /** The last value of a tag (possibly Bad), or empty if the tag is not configured. */
    Optional<TagValue> value(TagPath path);

    /** What is known about a configured tag. */
    Optional<TagInfo> info(TagPath path);

    /** Every configured tag, ordered by path. */
    Collection<TagInfo> tags();

    /** The state of every configured device, ordered by id. */
    Collection<DeviceState> devices();

    /** State of one device. */
    Optional<DeviceState> device(String deviceId);

    /**
     * Subscribes to changes. The listener first receives nothing retroactively: read {@link #tags()} and
     * {@link #value(TagPath)} for the current picture, then apply changes as they come.
     */
    Subscription subscribe(TagListener listener);
}
