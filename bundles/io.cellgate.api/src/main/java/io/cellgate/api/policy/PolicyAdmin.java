package io.cellgate.api.policy;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Inspects and validates the running policy, and hands its version history to whoever persists it.
 */
@ProviderType
public interface PolicyAdmin {

    /** The policy in force; version 0 while none has been applied (everything is denied then). */
    PolicyVersion current();

    /** Every version applied since the history was restored, oldest first. */
    List<PolicyVersion> history();

    /**
     * Checks a policy document (YAML) without applying it.
     *
     * @return every problem found, empty when the document is valid
     */
    List<PolicyProblem> validate(String yaml, String file);

    /**
     * Restores a persisted history (at start): the next applied policy gets the highest version in it + 1.
     * Versions below the current one are kept as they are.
     */
    void restoreHistory(List<PolicyVersion> persisted);
}
