package io.cellgate.api.policy;

import java.time.Instant;
import java.util.Objects;

/**
 * One applied version of the policy, as kept in its history.
 *
 * @param version 1, 2, 3, ... (each applied policy gets the previous version + 1; 0 = none applied)
 * @param hash    SHA-256 (hex) of the policy's canonical content: equal for equal rules, whatever the layout
 * @param time    when it was applied
 * @param actor   who or what applied it (a user name, {@code config}, {@code file:<path>})
 */
public record PolicyVersion(long version, String hash, Instant time, String actor) {

    public PolicyVersion {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(actor, "actor");
    }
}
