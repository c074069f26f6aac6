package io.cellgate.console.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.policy.Decision;
import io.cellgate.console.internal.Components.Component;
import io.cellgate.identity.Identity;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A component change from the console or the API, in the one order that keeps it safe: the component exists and is
 * not managed elsewhere, the access policy allows it, every field is valid, the audit trail takes the record, then
 * one ConfigAdmin update. The audit record names the fields changed, never a value (a password field's neither).
 */
final class ComponentChanges {

    private static final Logger LOG = LoggerFactory.getLogger(ComponentChanges.class);

    /** What happened, as an HTTP status and a sentence, with the field errors of an invalid change. */
    record Outcome(int status, String message, List<FieldError> errors, List<String> changed) {
        boolean ok() {
            return status == HttpServletResponse.SC_OK;
        }
    }

    private final Components components;
    private final Guard guard;

    ComponentChanges(Components components, Guard guard) {
        this.components = components;
        this.guard = guard;
    }

    Components components() {
        return components;
    }

    /** May {@code who} change {@code c} now? A preview for the page (no audit); the change itself decides again. */
    boolean mayChange(Identity who, Component c, String channel, String source) {
        return c.editable() && guard.allows(who, c.action(), c.resource(), channel, source);
    }

    Outcome change(Identity who, String channel, String source, String pid, Map<String, List<String>> input)
            throws IOException {
        if (!components.available()) {
            return fail(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "components: the MetaType service or ConfigAdmin is not running");
        }
        Optional<Component> found = components.find(pid);
        if (found.isEmpty()) {
            return fail(HttpServletResponse.SC_NOT_FOUND, "pid: no configurable component " + Values.clip(String.valueOf(pid)));
        }
        Component c = found.get();
        Decision d = guard.decide(who, c.action(), c.resource(), channel, source, null);
        if (!d.allowed()) {
            return fail(HttpServletResponse.SC_FORBIDDEN, "denied: " + guard.denied(who, source, "component.configure", c.pid(), d));
        }
        if (!c.editable()) {
            guard.record(guard.event(who.name(), source, "component.configure", c.pid(), AuditEvent.Result.DENIED,
                    c.managedBy()));
            return fail(HttpServletResponse.SC_CONFLICT, "pid: " + c.pid() + " is " + c.managedBy()
                    + "; change it there (a change here would bypass its validation and be overwritten)");
        }
        Components.Change change;
        try {
            change = Components.validate(c, input);
            components.checkBounds(change);
        } catch (Components.InvalidException e) {
            return new Outcome(HttpServletResponse.SC_BAD_REQUEST, e.getMessage(), e.errors(), List.of());
        }
        if (change.changed().isEmpty()) {
            return new Outcome(HttpServletResponse.SC_OK, "nothing changed: the values are the present ones", List.of(), List.of());
        }
        String fields = String.join(", ", change.changed());
        // Fail closed: a change that cannot be recorded is not made.
        if (!guard.record(new AuditEvent(java.time.Instant.now(), who.name(), source, "component.configure", c.pid(),
                AuditEvent.Result.SUCCESS, "fields " + fields, d.ruleId()))) {
            return fail(HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    "audit: the trail cannot record the change now; nothing was changed");
        }
        try {
            components.apply(change);
        } catch (IOException | RuntimeException e) {
            LOG.error("console: applying {} to {} failed: {}", fields, c.pid(), e.toString());
            guard.record(guard.event(who.name(), source, "component.configure", c.pid(), AuditEvent.Result.FAILED,
                    "fields " + fields + ": " + e.getMessage()));
            return fail(HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "ConfigAdmin refused the change: " + e.getMessage());
        }
        LOG.info("console: {} changed {} of {} from {}", who.name(), fields, c.pid(), source);
        return new Outcome(HttpServletResponse.SC_OK, "applied to " + c.pid() + ": " + fields, List.of(), change.changed());
    }

    private static Outcome fail(int status, String message) {
        return new Outcome(status, message, List.of(), List.of());
    }
}
