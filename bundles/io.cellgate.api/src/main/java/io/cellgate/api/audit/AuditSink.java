package io.cellgate.api.audit;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where security-relevant events go. The core provides a simple sink (a dedicated log); the zero-trust
 * issue replaces it with a hash-chained trail. {@link #record} must not throw for I/O problems it can
 * report otherwise; it returns false when the event could not be recorded, so that callers can fail closed.
 */
@ProviderType
public interface AuditSink {

    /** @return true when the event was recorded */
    boolean record(AuditEvent event);
}
