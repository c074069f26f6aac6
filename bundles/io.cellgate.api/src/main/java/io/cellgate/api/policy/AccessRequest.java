package io.cellgate.api.policy;

import java.util.Objects;

/**
 * One access to decide: {@code subject} wants to do {@code action} on {@code resource}, in {@code context}.
 */
public record AccessRequest(Subject subject, Action action, Resource resource, Context context) {

    public AccessRequest {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(context, "context");
    }
}
