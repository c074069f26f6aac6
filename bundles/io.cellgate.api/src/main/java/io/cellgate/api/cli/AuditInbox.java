package io.cellgate.api.cli;

import io.cellgate.api.audit.AuditSink;
import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The audit inbox of a state directory: a sink that a process other than the gateway (an administration command)
 * writes to without the trail's lock. Each event is on disk when {@link AuditSink#record} returns true; the
 * running gateway imports the inbox into its hash-chained trail. Registered by the bundle that keeps the trail,
 * also in command mode; the runtime hands its sink to a command as {@link CliContext#audit()}.
 * <p>
 * In this package rather than {@code io.cellgate.api.audit}: a new provider type there would move that package to
 * 1.2 and unresolve every bundle that provides an audit sink until it is rebuilt.
 */
@ProviderType
public interface AuditInbox {

    /** A sink writing into the inbox of {@code stateDir} (absolute); it creates what is missing at the first event. */
    AuditSink sink(Path stateDir);
}
