package io.cellgate.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.write.WriteAccessCheck.Decision;
import io.cellgate.api.write.WriteRequest;
import io.cellgate.identity.Identity;
import io.cellgate.identity.UserAdmin;
import io.cellgate.identity.UserInfo;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessTableWriteCheckTest {

    private static final TagInfo SETPOINT = new TagInfo(TagPath.parse("oven-1/sp"), DataType.INT16, false, "°C", null,
            true, 0.0, 300.0, 0, "fast", 1000);
    private static final String RULES = "Operator|write|oven-1/sp";

    private static UserAdmin users(UserInfo... known) {
        return (UserAdmin) Proxy.newProxyInstance(UserAdmin.class.getClassLoader(), new Class<?>[] {UserAdmin.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("user")) {
                        for (UserInfo u : known) {
                            if (u.name().equals(args[0])) {
                                return Optional.of(u);
                            }
                        }
                        return Optional.empty();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static UserInfo user(String name, boolean enabled, String... roles) {
        return new UserInfo(name, Identity.Kind.USER, Set.of(roles), enabled, false, true, List.of(), null);
    }

    private static Decision check(AccessTableWriteCheck c, String who) {
        return c.check(new WriteRequest(who, "opcua", "127.0.0.1:5000", SETPOINT.path(), 42), SETPOINT);
    }

    @Test
    void check_operatorWithRule_allowedAndRuleNamed() {
        var c = new AccessTableWriteCheck(users(user("op", true, "Operator")), Map.of("access.rules", new String[] {RULES}));
        Decision d = check(c, "op");
        assertThat(d.allowed()).isTrue();
        assertThat(d.rule()).contains("Operator").contains("oven-1/sp");
    }

    @Test
    void check_observer_denied() {
        var c = new AccessTableWriteCheck(users(user("obs", true, "Observer")), Map.of("access.rules", new String[] {RULES}));
        assertThat(check(c, "obs").allowed()).isFalse();
    }

    @Test
    void check_unknownOrDisabledIdentity_denied() {
        var c = new AccessTableWriteCheck(users(user("op", false, "Operator")), Map.of("access.rules", new String[] {RULES}));
        assertThat(check(c, "op").allowed()).isFalse();
        assertThat(check(c, "nobody").allowed()).isFalse();
    }

    @Test
    void check_noRulesOrUnreadableRules_deniesEverything() {
        var none = new AccessTableWriteCheck(users(user("op", true, "Operator")), Map.of());
        assertThat(check(none, "op").allowed()).isFalse();
        var broken = new AccessTableWriteCheck(users(user("op", true, "Operator")), Map.of("access.rules", new String[] {"garbage"}));
        assertThat(check(broken, "op").allowed()).isFalse();
    }
}
