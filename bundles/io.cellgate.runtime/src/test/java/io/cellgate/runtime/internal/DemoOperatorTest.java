package io.cellgate.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.identity.CertificateMapping;
import io.cellgate.identity.Identity;
import io.cellgate.identity.UserAdmin;
import io.cellgate.identity.UserInfo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoOperatorTest {

    /** Keeps names and roles; ensureUser behaves as documented (a password only for a new user). */
    private static final class Users implements UserAdmin {
        final Map<String, Set<String>> roles = new HashMap<>();
        char[] lastPassword;

        @Override
        public Optional<char[]> ensureUser(String name, Set<String> r) {
            if (roles.containsKey(name)) {
                return Optional.empty();
            }
            roles.put(name, r);
            lastPassword = "Hq4t-mZ7x-Pp2w".toCharArray();
            return Optional.of(lastPassword);
        }

        @Override
        public List<UserInfo> users() {
            return List.of();
        }

        @Override
        public Optional<UserInfo> user(String name) {
            return Optional.empty();
        }

        @Override
        public void createUser(Identity actor, String name, Set<String> roles, char[] password) {
        }

        @Override
        public void createApplication(Identity actor, String name, Set<String> roles) {
        }

        @Override
        public void setPassword(Identity actor, String name, char[] password, boolean mustChange) {
        }

        @Override
        public void setRoles(Identity actor, String name, Set<String> roles) {
        }

        @Override
        public void setEnabled(Identity actor, String name, boolean enabled) {
        }

        @Override
        public void remove(Identity actor, String name) {
        }

        @Override
        public void mapCertificate(Identity actor, String name, CertificateMapping mapping) {
        }

        @Override
        public void unmapCertificate(Identity actor, String name, CertificateMapping mapping) {
        }
    }

    @Test
    void ensure_firstStart_createsOperatorAndObserverAndPrintsThePasswordOnce() {
        Users users = new Users();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        DemoOperator.ensure(users, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(users.roles).containsEntry("operator", Set.of("Operator", "Observer"));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("user:     operator")
                .contains("password: Hq4t-mZ7x-Pp2w");
        assertThat(users.lastPassword).as("the password is cleared after printing").containsOnly('\0');

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        DemoOperator.ensure(users, new PrintStream(again, true, StandardCharsets.UTF_8));
        assertThat(again.size()).as("nothing is printed when the user exists").isZero();
    }
}
