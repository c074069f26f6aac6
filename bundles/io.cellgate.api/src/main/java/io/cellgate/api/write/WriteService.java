package io.cellgate.api.write;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The one path from the northbound side to a device. It checks, in this order: the tag exists and is
 * read-write, the value has the tag's type and is within its limits, the {@link WriteAccessCheck}
 * allows it (no access check installed means deny); then it writes through the driver and reads back.
 */
@ProviderType
public interface WriteService {
    WriteResult write(WriteRequest request);
}
