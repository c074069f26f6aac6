package io.cellgate.api.audit;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where security-relevant events go. The core provides a simple sink (a dedicated log); the zero-trust
 * issue replaces it with a hash-chained trail. {@link #record} must not throw for I/O problems it can
 * report otherwise; it returns false when the event could not be recorded, so that callers can fail closed.
 */
@ProviderType
public interface AuditSink {

    /**
     * Service property (Boolean true) of a sink that keeps a durable, tamper-evident trail (not the log sink). A
     * consumer that must record into the trail only, never into the log fallback, targets it.
     */
    String DURABLE = "audit.durable";

    /** @return true when the event was recorded */
    boolean record(AuditEvent event);

    /**
     * Whether events can be recorded now. A caller about to do something that must be audited before it is done
     * (a write to a device) checks this first and refuses while it is false (fail closed); recording the refusal
     * is what retries the trail. A sink that cannot fail keeps the default.
     */
    default boolean writable() {
        return true;
    }
}
