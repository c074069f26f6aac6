package io.cellgate.opcua.itest;

import io.cellgate.api.policy.AccessPolicy;
import io.cellgate.api.policy.AccessRequest;
import io.cellgate.api.policy.Decision;
import io.cellgate.api.policy.PolicyAdmin;
import io.cellgate.api.policy.PolicyProblem;
import io.cellgate.api.policy.PolicyVersion;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * A small stand-in for the policy bundle (not part of this test runtime): allow rules {@code role|action,...|
 * device/tag,...} with {@code *} and {@code ?} wildcards, default deny, every request kept for assertions.
 */
final class RoleTablePolicy implements AccessPolicy, PolicyAdmin {

    private record Rule(String role, List<String> actions, List<Pattern> patterns, String text) {
    }

    private final List<Rule> rules;
    final List<AccessRequest> requests = new CopyOnWriteArrayList<>();

    RoleTablePolicy(String... table) {
        rules = java.util.Arrays.stream(table).map(RoleTablePolicy::rule).toList();
    }

    private static Rule rule(String text) {
        String[] f = text.split("\\|");
        return new Rule(f[0], List.of(f[1].split(",")),
                java.util.Arrays.stream(f[2].split(",")).map(RoleTablePolicy::glob).toList(), text);
    }

    private static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            re.append(c == '*' ? "[^/]*" : c == '?' ? "[^/]" : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString());
    }

    @Override
    public Decision decide(AccessRequest request) {
        requests.add(request);
        String action = request.action().name().toLowerCase(Locale.ROOT);
        for (Rule r : rules) {
            if (request.subject().roles().contains(r.role()) && r.actions().contains(action)
                    && r.patterns().stream().anyMatch(p -> p.matcher(request.resource().name()).matches())) {
                return new Decision(true, r.text(), "test rule " + r.text() + " allows " + action, 1);
            }
        }
        return Decision.deny("no rule allows " + action + " on " + request.resource().name() + " for "
                + request.subject().name(), 1);
    }

    @Override
    public PolicyVersion current() {
        return new PolicyVersion(1, "test", Instant.EPOCH, "test");
    }

    @Override
    public List<PolicyVersion> history() {
        return List.of(current());
    }

    @Override
    public List<PolicyProblem> validate(String yaml, String file) {
        return List.of();
    }

    @Override
    public void restoreHistory(List<PolicyVersion> persisted) {
    }
}
