package io.cellgate.identity.internal;

import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.config.ConfigKeys;
import io.cellgate.identity.AuthResult;
import io.cellgate.identity.Authenticator;
import io.cellgate.identity.CertificateMapping;
import io.cellgate.identity.Identity;
import io.cellgate.identity.UserAdmin;
import io.cellgate.identity.UserInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Publishes {@link Authenticator} and {@link UserAdmin}. Configured from {@code cellgate.runtime}
 * (state.dir, written by the launcher) and {@code cellgate.identity} (optional; later PIDs override
 * earlier ones). Without a state directory it does not activate: users are never kept in a default place.
 * Needs an {@link AuditSink}: logins are not possible unless they can be recorded. The MetaType of
 * {@code cellgate.identity} is published by {@link IdentityMetaType} (bnd designates single-PID components only).
 */
@Component(service = {Authenticator.class, UserAdmin.class},
        configurationPid = {ConfigKeys.RUNTIME_PID, IdentityComponent.PID},
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true) // first start must create the admin at once
public final class IdentityComponent implements Authenticator, UserAdmin {

    static final String PID = "cellgate.identity";
    /** Below the state directory. */
    static final String SUBDIR = "identity";

    private final LocalIdentities identities;

    @Activate
    // Greedy: the audit trail (ranked 100) replaces the core's log sink (-100) if this bound that one first.
    public IdentityComponent(@Reference(name = "audit", policyOption = ReferencePolicyOption.GREEDY) AuditSink audit,
            IdentityConfig config) throws IOException {
        if (config.state_dir().isBlank()) {
            throw new IllegalStateException(PID + " state.dir: not set, and no " + ConfigKeys.RUNTIME_PID
                    + " state.dir: users are not kept anywhere else");
        }
        this.identities = new LocalIdentities(Path.of(config.state_dir()).resolve(SUBDIR),
                IdentitySettings.from(config), audit, Clock.systemUTC(), System.out, new SecureRandom());
    }

    @Override
    public AuthResult authenticate(String user, char[] password, String source) {
        return identities.authenticate(user, password, source);
    }

    @Override
    public Optional<Identity> forCertificate(X509Certificate certificate, String source) {
        return identities.forCertificate(certificate, source);
    }

    @Override
    public void changeOwnPassword(String user, char[] oldPassword, char[] newPassword, String source) {
        identities.changeOwnPassword(user, oldPassword, newPassword, source);
    }

    @Override
    public List<UserInfo> users() {
        return identities.users();
    }

    @Override
    public Optional<UserInfo> user(String name) {
        return identities.user(name);
    }

    @Override
    public void createUser(Identity actor, String name, Set<String> roles, char[] password) {
        identities.createUser(actor, name, roles, password);
    }

    @Override
    public void createApplication(Identity actor, String name, Set<String> roles) {
        identities.createApplication(actor, name, roles);
    }

    @Override
    public void setPassword(Identity actor, String name, char[] password, boolean mustChange) {
        identities.setPassword(actor, name, password, mustChange);
    }

    @Override
    public void setRoles(Identity actor, String name, Set<String> roles) {
        identities.setRoles(actor, name, roles);
    }

    @Override
    public void setEnabled(Identity actor, String name, boolean enabled) {
        identities.setEnabled(actor, name, enabled);
    }

    @Override
    public void remove(Identity actor, String name) {
        identities.remove(actor, name);
    }

    @Override
    public void mapCertificate(Identity actor, String name, CertificateMapping mapping) {
        identities.mapCertificate(actor, name, mapping);
    }

    @Override
    public void unmapCertificate(Identity actor, String name, CertificateMapping mapping) {
        identities.unmapCertificate(actor, name, mapping);
    }

    @Override
    public Optional<char[]> ensureUser(String name, Set<String> roles) {
        return identities.ensureUser(name, roles);
    }

    @Override
    public Optional<java.time.Instant> lockedUntil(String name) {
        return identities.lockedUntil(name);
    }

    @Override
    public void unlock(Identity actor, String name) {
        identities.unlock(actor, name);
    }

    @Override
    public char[] resetPassword(Identity actor, String name) {
        return identities.resetPassword(actor, name);
    }
}
