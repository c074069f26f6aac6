package io.cellgate.opcua.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;

/**
 * The endpoints' security as configured, checked: only Basic256Sha256, Aes128_Sha256_RsaOaep and
 * Aes256_Sha256_RsaPss in Sign or SignAndEncrypt, no anonymous access. Anything else (a None session
 * endpoint, Basic128Rsa15, Basic256, anonymous) is refused unless {@code allow.insecure=true}, and then
 * named in {@link #insecure()} so that the server warns about it at every start.
 *
 * @param policies  the session endpoints' policies
 * @param modes     the modes of the secure policies' endpoints (Sign, SignAndEncrypt)
 * @param noneEndpoint a None/None session endpoint is offered (insecure)
 * @param anonymous anonymous sessions are accepted (insecure)
 * @param insecure  what is insecure, for the start-up warning; empty when all is secure
 */
record SecuritySettings(Set<SecurityPolicy> policies, Set<MessageSecurityMode> modes, boolean noneEndpoint,
        boolean anonymous, List<String> insecure) {

    /** The only policies offered without the override; None appears only on the discovery endpoint. */
    static final Set<SecurityPolicy> SECURE_POLICIES = Set.of(SecurityPolicy.Basic256Sha256,
            SecurityPolicy.Aes128_Sha256_RsaOaep, SecurityPolicy.Aes256_Sha256_RsaPss);

    static SecuritySettings of(String[] policyNames, String[] modeNames, boolean anonymous, boolean allowInsecure) {
        String pid = OpcUaServerComponent.PID;
        List<String> insecure = new ArrayList<>();
        Set<SecurityPolicy> policies = new LinkedHashSet<>();
        boolean none = false;
        for (String name : policyNames) {
            SecurityPolicy policy;
            try {
                policy = SecurityPolicy.valueOf(name.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(pid + ": security.policies: unknown policy '" + name + "'", e);
            }
            if (policy == SecurityPolicy.None) {
                none = true;
                insecure.add("security.policies: None (a session endpoint without signing or encryption)");
            } else {
                if (!SECURE_POLICIES.contains(policy)) {
                    insecure.add("security.policies: " + policy + " (deprecated)");
                }
                policies.add(policy);
            }
        }
        Set<MessageSecurityMode> modes = new LinkedHashSet<>();
        for (String name : modeNames) {
            MessageSecurityMode mode;
            try {
                mode = MessageSecurityMode.valueOf(name.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(pid + ": security.modes: unknown mode '" + name + "'", e);
            }
            if (mode == MessageSecurityMode.None) {
                none = true;
                insecure.add("security.modes: None (a session endpoint without signing or encryption)");
            } else if (mode == MessageSecurityMode.Sign || mode == MessageSecurityMode.SignAndEncrypt) {
                modes.add(mode);
            } else {
                throw new IllegalArgumentException(pid + ": security.modes: '" + name + "' is not a mode");
            }
        }
        if (anonymous) {
            insecure.add("anonymous=true (sessions without a user)");
        }
        if (!insecure.isEmpty() && !allowInsecure) {
            throw new IllegalArgumentException(pid + ": insecure settings are not allowed: " + String.join("; ", insecure)
                    + ". Allowed: security.policies " + SECURE_POLICIES + ", security.modes [Sign, SignAndEncrypt]"
                    + ", anonymous=false; set allow.insecure=true to override");
        }
        if (!policies.isEmpty() && modes.isEmpty()) {
            throw new IllegalArgumentException(pid + ": security.modes: Sign or SignAndEncrypt is needed for " + policies);
        }
        if (policies.isEmpty() && !none) {
            throw new IllegalArgumentException(pid + ": security.policies is empty");
        }
        return new SecuritySettings(policies, modes, none, anonymous, List.copyOf(insecure));
    }
}
