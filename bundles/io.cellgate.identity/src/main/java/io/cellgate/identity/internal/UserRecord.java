package io.cellgate.identity.internal;

import io.cellgate.identity.CertificateMapping;
import io.cellgate.identity.Identity;
import io.cellgate.identity.UserInfo;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** One entry of users.yaml. Immutable: a change makes a new record. */
record UserRecord(String name, Identity.Kind kind, Set<String> roles, boolean enabled, boolean mustChangePassword,
        String passwordHash, List<CertificateMapping> certificates, Instant created, Instant passwordChanged) {

    UserRecord {
        roles = Set.copyOf(roles);
        certificates = List.copyOf(certificates);
    }

    Identity identity() {
        return new Identity(name, roles, kind);
    }

    UserInfo info() {
        return new UserInfo(name, kind, roles, enabled, mustChangePassword, passwordHash != null, certificates,
                passwordChanged);
    }

    UserRecord withPassword(String hash, boolean mustChange, Instant when) {
        return new UserRecord(name, kind, roles, enabled, mustChange, hash, certificates, created, when);
    }

    UserRecord withRoles(Set<String> newRoles) {
        return new UserRecord(name, kind, newRoles, enabled, mustChangePassword, passwordHash, certificates, created,
                passwordChanged);
    }

    UserRecord withEnabled(boolean on) {
        return new UserRecord(name, kind, roles, on, mustChangePassword, passwordHash, certificates, created,
                passwordChanged);
    }

    UserRecord withCertificates(List<CertificateMapping> mappings) {
        return new UserRecord(name, kind, roles, enabled, mustChangePassword, passwordHash, mappings, created,
                passwordChanged);
    }
}
