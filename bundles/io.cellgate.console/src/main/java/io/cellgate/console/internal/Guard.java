package io.cellgate.console.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.policy.AccessPolicy;
import io.cellgate.api.policy.AccessRequest;
import io.cellgate.api.policy.Action;
import io.cellgate.api.policy.Context;
import io.cellgate.api.policy.Decision;
import io.cellgate.api.policy.Resource;
import io.cellgate.api.policy.Subject;
import io.cellgate.identity.Identity;
import java.time.Clock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the access policy and records what the console did. Fails closed: without a policy every request is
 * denied; an action whose audit record cannot be written is not done.
 */
final class Guard {

    private static final Logger LOG = LoggerFactory.getLogger(Guard.class);

    private final Supplier<AccessPolicy> policy;
    private final AuditSink audit;
    private final Clock clock;

    Guard(Supplier<AccessPolicy> policy, AuditSink audit, Clock clock) {
        this.policy = policy;
        this.audit = audit;
        this.clock = clock;
    }

    Decision decide(Identity who, Action action, Resource resource, String channel, String source, Object value) {
        AccessPolicy p = policy.get();
        if (p == null) {
            return Decision.deny("no access policy is running (fail closed)", 0);
        }
        Subject subject = subject(who);
        Context context = new Context(channel, source, null, null, value, clock.instant());
        try {
            return p.decide(new AccessRequest(subject, action, resource, context));
        } catch (RuntimeException e) {
            // The policy never throws by contract; if it does, deny.
            return Decision.deny("the access policy failed: " + e, 0);
        }
    }

    /**
     * Should the dashboard offer {@code who} a write field for this tag? Asks the policy's side-effect-free preview
     * (no rate-limit token is spent) whether writing the tag's present value would be allowed now. Only a hint for
     * the page: the write itself is decided again by the write service.
     */
    boolean offerWrite(Identity who, io.cellgate.api.tag.TagInfo tag, Object presentValue, String channel, String source) {
        if (!tag.writable()) {
            return false;
        }
        AccessPolicy p = policy.get();
        if (p == null) {
            return false;
        }
        Subject subject = subject(who);
        Context context = new Context(channel, source, null, null, presentValue, clock.instant());
        try {
            return p.preview(new AccessRequest(subject, Action.WRITE,
                    Resource.tag(tag.path().toString(), true, tag.min(), tag.max()), context)).allowed();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Subject subject(Identity who) {
        return new Subject(who.name(), who.kind() == Identity.Kind.USER ? Subject.Kind.HUMAN : Subject.Kind.APPLICATION,
                who.roles());
    }

    /** May {@code who} see audit information (recent security events)? A preview: no side effects. */
    boolean mayReadAudit(Identity who, String channel, String source) {
        AccessPolicy p = policy.get();
        if (p == null) {
            return false;
        }
        try {
            return p.preview(new AccessRequest(subject(who), Action.READ_AUDIT, Resource.section("audit"),
                    new Context(channel, source, null, null, null, clock.instant()))).allowed();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Would the policy allow {@code action} on {@code resource} now? A preview for showing controls: no side effects, not audited. */
    boolean allows(Identity who, Action action, Resource resource, String channel, String source) {
        AccessPolicy p = policy.get();
        if (p == null) {
            return false;
        }
        try {
            return p.preview(new AccessRequest(subject(who), action, resource,
                    new Context(channel, source, null, null, null, clock.instant()))).allowed();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** May {@code who} read this tag's value? Not audited: reads are too frequent, denials are only filtering. */
    boolean mayRead(Identity who, String tag, String channel, String source) {
        return decide(who, Action.READ, Resource.tag(tag), channel, source, null).allowed();
    }

    /** Records a denial of an action and returns the decision's explanation for the caller. */
    String denied(Identity who, String source, String action, String resource, Decision decision) {
        record(new AuditEvent(clock.instant(), who.name(), source, action, resource, AuditEvent.Result.DENIED,
                decision.explain(), decision.ruleId()));
        LOG.info("console: denied {} on {} for {} from {}: {}", action, resource, who.name(), source, decision.explain());
        return decision.reason();
    }

    /** @return false when the event could not be recorded: the caller must not go on with the action */
    boolean record(AuditEvent event) {
        try {
            if (audit.record(event)) {
                return true;
            }
        } catch (RuntimeException e) {
            LOG.error("console: the audit sink failed for {}: {}", event.action(), e.toString());
            return false;
        }
        LOG.error("console: the audit sink refused {} by {}", event.action(), event.identity());
        return false;
    }

    AuditEvent event(String identity, String source, String action, String resource, AuditEvent.Result result,
            String reason) {
        return new AuditEvent(clock.instant(), identity, source, action, resource, result, reason, null);
    }
}
