package io.cellgate.policy.internal;

import io.cellgate.api.policy.AccessPolicy;
import io.cellgate.api.policy.AccessRequest;
import io.cellgate.api.policy.Action;
import io.cellgate.api.policy.Context;
import io.cellgate.api.policy.Decision;
import io.cellgate.api.policy.Resource;
import io.cellgate.api.policy.Subject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Decides requests against one {@link Policy}: deny rules first (a matching deny rule wins), then the
 * profile's own limits for writes, then the allow rules in order (the first whose conditions hold allows);
 * nothing matching is a deny. Any exception denies (fail closed). Immutable apart from the rate buckets;
 * a new policy gets a new engine (and fresh rate buckets).
 */
final class PolicyEngine implements AccessPolicy {

    private final Policy policy;
    private final Clock clock;
    private final RateLimiter limiter;

    PolicyEngine(Policy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
        this.limiter = new RateLimiter(clock);
    }

    Policy policy() {
        return policy;
    }

    @Override
    public Decision decide(AccessRequest request) {
        return decide(request, false);
    }

    @Override
    public Decision preview(AccessRequest request) {
        return decide(request, true);
    }

    private Decision decide(AccessRequest request, boolean preview) {
        long version = policy.version();
        try {
            return evaluate(request, version, preview);
        } catch (RuntimeException e) {
            return Decision.deny("the policy could not be evaluated (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "); denied, fail closed", version);
        }
    }

    /** With {@code preview}, a rate limit is checked but no token is taken. */
    private Decision evaluate(AccessRequest request, long version, boolean preview) {
        if (request == null) {
            return Decision.deny("no request", version);
        }
        Subject subject = request.subject();
        Action action = request.action();
        Resource resource = request.resource();
        Context context = request.context();
        Instant now = context.time() != null ? context.time() : clock.instant();
        String what = action.key() + " on " + resource.name() + " for " + subject.name() + " (roles "
                + new TreeSet<>(subject.roles()) + ")";

        for (Rule r : policy.denyRules()) {
            if (r.covers(subject, action, resource) && r.when().failed(context, now) == null) {
                return new Decision(false, r.id(), "deny rule " + r.id() + " (" + r.who() + ", " + r.origin()
                        + ") matches " + what, version);
            }
        }
        if (action == Action.WRITE && resource.type() == Resource.Type.TAG) {
            String profile = profileProblem(resource, context.value());
            if (profile != null) {
                return Decision.deny(profile, version);
            }
        }
        List<String> failures = new ArrayList<>();
        for (Rule r : policy.allowRules()) {
            if (!r.covers(subject, action, resource)) {
                continue;
            }
            String failed = r.when().failed(context, now);
            if (failed == null && r.when().rate() != null && !(preview
                    ? limiter.available(rateKey(r, subject, resource), r.when().rate())
                    : limiter.tryAcquire(rateKey(r, subject, resource), r.when().rate()))) {
                failed = "rate limit " + r.when().rate() + " exceeded";
            }
            if (failed != null) {
                failures.add("rule " + r.id() + ": " + failed);
                continue;
            }
            return new Decision(true, r.id(), "rule " + r.id() + " (" + r.who() + ", " + r.origin() + ") allows "
                    + what + (r.when().isAlways() ? "" : ", its conditions hold"), version);
        }
        if (failures.isEmpty()) {
            return Decision.deny("no rule allows " + what, version);
        }
        return Decision.deny("no rule allows " + what + ": " + String.join("; ", failures), version);
    }

    /** The profile's own verdict on a write (read-only tag, value outside its limits), or null. */
    private static String profileProblem(Resource tag, Object value) {
        if (Boolean.FALSE.equals(tag.writable())) {
            return "the profile declares " + tag.name() + " read-only";
        }
        if ((tag.min() != null || tag.max() != null) && value instanceof Number n) {
            double v = n.doubleValue();
            if (Double.isNaN(v) || tag.min() != null && v < tag.min() || tag.max() != null && v > tag.max()) {
                return "value " + n + " is outside the profile's limits " + When.range(tag.min(), tag.max())
                        + " of " + tag.name();
            }
        }
        return null;
    }

    private static String rateKey(Rule r, Subject subject, Resource resource) {
        // NUL cannot occur in names, so keys of different parts cannot collide.
        return switch (r.when().rate().scope()) {
            case IDENTITY -> r.id() + "\0" + subject.name().toLowerCase(java.util.Locale.ROOT);
            case TAG -> r.id() + "\0\0" + resource.name();
            case IDENTITY_TAG -> r.id() + "\0" + subject.name().toLowerCase(java.util.Locale.ROOT) + "\0"
                    + resource.name();
        };
    }
}
