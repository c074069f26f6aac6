package io.cellgate.api.bus;

import org.osgi.annotation.versioning.ProviderType;

/** A subscription to the tag bus; close it to stop receiving. */
@ProviderType
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
