package io.cellgate.runtime.internal;

import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.cli.AuditInbox;
import io.cellgate.api.cli.CliCommand;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/** The {@link CliCommand} services, by their {@link CliCommand#NAME} property. */
final class CommandServices {

    /**
     * The launcher runs the command after every bundle has started, when the commands are normally registered
     * already; this covers a bundle that is slower to get there, and bounds the wait for a mistyped name.
     */
    static final long WAIT_MS = 3000;

    private final ServiceTracker<CliCommand, CliCommand> tracker;

    /** The audit bundle's inbox: a command's audit records reach the trail through it (the gateway holds the trail). */
    private final ServiceTracker<AuditInbox, AuditInbox> inbox;

    /** The bundle that registers the {@link AuditInbox}: when it is installed, a command waits for the inbox. */
    static final String AUDIT_BUNDLE = "io.cellgate.audit";

    private final BundleContext context;

    CommandServices(BundleContext context) {
        this.context = context;
        tracker = new ServiceTracker<>(context, CliCommand.class, null);
        tracker.open();
        inbox = new ServiceTracker<>(context, AuditInbox.class, null);
        inbox.open();
    }

    /** The audit inbox's sink for {@code stateDir}; empty without the audit bundle (the command keeps its sink). */
    Optional<AuditSink> audit(Path stateDir) {
        AuditInbox service = inbox.getService();
        if (service == null && java.util.Arrays.stream(context.getBundles())
                .anyMatch(b -> AUDIT_BUNDLE.equals(b.getSymbolicName()))) {
            // installed but not registered yet: a change must not slip past the trail for a slow start
            try {
                service = inbox.waitForService(WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return service == null ? Optional.empty() : Optional.of(service.sink(stateDir));
    }

    SortedMap<String, CliCommand> available() {
        SortedMap<String, CliCommand> byName = new TreeMap<>();
        ServiceReference<CliCommand>[] refs = tracker.getServiceReferences();
        for (ServiceReference<CliCommand> ref : refs == null ? new ServiceReference[0] : refs) {
            Object name = ref.getProperty(CliCommand.NAME);
            CliCommand command = tracker.getService(ref);
            if (name instanceof String n && command != null) {
                byName.putIfAbsent(n, command);
            }
        }
        return byName;
    }

    Optional<CliCommand> await(String name) {
        long deadline = System.nanoTime() + WAIT_MS * 1_000_000;
        while (true) {
            CliCommand command = available().get(name);
            if (command != null) {
                return Optional.of(command);
            }
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return Optional.empty();
            }
            try {
                Thread.sleep(Math.min(left, 50));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    void close() {
        inbox.close();
        tracker.close();
    }
}
