package io.cellgate.api.audit;

import java.io.IOException;
import java.io.OutputStream;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads the audit trail (for the console's audit page and the health metrics). Registered by the bundle that keeps
 * the trail. Callers check that the user holds the Auditor role before calling.
 */
@ProviderType
public interface AuditQuery {

    /** The matching records, one page at a time. */
    AuditPage query(AuditFilter filter) throws IOException;

    /**
     * Writes the matching records (the limit applies) to {@code out} exactly as stored: one JSON object per line,
     * with their hashes, so that an export can be checked against the trail. Does not close {@code out}.
     *
     * @return the number of records written
     */
    long export(AuditFilter filter, OutputStream out) throws IOException;

    /** Whether the trail can be written, the storage warning, the head of the chain. */
    AuditStatus status();

    /** The audit summary for the health metrics; by default from {@link #status()} alone. */
    default AuditSummary summary() {
        AuditStatus s = status();
        return new AuditSummary(0, s.lastSeq(), s.writable(), true, 0, s.problem(), s.storageWarning(),
                AuditSummary.FORWARD_OFF, 0, 0);
    }
}
