package io.cellgate.opcua.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.identity.Identity;
import io.cellgate.identity.Roles;
import io.cellgate.identity.UserInfo;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionRevocationTest {

    private static final Identity OPERATOR = new Identity("op", Set.of(Roles.OPERATOR, Roles.OBSERVER),
            Identity.Kind.USER);

    private static Optional<UserInfo> user(boolean enabled, Set<String> roles) {
        return Optional.of(new UserInfo("op", Identity.Kind.USER, roles, enabled, false, true, List.of(), null));
    }

    @Test
    void revocationReason_userUnchanged_none() {
        assertThat(SessionRevocation.revocationReason(OPERATOR, user(true, Set.of(Roles.OBSERVER, Roles.OPERATOR))))
                .isNull();
    }

    @Test
    void revocationReason_userRemoved_removed() {
        assertThat(SessionRevocation.revocationReason(OPERATOR, Optional.empty())).isEqualTo("user removed");
    }

    @Test
    void revocationReason_userDisabled_disabled() {
        assertThat(SessionRevocation.revocationReason(OPERATOR, user(false, OPERATOR.roles())))
                .isEqualTo("user disabled");
    }

    @Test
    void revocationReason_roleTakenAway_rolesChanged() {
        assertThat(SessionRevocation.revocationReason(OPERATOR, user(true, Set.of(Roles.OBSERVER))))
                .startsWith("roles changed");
    }
}
