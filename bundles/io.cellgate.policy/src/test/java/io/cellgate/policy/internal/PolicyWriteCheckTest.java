package io.cellgate.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.policy.AccessRequest;
import io.cellgate.api.policy.Action;
import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.write.WriteAccessCheck.Decision;
import io.cellgate.api.write.WriteRequest;
import io.cellgate.identity.Identity;
import io.cellgate.identity.UserInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PolicyWriteCheckTest {

    private static final TagPath SP = TagPath.parse("oven-1/sp");
    private static final TagInfo TAG = new TagInfo(SP, DataType.FLOAT32, false, "C", null, true, 0.0, 300.0, 0,
            "fast", 1000);
    private final PolicyHolder holder = new PolicyHolder(new MutableClock(Instant.parse("2025-06-02T10:00:00Z")));
    private final Map<String, UserInfo> users = Map.of(
            "olga", user("olga", true, "Operator"),
            "otto", user("otto", false, "Operator"),
            "obs", user("obs", true, "Observer"));

    PolicyWriteCheckTest() {
        holder.apply(PolicyParser.fromAccessProperty(new String[] {"Operator|write|oven-1/*"}, "cellgate.cell")
                .policy(), "config");
    }

    private PolicyWriteCheck check() {
        return new PolicyWriteCheck(holder, name -> Optional.ofNullable(users.get(name)));
    }

    @Test
    void check_enabledOperator_allowedWithRuleAndExplanation() {
        Decision d = check().check(new WriteRequest("olga", "opcua", "127.0.0.1:5000", SP, 20.0), TAG);
        assertThat(d.allowed()).isTrue();
        assertThat(d.rule()).isEqualTo("Operator|write|oven-1/*");
        assertThat(d.reason()).startsWith("allowed by rule Operator|write|oven-1/* (policy v1)");
    }

    @Test
    void check_unknownOrDisabledIdentity_denied() {
        assertThat(check().check(new WriteRequest("nobody", "opcua", null, SP, 1.0), TAG).reason())
                .isEqualTo("identity 'nobody' is not an enabled user");
        assertThat(check().check(new WriteRequest("otto", "opcua", null, SP, 1.0), TAG).allowed()).isFalse();
    }

    @Test
    void check_roleWithoutRule_denied() {
        assertThat(check().check(new WriteRequest("obs", "opcua", null, SP, 1.0), TAG).allowed()).isFalse();
    }

    @Test
    void check_mapsRequestOntoTheAccessRequest() {
        AtomicReference<AccessRequest> seen = new AtomicReference<>();
        PolicyWriteCheck c = new PolicyWriteCheck(r -> {
            seen.set(r);
            return holder.decide(r);
        }, name -> Optional.ofNullable(users.get(name)));
        c.check(new WriteRequest("olga", "sparkplug", "10.0.0.9", SP, 301.0), TAG);
        AccessRequest r = seen.get();
        assertThat(r.action()).isEqualTo(Action.WRITE);
        assertThat(r.subject().name()).isEqualTo("olga");
        assertThat(r.subject().roles()).containsExactly("Operator");
        assertThat(r.resource().name()).isEqualTo("oven-1/sp");
        assertThat(r.resource().max()).isEqualTo(300.0);
        assertThat(r.context().channel()).isEqualTo("sparkplug");
        assertThat(r.context().source()).isEqualTo("10.0.0.9");
        assertThat(r.context().value()).isEqualTo(301.0);
    }

    @Test
    void check_securityModeAndEndpointOfTheRequest_reachTheConditions() {
        holder.apply(Policies.parse("""
                rules:
                  - id: secure-opcua-writes
                    role: Operator
                    tags: ["oven-1/*"]
                    allow: [write]
                    when: { channel: [opcua], securityMode: [signandencrypt], endpoint: ["opc.tcp://gw:4840/cellgate"] }
                """), "test");
        WriteRequest secure = new WriteRequest("olga", "opcua", "10.0.0.9", SP, 20.0, "opc.tcp://gw:4840/cellgate",
                "signandencrypt");
        Decision allowed = check().check(secure, TAG);
        assertThat(allowed.allowed()).as(allowed.reason()).isTrue();
        assertThat(allowed.rule()).isEqualTo("secure-opcua-writes");

        Decision signOnly = check().check(new WriteRequest("olga", "opcua", "10.0.0.9", SP, 20.0,
                "opc.tcp://gw:4840/cellgate", "sign"), TAG);
        assertThat(signOnly.allowed()).isFalse();
        assertThat(signOnly.reason()).contains("secure-opcua-writes");
        // A request that does not know its security mode (the 5-argument form) fails the condition: fail closed.
        assertThat(check().check(new WriteRequest("olga", "opcua", "10.0.0.9", SP, 20.0), TAG).allowed()).isFalse();
        assertThat(check().check(new WriteRequest("olga", "opcua", "10.0.0.9", SP, 20.0, "opc.tcp://other:4840/cellgate",
                "signandencrypt"), TAG).allowed()).isFalse();
    }

    @Test
    void check_profileLimitsOrReadOnly_denied() {
        assertThat(check().check(new WriteRequest("olga", "opcua", null, SP, 301.0), TAG).reason())
                .contains("outside the profile's limits 0..300");
        TagInfo readOnly = new TagInfo(SP, DataType.FLOAT32, false, null, null, false, null, null, 0, "fast", 1000);
        assertThat(check().check(new WriteRequest("olga", "opcua", null, SP, 1.0), readOnly).allowed()).isFalse();
    }

    @Test
    void check_userLookupThrows_deniedFailClosed() {
        PolicyWriteCheck c = new PolicyWriteCheck(holder, name -> {
            throw new IllegalStateException("user store unreadable");
        });
        Decision d = c.check(new WriteRequest("olga", "opcua", null, SP, 1.0), TAG);
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).contains("user store unreadable").contains("fail closed");
    }

    private static UserInfo user(String name, boolean enabled, String... roles) {
        return new UserInfo(name, Identity.Kind.USER, Set.of(roles), enabled, false, true, List.of(), null);
    }
}
