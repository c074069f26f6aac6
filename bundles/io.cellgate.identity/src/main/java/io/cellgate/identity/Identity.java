package io.cellgate.identity;

import java.util.Objects;
import java.util.Set;

/**
 * An authenticated principal and the roles it was given. Nobody holds a role that is not in {@code roles}:
 * roles do not imply each other (an Operator who should also read needs Observer too).
 *
 * @param name  the user or application name
 * @param roles role names, see {@link Roles}
 * @param kind  a person or an application
 */
public record Identity(String name, Set<String> roles, Kind kind) {

    /** Who is behind an identity. */
    public enum Kind {
        /** A person: console or OPC UA user, with a password and/or a user certificate. */
        USER,
        /** An application (an OPC UA client, the MES host application), authenticated by certificate only. */
        APPLICATION
    }

    /** The gateway itself (first-start bootstrap, the launcher): recorded as {@code system} in the audit. */
    public static final Identity SYSTEM = new Identity("system", Set.of(), Kind.APPLICATION);

    public Identity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        roles = Set.copyOf(roles);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
