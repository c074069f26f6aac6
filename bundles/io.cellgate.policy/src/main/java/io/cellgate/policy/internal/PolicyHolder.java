package io.cellgate.policy.internal;

import io.cellgate.api.policy.AccessPolicy;
import io.cellgate.api.policy.AccessRequest;
import io.cellgate.api.policy.Decision;
import io.cellgate.api.policy.PolicyAdmin;
import io.cellgate.api.policy.PolicyProblem;
import io.cellgate.api.policy.PolicyVersion;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The policy in force and its history, without any framework: applies validated policies (version = previous
 * + 1), answers decisions from the current one, and starts with {@link Policy#DENY_ALL} (version 0).
 */
final class PolicyHolder implements AccessPolicy, PolicyAdmin {

    private final Clock clock;
    private final List<PolicyVersion> history = new ArrayList<>();
    private long lastVersion;
    // Swapped whole: a decision sees one policy, never a mix of two.
    private volatile PolicyEngine engine;

    PolicyHolder(Clock clock) {
        this.clock = clock;
        this.engine = new PolicyEngine(Policy.DENY_ALL, clock);
    }

    /**
     * Puts {@code candidate} in force as the next version. A policy with the hash of the current one is not
     * applied again (no new version, rate counters kept).
     *
     * @return the version in force afterwards
     */
    synchronized PolicyVersion apply(Policy candidate, String actor) {
        Policy current = engine.policy();
        if (current.applied() != null && current.hash().equals(candidate.hash())) {
            return current.applied();
        }
        if (current.applied() == null && !history.isEmpty()
                && history.get(history.size() - 1).hash().equals(candidate.hash())) {
            // A restart with the policy that was in force (restored history): it keeps its version.
            PolicyVersion last = history.get(history.size() - 1);
            engine = new PolicyEngine(candidate.applied(last.version(), last.time(), last.actor()), clock);
            return last;
        }
        Policy applied = candidate.applied(++lastVersion, clock.instant(), actor);
        engine = new PolicyEngine(applied, clock);
        history.add(applied.applied());
        return applied.applied();
    }

    Policy policy() {
        return engine.policy();
    }

    @Override
    public Decision decide(AccessRequest request) {
        return engine.decide(request);
    }

    @Override
    public Decision preview(AccessRequest request) {
        return engine.preview(request);
    }

    @Override
    public PolicyVersion current() {
        Policy p = engine.policy();
        return p.applied() != null ? p.applied()
                : new PolicyVersion(0, p.hash(), java.time.Instant.EPOCH, "none");
    }

    @Override
    public List<io.cellgate.api.policy.PolicyRule> rules() {
        Policy p = engine.policy();
        List<io.cellgate.api.policy.PolicyRule> out = new ArrayList<>();
        p.denyRules().forEach(r -> out.add(r.describe()));
        p.allowRules().forEach(r -> out.add(r.describe()));
        return List.copyOf(out);
    }

    @Override
    public synchronized List<PolicyVersion> history() {
        return List.copyOf(history);
    }

    @Override
    public List<PolicyProblem> validate(String yaml, String file) {
        return PolicyParser.parse(yaml, file).problems();
    }

    @Override
    public List<PolicyProblem> validateAccessSection(String cellYaml, String file) {
        return PolicyParser.parseCellYaml(cellYaml, file).problems();
    }

    /** Decides with the policy {@code cellYaml}'s access: section would be, on a fresh engine: nothing is spent. */
    @Override
    public Decision previewWithAccessSection(String cellYaml, String file, AccessRequest request) {
        PolicyParser.Result candidate = PolicyParser.parseCellYaml(cellYaml, file);
        if (!candidate.ok()) {
            return Decision.deny("the candidate access: section has " + candidate.problems().size()
                    + " problem(s), first: " + candidate.problems().get(0), 0);
        }
        return new PolicyEngine(candidate.policy(), clock).preview(request);
    }

    /**
     * Puts the persisted versions before the ones applied since start; those are renumbered after the highest
     * persisted version when they would collide, so that versions keep increasing across restarts.
     */
    @Override
    public synchronized void restoreHistory(List<PolicyVersion> persisted) {
        List<PolicyVersion> restored = new ArrayList<>(persisted);
        restored.sort(Comparator.comparingLong(PolicyVersion::version));
        long next = restored.isEmpty() ? 0 : restored.get(restored.size() - 1).version();
        Policy current = engine.policy();
        for (PolicyVersion v : history) {
            long number = v.version() > next ? v.version() : next + 1;
            next = number;
            PolicyVersion renumbered = new PolicyVersion(number, v.hash(), v.time(), v.actor());
            restored.add(renumbered);
            if (current.applied() != null && v.version() == current.version()) {
                current = new Policy(current.rules(), current.hash(), renumbered);
            }
        }
        history.clear();
        history.addAll(restored);
        lastVersion = Math.max(lastVersion, next);
        if (current != engine.policy()) {
            engine = new PolicyEngine(current, clock);
        }
    }
}
