package io.cellgate.api.policy;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The gateway's one access policy. Default deny: only what a rule grants is allowed. Never throws: a request
 * that cannot be evaluated is denied with the reason (fail closed). Thread-safe.
 */
@ProviderType
public interface AccessPolicy {

    Decision decide(AccessRequest request);

    /**
     * Decides like {@link #decide(AccessRequest)} but without side effects: no rate-limit token is taken. For
     * showing what an identity may do (an OPC UA UserAccessLevel, a greyed-out button), never for letting an
     * access through. A provider without its own implementation answers with {@code decide} (which may spend
     * a token, so a preview can only be stricter, never laxer).
     *
     * @since 1.1
     */
    default Decision preview(AccessRequest request) {
        return decide(request);
    }
}
