package io.cellgate.api.read;

import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads one tag from its device now, outside the poll schedule: an admin checks an address or a scale without
 * waiting for the next poll. Read-only by construction: it goes through the device's open session (its pacing, its
 * timeout and its southbound function-code allowlist) with the same read as a poll of the tag's group; nothing is
 * written to the device and nothing is put on the tag bus. Callers ask the access policy first.
 */
@ProviderType
public interface TagReader {

    /**
     * @return the value as read now (Bad with the reason when the device did not answer or is disabled), or empty
     *         when no such tag is configured
     */
    Optional<TagValue> readNow(TagPath path);
}
