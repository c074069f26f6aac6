package io.cellgate.api.audit.preflight;

import io.cellgate.api.audit.AuditSink;
import java.io.IOException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An audit sink that can make sure, before a change, that it will be able to record the change durably, and that
 * says where and why not. A caller whose change must not happen unrecorded (an administration command writing into
 * the audit inbox) calls {@link #check(AuditSink)} before it changes anything and, when that throws, changes nothing
 * (fail closed).
 * <p>
 * In a package of its own: a new type or method in {@code io.cellgate.api.audit} or {@code io.cellgate.api.cli}
 * would move that package to its next minor version and unresolve every bundle that provides one of its types until
 * it is rebuilt.
 */
@ProviderType
public interface AuditPreflight extends AuditSink {

    /**
     * Makes sure that a record can be made durable now, doing what a record needs (for the audit inbox: the
     * directory exists or is created, and a file can be created, written and synced in it); leaves no record.
     *
     * @throws IOException whose message names the place and the cause
     */
    void preflight() throws IOException;

    /**
     * Before a change that {@code sink} must record: its {@link #preflight()} when it has one, else
     * {@link AuditSink#writable()}. Nothing for {@code null} (no sink: the caller only logs).
     *
     * @throws IOException naming the place and the cause, when the change must be refused
     */
    static void check(AuditSink sink) throws IOException {
        if (sink instanceof AuditPreflight p) {
            p.preflight();
        } else if (sink != null && !sink.writable()) {
            throw new IOException("the audit sink cannot record now (" + sink.getClass().getSimpleName() + ")");
        }
    }
}
