package io.cellgate.policy.internal;

import static io.cellgate.policy.internal.Policies.parse;
import static io.cellgate.policy.internal.Policies.section;
import static io.cellgate.policy.internal.Policies.tag;
import static io.cellgate.policy.internal.Policies.user;
import static io.cellgate.policy.internal.Policies.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.policy.AccessRequest;
import io.cellgate.api.policy.Action;
import io.cellgate.api.policy.Context;
import io.cellgate.api.policy.Decision;
import io.cellgate.api.policy.Resource;
import io.cellgate.api.policy.Subject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyEngineTest {

    private static final Instant T0 = Instant.parse("2025-06-02T10:00:00Z"); // a Monday
    private final MutableClock clock = new MutableClock(T0);

    private static final String LEGACY = """
            rules:
              - role: Observer
                tags: ["*/*"]
                allow: [browse, read, subscribe]
              - role: Operator
                tags: ["press-*/setpoint_*", "oven-1/sp"]
                allow: [write]
            """;

    private PolicyEngine engine(String yaml) {
        return new PolicyEngine(parse(yaml), clock);
    }

    @Test
    void decide_emptyPolicy_deniesEverything() {
        PolicyEngine e = engine("rules: []\ndefaults: false\n");
        for (Action a : Action.values()) {
            Resource r = a.onTags() ? Resource.tag("press-1/sp") : Resource.section("devices");
            Decision d = e.decide(new AccessRequest(user("root", "Observer", "Operator", "Engineer", "SecurityAdmin",
                    "Auditor"), a, r, Context.of("console")));
            assertThat(d.allowed()).as(a.name()).isFalse();
            assertThat(d.ruleId()).isNull();
            assertThat(d.reason()).startsWith("no rule allows " + a.key());
        }
    }

    @Test
    void decide_denyAllPolicy_versionZero_deniesEverything() {
        Decision d = new PolicyEngine(Policy.DENY_ALL, clock).decide(tag(user("o", "Observer"), Action.READ, "a/b"));
        assertThat(d.allowed()).isFalse();
        assertThat(d.policyVersion()).isZero();
    }

    @Test
    void decide_tagActions_grantedOnlyAsWritten() {
        PolicyEngine e = engine(LEGACY);
        Subject observer = user("otto", "Observer");
        Subject operator = user("olga", "Operator");
        for (Action a : List.of(Action.BROWSE, Action.READ, Action.SUBSCRIBE)) {
            assertThat(e.decide(tag(observer, a, "press-1/speed")).allowed()).as(a.name()).isTrue();
            assertThat(e.decide(tag(operator, a, "press-1/speed")).allowed()).as("operator " + a).isFalse();
        }
        assertThat(e.decide(write(observer, "press-1/setpoint_a", 1)).allowed()).isFalse();
        assertThat(e.decide(write(operator, "press-1/setpoint_a", 1)).allowed()).isTrue();
        assertThat(e.decide(write(operator, "oven-1/sp", 1)).allowed()).isTrue();
        assertThat(e.decide(write(operator, "oven-1/sp2", 1)).allowed()).isFalse();
        assertThat(e.decide(write(operator, "press-1/speed", 1)).allowed()).isFalse();
    }

    @Test
    void decide_managementActions_defaultsGiveEachRoleOnlyItsOwn() {
        PolicyEngine e = engine(LEGACY);
        Subject engineer = user("eve", "Engineer");
        Subject admin = user("sam", "SecurityAdmin");
        Subject auditor = user("aud", "Auditor");
        Subject operator = user("olga", "Operator", "Observer");

        assertThat(e.decide(section(engineer, Action.CONFIGURE, "devices/press-1")).allowed()).isTrue();
        assertThat(e.decide(section(engineer, Action.CONFIGURE, "opcua")).allowed()).isTrue();
        assertThat(e.decide(section(engineer, Action.CONFIGURE, "access")).allowed()).isFalse();
        assertThat(e.decide(section(engineer, Action.CONFIGURE, "mqtt")).allowed()).isTrue();
        assertThat(e.decide(section(engineer, Action.CONFIGURE, "firewall")).allowed()).isFalse();
        assertThat(e.decide(section(engineer, Action.CONFIGURE, "audit")).allowed()).isFalse();
        assertThat(e.decide(section(admin, Action.CONFIGURE, "firewall")).allowed()).isTrue();
        assertThat(e.decide(section(admin, Action.CONFIGURE, "audit")).allowed()).isTrue();
        assertThat(e.decide(section(engineer, Action.CONFIGURE, "console")).allowed()).isFalse();
        assertThat(e.decide(section(engineer, Action.CONFIGURE, "components/cellgate.modbus")).allowed()).isTrue();
        assertThat(e.decide(section(operator, Action.CONFIGURE, "components/cellgate.modbus")).allowed()).isFalse();
        assertThat(e.decide(section(admin, Action.CONFIGURE, "console")).allowed()).isTrue();
        assertThat(e.decide(section(engineer, Action.MANAGE_POLICY, "policy")).allowed()).isFalse();
        assertThat(e.decide(tag(engineer, Action.READ, "press-1/x")).allowed()).isFalse();

        for (Action a : List.of(Action.MANAGE_USERS, Action.MANAGE_CERTIFICATES, Action.MANAGE_POLICY)) {
            assertThat(e.decide(section(admin, a, "users")).allowed()).as(a.name()).isTrue();
            assertThat(e.decide(section(engineer, a, "users")).allowed()).as("engineer " + a).isFalse();
        }
        assertThat(e.decide(section(admin, Action.READ_AUDIT, "audit")).allowed()).isFalse();
        assertThat(e.decide(section(admin, Action.CONFIGURE, "devices")).allowed()).isFalse();
        assertThat(e.decide(write(admin, "press-1/setpoint_a", 1)).allowed()).isFalse();

        assertThat(e.decide(section(auditor, Action.READ_AUDIT, "audit")).allowed()).isTrue();
        assertThat(e.decide(section(auditor, Action.CONFIGURE, "devices")).allowed()).isFalse();

        for (Action a : List.of(Action.CONFIGURE, Action.MANAGE_USERS, Action.MANAGE_CERTIFICATES,
                Action.MANAGE_POLICY, Action.READ_AUDIT)) {
            assertThat(e.decide(section(operator, a, "devices")).allowed()).as("operator " + a).isFalse();
        }
    }

    @Test
    void decide_defaultsFalse_noManagementRules() {
        PolicyEngine e = engine("defaults: false\nrules: []\n");
        assertThat(e.decide(section(user("sam", "SecurityAdmin"), Action.MANAGE_USERS, "users")).allowed()).isFalse();
    }

    @Test
    void decide_tagActionOnSection_andSectionActionOnTag_denied() {
        PolicyEngine e = engine("""
                rules:
                  - id: all
                    role: Engineer
                    sections: ["*"]
                    allow: [configure]
                """);
        // A configure request naming a tag path is a section request for the section "press-1": not a tag.
        assertThat(e.decide(new AccessRequest(user("e", "Engineer"), Action.CONFIGURE, Resource.tag("press-1/x"),
                Context.of("console"))).allowed()).isFalse();
        assertThat(e.decide(new AccessRequest(user("e", "Engineer"), Action.READ, Resource.section("devices"),
                Context.of("console"))).allowed()).isFalse();
    }

    @Test
    void decide_identityRule_matchesThatIdentityOnly_ignoringCase() {
        PolicyEngine e = engine("""
                rules:
                  - id: mes-reads
                    identity: MES
                    tags: ["*/*"]
                    allow: [read]
                """);
        assertThat(e.decide(tag(new Subject("mes", Subject.Kind.APPLICATION, java.util.Set.of()), Action.READ,
                "a/b")).allowed()).isTrue();
        assertThat(e.decide(tag(user("other", "Observer"), Action.READ, "a/b")).allowed()).isFalse();
    }

    @Test
    void decide_denyRuleWins_overAnyAllow() {
        PolicyEngine e = engine("""
                rules:
                  - role: Operator
                    tags: ["press-*/*"]
                    allow: [write]
                  - id: no-safety
                    role: Operator
                    tags: ["*/safety_*"]
                    deny: [write]
                """);
        Subject op = user("olga", "Operator");
        assertThat(e.decide(write(op, "press-1/speed", 1)).allowed()).isTrue();
        Decision d = e.decide(write(op, "press-1/safety_limit", 1));
        assertThat(d.allowed()).isFalse();
        assertThat(d.ruleId()).isEqualTo("no-safety");
        assertThat(d.reason()).contains("deny rule no-safety").contains("policy.yaml:5");
    }

    @Test
    void decide_denyRuleWithCondition_appliesOnlyWhenItHolds() {
        PolicyEngine e = engine("""
                rules:
                  - role: Operator
                    tags: ["*/*"]
                    allow: [write]
                  - id: no-sparkplug-writes
                    role: Operator
                    tags: ["*/*"]
                    deny: [write]
                    when: { channel: [sparkplug] }
                """);
        Subject op = user("olga", "Operator");
        AccessRequest viaOpcUa = write(op, "a/b", 1);
        AccessRequest viaSparkplug = new AccessRequest(op, Action.WRITE, Resource.tag("a/b"),
                Context.of("sparkplug").withValue(1));
        assertThat(e.decide(viaOpcUa).allowed()).isTrue();
        assertThat(e.decide(viaSparkplug).ruleId()).isEqualTo("no-sparkplug-writes");
    }

    @Test
    void decide_valueLimits_minAndMaxInclusive_andExplained() {
        PolicyEngine e = engine("""
                rules:
                  - id: speed
                    role: Operator
                    tags: ["vfd-1/speed_reference"]
                    allow: [write]
                    when: { min: 0, max: 1500 }
                """);
        Subject op = user("olga", "Operator");
        assertThat(e.decide(write(op, "vfd-1/speed_reference", 0)).allowed()).isTrue();
        assertThat(e.decide(write(op, "vfd-1/speed_reference", 1500.0)).allowed()).isTrue();
        Decision high = e.decide(write(op, "vfd-1/speed_reference", 1500.5));
        assertThat(high.allowed()).isFalse();
        assertThat(high.reason()).contains("rule speed: value 1500.5 is above max 1500");
        assertThat(e.decide(write(op, "vfd-1/speed_reference", -1)).reason()).contains("value -1 is below min 0");
        assertThat(e.decide(write(op, "vfd-1/speed_reference", "fast")).reason()).contains("not a number ('fast')");
        assertThat(e.decide(write(op, "vfd-1/speed_reference", null)).reason()).contains("the value is missing");
        assertThat(e.decide(write(op, "vfd-1/speed_reference", Double.NaN)).allowed()).isFalse();
    }

    @Test
    void decide_profileLimitsAndReadOnly_enforcedEvenWhenARuleAllows() {
        PolicyEngine e = engine(LEGACY);
        Subject op = user("olga", "Operator");
        AccessRequest readOnly = new AccessRequest(op, Action.WRITE, Resource.tag("oven-1/sp", false, null, null),
                Context.of("opcua").withValue(1));
        assertThat(e.decide(readOnly).reason()).isEqualTo("the profile declares oven-1/sp read-only");
        AccessRequest outside = new AccessRequest(op, Action.WRITE, Resource.tag("oven-1/sp", true, 0.0, 300.0),
                Context.of("opcua").withValue(301));
        assertThat(outside.resource().max()).isEqualTo(300.0);
        assertThat(e.decide(outside).reason()).contains("outside the profile's limits 0..300");
        AccessRequest inside = new AccessRequest(op, Action.WRITE, Resource.tag("oven-1/sp", true, 0.0, 300.0),
                Context.of("opcua").withValue(300));
        assertThat(e.decide(inside).allowed()).isTrue();
    }

    @Test
    void decide_rateLimit_tokenBucketPerIdentityAndTag_withFakeClock() {
        PolicyEngine e = engine("""
                rules:
                  - id: paced
                    role: Operator
                    tags: ["*/*"]
                    allow: [write]
                    when: { rate: 2/1m }
                """);
        Subject olga = user("olga", "Operator");
        Subject otto = user("otto", "Operator");
        assertThat(e.decide(write(olga, "a/x", 1)).allowed()).isTrue();
        assertThat(e.decide(write(olga, "a/x", 1)).allowed()).isTrue();
        Decision third = e.decide(write(olga, "a/x", 1));
        assertThat(third.allowed()).isFalse();
        assertThat(third.reason()).contains("rule paced: rate limit 2 per 1m per identity and tag exceeded");
        // Other tag, other identity: their own buckets.
        assertThat(e.decide(write(olga, "a/y", 1)).allowed()).isTrue();
        assertThat(e.decide(write(otto, "a/x", 1)).allowed()).isTrue();
        // One token comes back every 30 s.
        clock.advance(Duration.ofSeconds(29));
        assertThat(e.decide(write(olga, "a/x", 1)).allowed()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(e.decide(write(olga, "a/x", 1)).allowed()).isTrue();
        assertThat(e.decide(write(olga, "a/x", 1)).allowed()).isFalse();
        // A long pause refills to the bucket size, not beyond.
        clock.advance(Duration.ofHours(1));
        assertThat(e.decide(write(olga, "a/x", 1)).allowed()).isTrue();
        assertThat(e.decide(write(olga, "a/x", 1)).allowed()).isTrue();
        assertThat(e.decide(write(olga, "a/x", 1)).allowed()).isFalse();
    }

    @Test
    void preview_rateLimitedRule_takesNoTokenButSeesAnEmptyBucket() {
        PolicyEngine e = engine("""
                rules:
                  - id: paced
                    role: Operator
                    tags: ["*/*"]
                    allow: [write]
                    when: { rate: 1/1m }
                """);
        Subject olga = user("olga", "Operator");
        // Any number of previews (an OPC UA client reading UserAccessLevel) leaves the token for the write.
        for (int i = 0; i < 5; i++) {
            assertThat(e.preview(write(olga, "a/x", 1)).allowed()).isTrue();
        }
        assertThat(e.decide(write(olga, "a/x", 1)).allowed()).isTrue();
        Decision empty = e.preview(write(olga, "a/x", 1));
        assertThat(empty.allowed()).isFalse();
        assertThat(empty.reason()).contains("rate limit 1 per 1m");
        clock.advance(Duration.ofMinutes(1));
        assertThat(e.preview(write(olga, "a/x", 1)).allowed()).isTrue();
        assertThat(e.decide(write(olga, "a/x", 1)).allowed()).isTrue();
    }

    @Test
    void decide_rateLimit_perIdentityScope_sharedAcrossTags() {
        PolicyEngine e = engine("""
                rules:
                  - id: paced
                    role: Operator
                    tags: ["*/*"]
                    allow: [write]
                    when: { rate: 1/10s, rateScope: identity }
                """);
        Subject olga = user("olga", "Operator");
        assertThat(e.decide(write(olga, "a/x", 1)).allowed()).isTrue();
        assertThat(e.decide(write(olga, "a/y", 1)).allowed()).isFalse();
        assertThat(e.decide(write(user("otto", "Operator"), "a/y", 1)).allowed()).isTrue();
    }

    @Test
    void decide_rateLimit_perTagScope_sharedAcrossIdentities() {
        PolicyEngine e = engine("""
                rules:
                  - id: paced
                    role: Operator
                    tags: ["*/*"]
                    allow: [write]
                    when: { rate: 1/10s, rateScope: tag }
                """);
        assertThat(e.decide(write(user("olga", "Operator"), "a/x", 1)).allowed()).isTrue();
        assertThat(e.decide(write(user("otto", "Operator"), "a/x", 1)).allowed()).isFalse();
        assertThat(e.decide(write(user("otto", "Operator"), "a/y", 1)).allowed()).isTrue();
    }

    @Test
    void decide_rateLimit_tokenNotSpentWhenAnotherConditionFails() {
        PolicyEngine e = engine("""
                rules:
                  - id: paced
                    role: Operator
                    tags: ["*/*"]
                    allow: [write]
                    when: { rate: 1/1m, max: 10 }
                """);
        Subject olga = user("olga", "Operator");
        assertThat(e.decide(write(olga, "a/x", 11)).allowed()).isFalse();
        assertThat(e.decide(write(olga, "a/x", 5)).allowed()).isTrue();
    }

    @Test
    void decide_timeWindowAcrossMidnight_belongsToTheStartDay() {
        PolicyEngine e = engine("""
                rules:
                  - id: night
                    role: Operator
                    tags: ["*/*"]
                    allow: [write]
                    when:
                      window: { days: [fri], from: "22:00", to: "06:00" }
                """);
        Subject op = user("olga", "Operator");
        assertThat(at(e, op, "2025-06-06T22:00:00Z").allowed()).as("Fri 22:00").isTrue();
        assertThat(at(e, op, "2025-06-07T03:00:00Z").allowed()).as("Sat 03:00").isTrue();
        assertThat(at(e, op, "2025-06-07T05:59:59Z").allowed()).as("Sat 05:59").isTrue();
        assertThat(at(e, op, "2025-06-07T06:00:00Z").allowed()).as("Sat 06:00").isFalse();
        assertThat(at(e, op, "2025-06-06T03:00:00Z").allowed()).as("Fri 03:00 (Thursday's night)").isFalse();
        assertThat(at(e, op, "2025-06-06T21:59:00Z").allowed()).as("Fri 21:59").isFalse();
        assertThat(at(e, op, "2025-06-07T22:30:00Z").allowed()).as("Sat 22:30").isFalse();
        assertThat(at(e, op, "2025-06-07T06:00:00Z").reason())
                .contains("rule night: time 2025-06-07T06:00:00Z is outside the window fri 22:00-06:00 Z");
    }

    @Test
    void decide_timeWindow_inItsZone_includingDaylightSaving() {
        PolicyEngine e = engine("""
                zone: Europe/Berlin
                rules:
                  - id: day-shift
                    role: Operator
                    tags: ["*/*"]
                    allow: [write]
                    when:
                      window: { days: [mon, tue, wed, thu, fri], from: "06:00", to: "14:00" }
                  - id: tokyo
                    role: Engineer
                    sections: [devices]
                    allow: [configure]
                    when:
                      window: { from: "09:00", to: "10:00", zone: Asia/Tokyo }
                """);
        Subject op = user("olga", "Operator");
        // Summer (UTC+2): 06:00 Berlin = 04:00 UTC.
        assertThat(at(e, op, "2025-06-02T04:00:00Z").allowed()).isTrue();
        assertThat(at(e, op, "2025-06-02T03:59:00Z").allowed()).isFalse();
        assertThat(at(e, op, "2025-06-02T12:00:00Z").allowed()).as("14:00 Berlin").isFalse();
        // Winter (UTC+1): 06:00 Berlin = 05:00 UTC.
        assertThat(at(e, op, "2025-01-06T04:30:00Z").allowed()).isFalse();
        assertThat(at(e, op, "2025-01-06T05:00:00Z").allowed()).isTrue();
        // Saturday, in Berlin.
        assertThat(at(e, op, "2025-06-07T08:00:00Z").allowed()).isFalse();
        // The window's own zone wins over the document's.
        AccessRequest cfg = new AccessRequest(user("e", "Engineer"), Action.CONFIGURE, Resource.section("devices"),
                new Context("console", null, null, null, null, Instant.parse("2025-06-02T00:30:00Z")));
        assertThat(new PolicyEngine(e.policy(), clock).decide(cfg).allowed()).as("09:30 Tokyo").isTrue();
    }

    @Test
    void decide_timeWindow_usesClockWhenRequestHasNoTime() {
        PolicyEngine e = engine("""
                rules:
                  - id: morning
                    role: Operator
                    tags: ["*/*"]
                    allow: [write]
                    when: { window: { from: "09:00", to: "11:00" } }
                """);
        assertThat(e.decide(write(user("o", "Operator"), "a/b", 1)).allowed()).isTrue();
        clock.set(Instant.parse("2025-06-02T11:00:00Z"));
        assertThat(e.decide(write(user("o", "Operator"), "a/b", 1)).allowed()).isFalse();
    }

    @Test
    void decide_channelSecurityModeEndpoint_eachMustMatch() {
        PolicyEngine e = engine("""
                rules:
                  - id: secure-only
                    role: Operator
                    tags: ["*/*"]
                    allow: [write]
                    when:
                      channel: [opcua]
                      securityMode: [SignAndEncrypt]
                      endpoint: ["opc.tcp://gw:4840/cellgate"]
                """);
        Subject op = user("olga", "Operator");
        String ep = "opc.tcp://gw:4840/cellgate";
        assertThat(ctx(e, op, new Context("opcua", "10.0.0.5", ep, "SignAndEncrypt", 1, null)).allowed()).isTrue();
        assertThat(ctx(e, op, new Context("opcua", "10.0.0.5", ep, "sign", 1, null)).reason())
                .contains("rule secure-only: security mode 'sign' is not one of [signandencrypt]");
        assertThat(ctx(e, op, new Context("console", null, ep, "signandencrypt", 1, null)).reason())
                .contains("channel 'console' is not one of [opcua]");
        assertThat(ctx(e, op, new Context("opcua", null, "opc.tcp://other:4840", "signandencrypt", 1, null)).reason())
                .contains("endpoint 'opc.tcp://other:4840' is not one of");
        assertThat(ctx(e, op, new Context("opcua", null, ep, null, 1, null)).reason())
                .contains("security mode (unknown)");
    }

    @Test
    void decide_allowed_explainsRuleAndVersion() {
        Policy p = parse(LEGACY);
        PolicyHolder holder = new PolicyHolder(clock);
        holder.apply(p, "test");
        Decision d = holder.decide(write(user("olga", "Operator"), "oven-1/sp", 1));
        assertThat(d.allowed()).isTrue();
        assertThat(d.ruleId()).isEqualTo("Operator|write|press-*/setpoint_*,oven-1/sp");
        assertThat(d.policyVersion()).isEqualTo(1);
        assertThat(d.explain()).isEqualTo("allowed by rule Operator|write|press-*/setpoint_*,oven-1/sp (policy v1): "
                + "rule Operator|write|press-*/setpoint_*,oven-1/sp (role Operator, policy.yaml:5) allows write on "
                + "oven-1/sp for olga (roles [Operator])");
    }

    @Test
    void decide_noRuleMatched_explainsWhatWasAsked() {
        Decision d = engine(LEGACY).decide(write(user("otto", "Observer"), "oven-1/sp", 1));
        assertThat(d.explain()).isEqualTo("denied (policy v0): no rule allows write on oven-1/sp for otto "
                + "(roles [Observer])");
    }

    @Test
    void decide_exceptionDuringEvaluation_deniesFailClosed() {
        PolicyEngine e = engine("""
                rules:
                  - id: speed
                    role: Operator
                    tags: ["*/*"]
                    allow: [write]
                    when: { max: 10 }
                """);
        Number hostile = new Number() {
            @Override
            public int intValue() {
                throw new IllegalStateException("boom");
            }

            @Override
            public long longValue() {
                throw new IllegalStateException("boom");
            }

            @Override
            public float floatValue() {
                throw new IllegalStateException("boom");
            }

            @Override
            public double doubleValue() {
                throw new IllegalStateException("boom");
            }
        };
        Decision d = e.decide(write(user("olga", "Operator"), "a/b", hostile));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).contains("could not be evaluated (IllegalStateException: boom)").contains("fail closed");
        assertThat(e.decide(null).allowed()).isFalse();
    }

    private Decision at(PolicyEngine e, Subject s, String time) {
        return e.decide(new AccessRequest(s, Action.WRITE, Resource.tag("a/b"),
                new Context("opcua", null, null, null, 1, Instant.parse(time))));
    }

    private static Decision ctx(PolicyEngine e, Subject s, Context c) {
        return e.decide(new AccessRequest(s, Action.WRITE, Resource.tag("a/b"), c));
    }
}
