package io.cellgate.identity;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What {@link UserAdmin} shows about a user or application (never the password hash).
 *
 * @param name               unique (case-insensitively)
 * @param kind               USER (password and/or certificate) or APPLICATION (certificate only)
 * @param roles              the roles given
 * @param enabled            a disabled user cannot log in
 * @param mustChangePassword logged in with a one-time password that must be replaced
 * @param hasPassword        false for applications and certificate-only users
 * @param certificates       the certificate mappings
 * @param passwordChanged    when the password was last set, or null
 */
public record UserInfo(String name, Identity.Kind kind, Set<String> roles, boolean enabled,
        boolean mustChangePassword, boolean hasPassword, List<CertificateMapping> certificates,
        Instant passwordChanged) {

    public UserInfo {
        roles = Set.copyOf(roles);
        certificates = List.copyOf(certificates);
    }
}
