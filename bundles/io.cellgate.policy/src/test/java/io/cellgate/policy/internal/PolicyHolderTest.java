package io.cellgate.policy.internal;

import static io.cellgate.policy.internal.Policies.tag;
import static io.cellgate.policy.internal.Policies.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.policy.Action;
import io.cellgate.api.policy.PolicyVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyHolderTest {

    private static final Instant T0 = Instant.parse("2025-06-02T10:00:00Z");
    private static final String READ_ALL = "rules: [{role: Observer, tags: ['*/*'], allow: [read]}]\n";
    private static final String READ_ONE = "rules: [{role: Observer, tags: ['a/b'], allow: [read]}]\n";
    private final MutableClock clock = new MutableClock(T0);

    @Test
    void apply_eachNewPolicy_nextVersionWithHashTimeAndActor() {
        PolicyHolder h = new PolicyHolder(clock);
        assertThat(h.current().version()).isZero();
        PolicyVersion v1 = h.apply(Policies.parse(READ_ALL), "sam");
        clock.advance(Duration.ofMinutes(5));
        PolicyVersion v2 = h.apply(Policies.parse(READ_ONE), "config");
        assertThat(v1).isEqualTo(new PolicyVersion(1, Policies.parse(READ_ALL).hash(), T0, "sam"));
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.time()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(v2.hash()).isNotEqualTo(v1.hash());
        assertThat(h.history()).containsExactly(v1, v2);
        assertThat(h.current()).isEqualTo(v2);
        assertThat(h.decide(tag(user("o", "Observer"), Action.READ, "x/y")).allowed()).isFalse();
        assertThat(h.decide(tag(user("o", "Observer"), Action.READ, "a/b")).policyVersion()).isEqualTo(2);
    }

    @Test
    void rules_appliedPolicy_denyRulesFirstWithConditionsAndOrigins() {
        PolicyHolder h = new PolicyHolder(clock);
        assertThat(h.rules()).as("nothing applied: no rules").isEmpty();
        h.apply(Policies.parse("""
                defaults: false
                rules:
                  - id: speed
                    role: Operator
                    tags: ["vfd-1/speed"]
                    allow: [write]
                    when: { min: 0, max: 1500, channel: [opcua] }
                  - id: no-safety
                    identity: mes
                    tags: ["*/safety_*"]
                    deny: [write]
                """), "sam");
        assertThat(h.rules()).extracting(io.cellgate.api.policy.PolicyRule::id).containsExactly("no-safety", "speed");
        io.cellgate.api.policy.PolicyRule deny = h.rules().get(0);
        assertThat(deny.allow()).isFalse();
        assertThat(deny.identity()).isEqualTo("mes");
        assertThat(deny.role()).isNull();
        assertThat(deny.conditions()).isEmpty();
        io.cellgate.api.policy.PolicyRule speed = h.rules().get(1);
        assertThat(speed.allow()).isTrue();
        assertThat(speed.role()).isEqualTo("Operator");
        assertThat(speed.actions()).containsExactly("write");
        assertThat(speed.tags()).containsExactly("vfd-1/speed");
        assertThat(speed.origin()).startsWith("policy.yaml:");
        assertThat(speed.conditions()).isEqualTo("value 0..1500; channel [opcua]");
    }

    @Test
    void apply_sameContent_noNewVersion() {
        PolicyHolder h = new PolicyHolder(clock);
        h.apply(Policies.parse(READ_ALL), "config");
        PolicyVersion again = h.apply(Policies.parse("# reformatted\n" + READ_ALL), "config");
        assertThat(again.version()).isEqualTo(1);
        assertThat(h.history()).hasSize(1);
    }

    @Test
    void restoreHistory_versionsContinueAfterThePersistedOnes() {
        PolicyHolder h = new PolicyHolder(clock);
        PolicyVersion startup = h.apply(Policies.parse(READ_ALL), "config");
        List<PolicyVersion> persisted = List.of(new PolicyVersion(7, "h7", T0.minusSeconds(99), "sam"),
                new PolicyVersion(6, "h6", T0.minusSeconds(199), "sam"));
        h.restoreHistory(persisted);
        assertThat(h.history()).extracting(PolicyVersion::version).containsExactly(6L, 7L, 8L);
        assertThat(h.current().version()).isEqualTo(8);
        assertThat(h.current().hash()).isEqualTo(startup.hash());
        assertThat(h.decide(tag(user("o", "Observer"), Action.READ, "x/y")).policyVersion()).isEqualTo(8);
        assertThat(h.apply(Policies.parse(READ_ONE), "sam").version()).isEqualTo(9);
    }

    @Test
    void component_invalidPolicy_notApplied_previousStays() {
        PolicyComponent c = new PolicyComponent(clock);
        c.apply(PolicyParser.fromAccessProperty(new String[] {"Observer|read|*/*"}, "cellgate.cell"), "config");
        assertThat(c.current().version()).isEqualTo(1);
        c.apply(PolicyParser.fromAccessProperty(new String[] {"Observer|read|nonsense"}, "cellgate.cell"), "config");
        assertThat(c.current().version()).isEqualTo(1);
        assertThat(c.decide(tag(user("o", "Observer"), Action.READ, "x/y")).allowed()).isTrue();
    }

    @Test
    void component_invalidFirstPolicy_deniesEverything() {
        PolicyComponent c = new PolicyComponent(clock);
        c.apply(PolicyParser.parse("rules: [{role: Nobody}]", "p.yaml"), "config");
        assertThat(c.current().version()).isZero();
        assertThat(c.decide(tag(user("o", "Observer"), Action.READ, "x/y")).allowed()).isFalse();
    }

    @Test
    void component_accessRulesProperty_isThePolicy() {
        PolicyComponent c = new PolicyComponent(cfg(""), Map.of("access.rules",
                new String[] {"Observer|browse,read|*/*"}));
        assertThat(c.current().version()).isEqualTo(1);
        assertThat(c.current().actor()).isEqualTo("config");
        assertThat(c.decide(tag(user("o", "Observer"), Action.READ, "x/y")).allowed()).isTrue();
        assertThat(c.decide(tag(user("o", "Observer"), Action.SUBSCRIBE, "x/y")).allowed()).isFalse();
    }

    @Test
    void component_noSource_deniesEverything() {
        PolicyComponent c = new PolicyComponent(cfg(""), Map.of());
        assertThat(c.current().version()).isZero();
        assertThat(c.decide(tag(user("o", "Observer"), Action.READ, "x/y")).allowed()).isFalse();
    }

    @Test
    void component_policyFile_replacesAccessRules(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, READ_ONE);
        PolicyComponent c = new PolicyComponent(cfg(file.toString()), Map.of("access.rules",
                new String[] {"Observer|read|*/*"}));
        assertThat(c.current().actor()).isEqualTo("file:" + file);
        assertThat(c.decide(tag(user("o", "Observer"), Action.READ, "x/y")).allowed()).isFalse();
        assertThat(c.decide(tag(user("o", "Observer"), Action.READ, "a/b")).allowed()).isTrue();
        // A broken file is reported and not applied.
        Files.writeString(file, "rules: [{role: Observer, tags: ['a/b'], allow: [reed]}]\n");
        c.modified(cfg(file.toString()), Map.of());
        assertThat(c.current().version()).isEqualTo(1);
        assertThat(c.validate(Files.readString(file), "policy.yaml")).extracting(Object::toString).containsExactly(
                "policy.yaml:1:49: rules[0].allow[0]: unknown action 'reed': use one of browse, read, subscribe, "
                        + "write, configure, manage_certificates, manage_users, manage_policy, read_audit "
                        + "(did you mean 'read'?)");
        assertThat(PolicyComponent.readFile(dir.resolve("missing.yaml")).problems().get(0).message())
                .startsWith("cannot read file");
        Files.write(file, new byte[] {(byte) 0xC3, (byte) 0x28});
        assertThat(PolicyComponent.readFile(file).problems().get(0).message()).isEqualTo("file is not valid UTF-8");
    }

    private static PolicyConfig cfg(String file) {
        return new PolicyConfig() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return PolicyConfig.class;
            }

            @Override
            public String policy_file() {
                return file;
            }
        };
    }
}
