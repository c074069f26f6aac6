package io.cellgate.api.policy;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The gateway's one access policy. Default deny: only what a rule grants is allowed. Never throws: a request
 * that cannot be evaluated is denied with the reason (fail closed). Thread-safe.
 */
@ProviderType
public interface AccessPolicy {

    Decision decide(AccessRequest request);
}
