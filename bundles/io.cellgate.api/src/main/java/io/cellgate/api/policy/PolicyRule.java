package io.cellgate.api.policy;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One rule of the policy in force, as an admin reads it (the console's policy page).
 *
 * @param id         the rule's id (written, or generated for a rule in the legacy {@code access:} form)
 * @param origin     where it was written ({@code cell.yaml:12}, {@code built-in})
 * @param allow      true for an allow rule, false for a deny rule
 * @param role       the role it is about, or null when it names an identity
 * @param identity   the user or application it is about, or null when it names a role
 * @param actions    the actions, in their policy-file names ({@code read}, {@code manage_users})
 * @param tags       tag patterns (tag actions), possibly empty
 * @param sections   section patterns (management actions), possibly empty
 * @param conditions the {@code when:} conditions as one line of text, empty when there are none
 * @since 1.2
 */
public record PolicyRule(String id, String origin, boolean allow, String role, String identity, Set<String> actions,
        List<String> tags, List<String> sections, String conditions) {

    public PolicyRule {
        Objects.requireNonNull(id, "id");
        actions = Set.copyOf(actions);
        tags = List.copyOf(tags);
        sections = List.copyOf(sections);
        conditions = conditions == null ? "" : conditions;
        origin = origin == null ? "" : origin;
    }
}
