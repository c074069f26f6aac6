package io.cellgate.api.policy;

import java.util.Objects;
import java.util.Set;

/**
 * Who asks: an authenticated identity and the roles it was given (roles do not imply each other).
 *
 * @param name  the user or application name, as the identity service knows it
 * @param kind  a person or an application
 * @param roles role names (Observer, Operator, Engineer, SecurityAdmin, Auditor)
 */
public record Subject(String name, Kind kind, Set<String> roles) {

    /** Who is behind an identity. */
    public enum Kind {
        /** A person (console or OPC UA user). */
        HUMAN,
        /** An application authenticated by certificate (an OPC UA client, the MES host application). */
        APPLICATION
    }

    public Subject {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        roles = Set.copyOf(roles);
    }
}
