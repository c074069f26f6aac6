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
     * Checks the {@code access:} section of a cell.yaml (every other section is ignored) exactly as the policy
     * would read it, without applying anything: what the configuration loader calls before it applies a cell.
     * Problems name the file, line and column of {@code cellYaml} and a path such as {@code access[1].when.max}.
     * A provider that cannot check such sections reports that as a problem (so nothing unchecked is applied).
     *
     * @return every problem found, empty when the section is valid (or absent: the default applies)
     * @since 1.1
     */
    default List<PolicyProblem> validateAccessSection(String cellYaml, String file) {
        return List.of(new PolicyProblem(file, 0, 0, "access",
                "this access policy cannot check the access: section of a cell configuration"));
    }

    /**
     * The rules of the policy in force, deny rules first, each kind in document order (the order they are
     * evaluated in). A provider that cannot list them returns an empty list.
     *
     * @since 1.2
     */
    default List<PolicyRule> rules() {
        return List.of();
    }

    /**
     * What the policy would decide for {@code request} if the {@code access:} section of {@code cellYaml} were in
     * force (with the same built-in rules and sources as when it is applied), without applying anything and without
     * spending rate-limit tokens: lets an editor refuse a section that takes away its own access (self-lockout). A
     * section with problems is a deny naming the first one; a provider that cannot tell denies (fail closed).
     *
     * @since 1.3
     */
    default Decision previewWithAccessSection(String cellYaml, String file, AccessRequest request) {
        return Decision.deny("this access policy cannot evaluate a candidate access: section", 0);
    }

    /**
     * Restores a persisted history (at start): the next applied policy gets the highest version in it + 1.
     * Versions below the current one are kept as they are.
     */
    void restoreHistory(List<PolicyVersion> persisted);
}
