package io.cellgate.identity;

import java.util.Locale;

/**
 * What an identity may do with a tag; written in lower case in cell.yaml ({@code browse}, ...).
 *
 * @deprecated Only {@link AccessTable} uses it; the access policy's actions are
 *             {@code io.cellgate.api.policy.Action}. Kept until the next major version of this package.
 */
@Deprecated(since = "1.1.0", forRemoval = true)
public enum Permission {
    /** See that the tag exists (OPC UA Browse, the console's tag list). */
    BROWSE,
    /** Read its current value. */
    READ,
    /** Receive its changes (OPC UA monitored items). */
    SUBSCRIBE,
    /** Write it (still subject to the profile's access and limits, checked by the write service). */
    WRITE;

    /** The name as written in cell.yaml. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The permission written {@code key} in cell.yaml (any case). */
    public static Permission of(String key) {
        for (Permission p : values()) {
            if (p.name().equalsIgnoreCase(key.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown permission '" + key + "'");
    }
}
