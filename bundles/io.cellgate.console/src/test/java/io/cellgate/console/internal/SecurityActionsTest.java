package io.cellgate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.policy.AccessPolicy;
import io.cellgate.api.policy.Decision;
import io.cellgate.console.internal.SecurityActions.Caller;
import io.cellgate.console.internal.SecurityActions.Outcome;
import io.cellgate.identity.CertificateMapping;
import io.cellgate.identity.Identity;
import io.cellgate.identity.UserAdmin;
import io.cellgate.identity.UserInfo;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Security page's rules without a framework: a policy that lets SecurityAdmin manage, an in-memory user list. */
class SecurityActionsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T03:00:00Z"), ZoneOffset.UTC);
    private static final Identity ADMIN = new Identity("admin", Set.of("SecurityAdmin"), Identity.Kind.USER);
    private static final Identity OTTO = new Identity("otto", Set.of("Observer"), Identity.Kind.USER);

    private final List<AuditEvent> audit = new ArrayList<>();
    private final Users users = new Users();
    private final AccessPolicy policy = r -> r.subject().roles().contains("SecurityAdmin") && !r.action().onTags()
            ? new Decision(true, "test.admin", "SecurityAdmin manages", 1) : Decision.deny("no rule matched", 1);
    private final SecurityActions actions = new SecurityActions(() -> null, () -> users, () -> policy, () -> null,
            () -> null, new Guard(() -> policy, e -> audit.add(e), CLOCK), CLOCK);

    private static Caller as(Identity who) {
        return new Caller(who, "console", "127.0.0.1:5000");
    }

    @Test
    void setRoles_ownSecurityAdminTaken_refusedNamingRolesNothingChanged() {
        Outcome o = actions.setRoles(as(ADMIN), "admin", List.of("Observer"));
        assertThat(o.status()).isEqualTo(409);
        assertThat(o.field()).isEqualTo("roles");
        assertThat(users.user("admin").orElseThrow().roles()).containsExactly("SecurityAdmin");
        assertThat(actions.setRoles(as(ADMIN), "otto", List.of("Observer", "Operator")).ok()).isTrue();
        assertThat(users.user("otto").orElseThrow().roles()).containsExactlyInAnyOrder("Observer", "Operator");
    }

    @Test
    void userState_disableOrRemoveYourself_refused_othersAllowed() {
        assertThat(actions.userState(as(ADMIN), "ADMIN", "disable").status()).isEqualTo(409);
        assertThat(actions.userState(as(ADMIN), "admin", "remove").text()).isEqualTo(
                "name: you cannot remove yourself (you would lock yourself out); another SecurityAdmin can");
        assertThat(users.user("admin")).isPresent();
        assertThat(actions.userState(as(ADMIN), "otto", "disable").ok()).isTrue();
        assertThat(users.user("otto").orElseThrow().enabled()).isFalse();
    }

    @Test
    void createUser_observer_deniedBeforeAnyInputCheck_andAudited() {
        Outcome o = actions.createUser(as(OTTO), "mallory", List.of("SecurityAdmin"), "x", "y", false, false);
        assertThat(o.status()).isEqualTo(403);
        assertThat(o.text()).startsWith("denied: ");
        assertThat(users.user("mallory")).isEmpty();
        assertThat(audit).singleElement().satisfies(e -> {
            assertThat(e.identity()).isEqualTo("otto");
            assertThat(e.action()).isEqualTo("console.user.create");
            assertThat(e.resource()).isEqualTo("users/mallory");
            assertThat(e.result()).isEqualTo(AuditEvent.Result.DENIED);
        });
    }

    @Test
    void createUser_badFields_eachNamed() {
        assertThat(actions.createUser(as(ADMIN), "x y", List.of(), "p", "p", false, false).field()).isEqualTo("name");
        assertThat(actions.createUser(as(ADMIN), "paula", List.of("Root"), "p", "p", false, false).field()).isEqualTo("roles");
        assertThat(actions.createUser(as(ADMIN), "paula", List.of(), "", "", false, false).field()).isEqualTo("password");
        assertThat(actions.createUser(as(ADMIN), "paula", List.of(), "a long password 1", "a long password 2", false, false)
                .field()).isEqualTo("repeat");
        assertThat(users.user("paula")).isEmpty();
        assertThat(actions.createUser(as(ADMIN), "paula", List.of("Observer"), "a long password 1", "a long password 1",
                true, false).text()).endsWith("must choose a new one at the first login");
        assertThat(users.user("paula").orElseThrow().mustChangePassword()).isTrue();
    }

    @Test
    void client_badThumbprintOrOperation_namesTheField_pkiNotAsked() {
        assertThat(actions.client(as(ADMIN), "trust", "abc").field()).isEqualTo("thumbprint");
        assertThat(actions.client(as(ADMIN), "burn", "0123456789abcdef0123456789abcdef01234567").field())
                .isEqualTo("operation");
        assertThat(actions.client(as(ADMIN), "trust", "0123456789abcdef0123456789abcdef01234567").status())
                .as("no PKI running").isEqualTo(503);
    }

    @Test
    void preview_unknownIdentityOrAction_namesTheField() {
        assertThat(actions.preview(as(ADMIN), "nobody", "read", "a/b", null, null).field()).isEqualTo("identity");
        assertThat(actions.preview(as(ADMIN), "otto", "fly", "a/b", null, null).field()).isEqualTo("action");
        assertThat(actions.preview(as(ADMIN), "otto", "read", "devices", null, null).field()).isEqualTo("resource");
        assertThat(actions.preview(as(OTTO), "otto", "read", "a/b", null, null).status()).isEqualTo(403);
        Outcome o = actions.preview(as(ADMIN), "otto", "manage_users", "users/otto", "rest", null);
        assertThat(o.ok()).isTrue();
        assertThat(((SecurityActions.Preview) o.data()).decision().allowed()).as("otto is no SecurityAdmin").isFalse();
    }

    /** Users in memory, with the identity service's messages for the cases the page passes on. */
    private static final class Users implements UserAdmin {
        private final Map<String, UserInfo> users = new LinkedHashMap<>();

        Users() {
            put(new UserInfo("admin", Identity.Kind.USER, Set.of("SecurityAdmin"), true, false, true, List.of(), null));
            put(new UserInfo("otto", Identity.Kind.USER, Set.of("Observer"), true, false, true, List.of(), null));
        }

        private void put(UserInfo u) {
            users.put(u.name().toLowerCase(java.util.Locale.ROOT), u);
        }

        private UserInfo get(String name) {
            UserInfo u = users.get(name.toLowerCase(java.util.Locale.ROOT));
            if (u == null) {
                throw new IllegalArgumentException("name: there is no user '" + name + "'");
            }
            return u;
        }

        @Override
        public List<UserInfo> users() {
            return List.copyOf(users.values());
        }

        @Override
        public Optional<UserInfo> user(String name) {
            return Optional.ofNullable(users.get(name.toLowerCase(java.util.Locale.ROOT)));
        }

        @Override
        public void createUser(Identity actor, String name, Set<String> roles, char[] password) {
            put(new UserInfo(name, Identity.Kind.USER, roles, true, false, true, List.of(), null));
        }

        @Override
        public void createApplication(Identity actor, String name, Set<String> roles) {
            put(new UserInfo(name, Identity.Kind.APPLICATION, roles, true, false, false, List.of(), null));
        }

        @Override
        public void setPassword(Identity actor, String name, char[] password, boolean mustChange) {
            UserInfo u = get(name);
            put(new UserInfo(u.name(), u.kind(), u.roles(), u.enabled(), mustChange, true, u.certificates(), null));
        }

        @Override
        public void setRoles(Identity actor, String name, Set<String> roles) {
            UserInfo u = get(name);
            put(new UserInfo(u.name(), u.kind(), roles, u.enabled(), u.mustChangePassword(), true, u.certificates(), null));
        }

        @Override
        public void setEnabled(Identity actor, String name, boolean enabled) {
            UserInfo u = get(name);
            put(new UserInfo(u.name(), u.kind(), u.roles(), enabled, u.mustChangePassword(), true, u.certificates(), null));
        }

        @Override
        public void remove(Identity actor, String name) {
            users.remove(get(name).name().toLowerCase(java.util.Locale.ROOT));
        }

        @Override
        public void mapCertificate(Identity actor, String name, CertificateMapping mapping) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void unmapCertificate(Identity actor, String name, CertificateMapping mapping) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<char[]> ensureUser(String name, Set<String> roles) {
            return Optional.empty();
        }
    }
}
