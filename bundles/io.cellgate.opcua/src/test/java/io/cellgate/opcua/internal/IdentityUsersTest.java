package io.cellgate.opcua.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.identity.AuthResult;
import io.cellgate.identity.Authenticator;
import io.cellgate.identity.Identity;
import io.cellgate.identity.Roles;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdentityUsersTest {

    private static final Identity OTTO = new Identity("otto", Set.of(Roles.OBSERVER), Identity.Kind.USER);

    private final List<String> sources = new ArrayList<>();

    private Authenticator answering(AuthResult result) {
        return new Authenticator() {
            @Override
            public AuthResult authenticate(String user, char[] password, String source) {
                sources.add(source);
                if (result == null) {
                    throw new IllegalStateException("store broken");
                }
                return result;
            }

            @Override
            public Optional<Identity> forCertificate(X509Certificate certificate, String source) {
                return Optional.empty();
            }

            @Override
            public void changeOwnPassword(String user, char[] oldPassword, char[] newPassword, String source) {
            }
        };
    }

    private UserAuthenticator users(AuthResult result) {
        return new IdentityUsers(answering(result), () -> {
            throw new AssertionError("no certificate here");
        });
    }

    @Test
    void authenticate_success_returnsIdentityWithRolesAndPassesTheSourceAddress() throws Exception {
        assertThat(users(AuthResult.success(OTTO, false)).authenticate("otto", "pw", InetAddress.getByName("10.1.2.3")))
                .contains(OTTO);
        assertThat(sources).containsExactly("10.1.2.3");
    }

    @Test
    void authenticate_failure_refused() {
        assertThat(users(AuthResult.FAILED).authenticate("otto", "pw", null)).isEmpty();
    }

    @Test
    void authenticate_mustChangePassword_refused() {
        assertThat(users(AuthResult.success(OTTO, true)).authenticate("otto", "pw", null)).isEmpty();
    }

    @Test
    void authenticate_authenticatorThrows_refused() {
        assertThat(users(null).authenticate("otto", "pw", null)).isEmpty();
    }
}
