package io.cellgate.api.policy;

import java.util.Objects;

/**
 * The answer, with its explanation for the audit record and the caller.
 *
 * @param allowed       true to let the access through
 * @param ruleId        the rule that decided (the allowing rule, or the deny rule that matched); null for a
 *                      default deny (no rule matched) or an evaluation failure
 * @param reason        why, naming the rule or the condition that failed
 * @param policyVersion the version of the policy that decided (0: no policy applied yet)
 */
public record Decision(boolean allowed, String ruleId, String reason, long policyVersion) {

    public Decision {
        Objects.requireNonNull(reason, "reason");
    }

    /** A denial without a rule (nothing matched, or the policy could not be evaluated). */
    public static Decision deny(String reason, long policyVersion) {
        return new Decision(false, null, reason, policyVersion);
    }

    /** One line for logs and audit: {@code allowed by rule op-speed (policy v3): ...}. */
    public String explain() {
        StringBuilder b = new StringBuilder(allowed ? "allowed" : "denied");
        if (ruleId != null) {
            b.append(" by rule ").append(ruleId);
        }
        return b.append(" (policy v").append(policyVersion).append("): ").append(reason).toString();
    }
}
