package io.cellgate.api.driver;

import io.cellgate.api.tag.TagValue;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A configured device within a driver. Thread-safe: the core may poll different groups and write
 * concurrently; the session serialises access to the device as its pacing requires.
 */
@ConsumerType
public interface DeviceSession extends AutoCloseable {

    /**
     * Reads every tag of a poll group. Blocks for at most the device's timeout budget. Never throws
     * for device faults: each tag of the group gets a value, Bad with the reason when the read failed.
     *
     * @return values by tag name, one for every tag of the group
     */
    Map<String, TagValue> poll(String pollGroup);

    /**
     * Writes a value to a tag and reads it back. Only the core's write service calls this, after the
     * access check and the tag's limits have passed.
     */
    WriteOutcome write(String tag, Object value);

    /** The number of protocol requests one poll of the group takes (from the read plan). */
    int requestsPerPoll(String pollGroup);

    /** Counters since the session was opened. */
    SessionStats stats();

    /** Releases the device's connection (shared channels stay open while other devices use them). */
    @Override
    void close();
}
