package io.cellgate.policy.internal;

import io.cellgate.api.policy.Action;
import io.cellgate.api.policy.Resource;
import io.cellgate.api.policy.Subject;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One rule: who ({@code role} or {@code identity}) may ({@link Effect#ALLOW}) or may not ({@link Effect#DENY})
 * do {@code actions} on the resources matching {@code tags} (tag actions) or {@code sections} (management
 * actions), when the conditions hold.
 *
 * @param id       unique within the policy; written in the file, or generated (the property form of a legacy
 *                 {@code access:} rule, {@code role|perm,...|pattern,...}, as the audit trail has shown so far)
 * @param origin   where it was written ({@code policy.yaml:12}), for explanations
 */
record Rule(String id, String origin, Effect effect, String role, String identity, Set<Action> actions,
        List<String> tags, List<String> sections, When when) {

    enum Effect {
        ALLOW, DENY
    }

    Rule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(effect, "effect");
        if ((role == null) == (identity == null)) {
            throw new IllegalArgumentException("a rule names a role or an identity");
        }
        actions = Set.copyOf(EnumSet.copyOf(actions));
        tags = List.copyOf(tags);
        sections = List.copyOf(sections);
        when = when == null ? When.ALWAYS : when;
    }

    /** Whether the rule speaks about this subject, action and resource (conditions aside). */
    boolean covers(Subject subject, Action action, Resource resource) {
        if (!actions.contains(action)) {
            return false;
        }
        if (role != null ? !subject.roles().contains(role) : !identity.equalsIgnoreCase(subject.name())) {
            return false;
        }
        if (resource.type() == Resource.Type.TAG) {
            return action.onTags() && tags.stream().anyMatch(p -> Glob.matchesTag(p, resource.name()));
        }
        return !action.onTags() && sections.stream().anyMatch(p -> Glob.matchesSection(p, resource.name()));
    }

    String who() {
        return role != null ? "role " + role : "identity " + identity;
    }

    /** The rule as the API shows it to an admin (the console's policy page). */
    io.cellgate.api.policy.PolicyRule describe() {
        return new io.cellgate.api.policy.PolicyRule(id, origin, effect == Effect.ALLOW, role, identity,
                actions.stream().map(Action::key).collect(Collectors.toSet()), tags, sections, when.describe());
    }

    /** A stable text of the rule, for the content hash. */
    String canonical() {
        return id + "|" + effect + "|" + (role != null ? "role=" + role : "identity=" + identity) + "|"
                + EnumSet.copyOf(actions).stream().map(Action::key).collect(Collectors.joining(",")) + "|tags="
                + tags + "|sections=" + sections + "|" + when.canonical();
    }

    /** The id a legacy {@code access:} entry gets: its {@code access.rules} property form. */
    static String legacyId(String role, List<String> allow, List<String> tags) {
        return role + "|" + String.join(",", allow) + "|" + String.join(",", tags);
    }
}
