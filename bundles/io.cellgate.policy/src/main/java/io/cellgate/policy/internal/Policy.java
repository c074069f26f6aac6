package io.cellgate.policy.internal;

import io.cellgate.api.policy.PolicyVersion;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * A validated, immutable policy: its rules (deny rules first, then allow rules, each in document order), its
 * content hash, and once applied its version. Build one with {@link PolicyParser}; nothing else makes a
 * Policy from input, so a Policy is always valid.
 *
 * @param rules   every rule in force, the built-in defaults included
 * @param hash    SHA-256 (hex) of the canonical rules: layout and comments do not change it
 * @param applied the version, time and actor once applied; null for a parsed, not yet applied policy
 */
record Policy(List<Rule> rules, String hash, PolicyVersion applied) {

    /** Nothing allowed: in force until a policy is applied, version 0. */
    static final Policy DENY_ALL = of(List.of());

    Policy {
        rules = List.copyOf(rules);
    }

    static Policy of(List<Rule> rules) {
        return new Policy(rules, hash(rules), null);
    }

    long version() {
        return applied == null ? 0 : applied.version();
    }

    Policy applied(long version, Instant time, String actor) {
        return new Policy(rules, hash, new PolicyVersion(version, hash, time, actor));
    }

    List<Rule> denyRules() {
        return rules.stream().filter(r -> r.effect() == Rule.Effect.DENY).toList();
    }

    List<Rule> allowRules() {
        return rules.stream().filter(r -> r.effect() == Rule.Effect.ALLOW).toList();
    }

    private static String hash(List<Rule> rules) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Rule r : rules) {
                sha.update(r.canonical().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
