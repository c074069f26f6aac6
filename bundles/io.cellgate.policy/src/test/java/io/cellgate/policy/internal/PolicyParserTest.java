package io.cellgate.policy.internal;

import static io.cellgate.policy.internal.Policies.tag;
import static io.cellgate.policy.internal.Policies.user;
import static io.cellgate.policy.internal.Policies.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.policy.Action;
import io.cellgate.api.policy.PolicyProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PolicyParserTest {

    private static List<String> problems(String yaml) {
        PolicyParser.Result r = PolicyParser.parse(yaml, "policy.yaml");
        assertThat(r.policy()).as("a policy with problems is never returned").isNull();
        return r.problems().stream().map(PolicyProblem::toString).toList();
    }

    @Test
    void parse_fullRule_allFieldsRead() {
        Policy p = Policies.parse("""
                zone: Europe/Berlin
                rules:
                  - id: speed
                    role: Operator
                    tags: ["vfd-1/speed_reference"]
                    allow: [write]
                    when:
                      min: 0
                      max: 1_500.5
                      rate: 10/1m
                      rateScope: identity
                      window:
                        - { days: [monday, tue], from: "06:00", to: "14:00" }
                        - { days: [sat], from: "06:00", to: "24:00", zone: UTC }
                      channel: [opcua, console]
                      securityMode: signandencrypt
                      endpoint: ["opc.tcp://gw:4840/cellgate"]
                """);
        Rule r = p.rules().get(0);
        assertThat(r.id()).isEqualTo("speed");
        assertThat(r.origin()).isEqualTo("policy.yaml:3");
        assertThat(r.when().min()).isEqualTo(0.0);
        assertThat(r.when().max()).isEqualTo(1500.5);
        assertThat(r.when().rate()).isEqualTo(new Rate(10, 60_000, Rate.Scope.IDENTITY));
        assertThat(r.when().windows()).hasSize(2);
        assertThat(r.when().windows().get(0).toString()).isEqualTo("mon,tue 06:00-14:00 Europe/Berlin");
        assertThat(r.when().windows().get(1).toString()).isEqualTo("sat 06:00-24:00 UTC");
        assertThat(r.when().channels()).containsExactlyInAnyOrder("opcua", "console");
        assertThat(r.when().securityModes()).containsExactly("signandencrypt");
        assertThat(r.when().endpoints()).containsExactly("opc.tcp://gw:4840/cellgate");
        assertThat(p.rules()).extracting(Rule::id).containsExactly("speed", "default.engineer",
                "default.security-admin", "default.security-config", "default.auditor");
    }

    @Test
    void parse_bareList_isTodaysAccessSection() {
        Policy p = Policies.parse("""
                - role: Observer
                  tags: ["*/*"]
                  allow: [browse, read, subscribe]
                """);
        assertThat(p.rules().get(0).id()).isEqualTo("Observer|browse,read,subscribe|*/*");
    }

    @Test
    void parse_everyProblemReported_withLineColumnAndPath() {
        List<String> problems = problems("""
                zone: Mars/Olympus
                rules:
                  - role: Operater
                    tags: ["press-1", "*/*"]
                    allow: [write, delete]
                  - id: x
                    identity: "bad name!"
                    sections: [devices]
                    allow: [configure]
                    colour: red
                  - id: x
                    role: Operator
                    identity: otto
                    tags: ["*/*"]
                    allow: [write]
                    deny: [write]
                """);
        assertThat(problems).containsExactly(
                "policy.yaml:1:7: zone: 'Mars/Olympus' is not a time zone: use a region such as Europe/Berlin, or UTC",
                "policy.yaml:3:11: rules[0].role: unknown role 'Operater': use one of Observer, Operator, Engineer, "
                        + "SecurityAdmin, Auditor (did you mean 'Operator'?)",
                "policy.yaml:4:12: rules[0].tags[0]: 'press-1' is not a tag pattern: write <device>/<tag>, e.g. "
                        + "press-*/setpoint_* or */*",
                "policy.yaml:5:20: rules[0].allow[1]: unknown action 'delete': use one of browse, read, subscribe, "
                        + "write, configure, manage_certificates, manage_users, manage_policy, read_audit",
                "policy.yaml:7:15: rules[1].identity: 'bad name!' is not a user or application name: 1 to 64 "
                        + "letters, digits, '_', '.', '@', '-', starting with a letter or digit",
                "policy.yaml:10:5: rules[1].colour: unknown key 'colour'",
                "policy.yaml:11:9: rules[2].id: id 'x' is used twice (first at policy.yaml:6)",
                "policy.yaml:13:15: rules[2].identity: write either 'role' or 'identity', not both",
                "policy.yaml:16:11: rules[2].deny: write either 'allow' or 'deny', not both: split the rule in two");
    }

    @Test
    void parse_ruleStructureProblems_reported() {
        assertThat(problems("""
                rules:
                  - tags: ["*/*"]
                    allow: [read]
                  - role: Observer
                    allow: [read]
                  - role: Observer
                    tags: ["*/*"]
                  - role: Observer
                    tags: []
                    allow: []
                  - id: mixed
                    role: Engineer
                    tags: ["*/*"]
                    allow: [read, configure]
                  - id: sec
                    role: Engineer
                    tags: ["*/*"]
                    allow: [configure]
                  - id: tagsec
                    role: Observer
                    sections: [devices]
                    allow: [read]
                  - role: Engineer
                    allow: [configure]
                  - id: default.mine
                    role: Observer
                    tags: ["*/*"]
                    allow: [read, read]
                """)).containsExactly(
                "policy.yaml:2:5: rules[0]: a rule needs 'role' (a role) or 'identity' (a user or application name)",
                "policy.yaml:4:5: rules[1]: required key 'tags' is missing: the tag patterns the rule is about, "
                        + "e.g. [\"*/*\"]",
                "policy.yaml:6:5: rules[2]: a rule needs 'allow' (or 'deny') with a list of actions: browse, read, "
                        + "subscribe, write, configure, manage_certificates, manage_users, manage_policy, read_audit",
                "policy.yaml:9:11: rules[3].tags: at least one tag pattern is needed, e.g. [\"*/*\"]",
                "policy.yaml:10:12: rules[3].allow: at least one action is needed: browse, read, subscribe, write, "
                        + "configure, manage_certificates, manage_users, manage_policy, read_audit",
                "policy.yaml:14:12: rules[4].allow: a rule has either tag actions (browse, read, subscribe, write) or "
                        + "management actions (configure, manage_*, read_audit): split the rule in two",
                "policy.yaml:17:11: rules[5].tags: 'tags' applies to browse, read, subscribe and write; management "
                        + "actions take 'sections'",
                "policy.yaml:19:5: rules[6]: required key 'tags' is missing: the tag patterns the rule is about, "
                        + "e.g. [\"*/*\"]",
                "policy.yaml:21:15: rules[6].sections: 'sections' applies to management actions; tag actions take "
                        + "'tags'",
                "policy.yaml:23:5: rules[7]: a rule with 'identity', 'deny', 'when' or management actions needs an "
                        + "'id' (it names the rule in decisions and the audit trail)",
                "policy.yaml:25:9: rules[8].id: ids starting with 'default.' are reserved for the built-in rules",
                "policy.yaml:28:19: rules[8].allow[1]: 'read' is listed twice");
    }

    @Test
    void parse_conditionProblems_reported() {
        assertThat(problems("""
                rules:
                  - id: a
                    role: Operator
                    tags: ["*/*"]
                    allow: [write, read]
                    when: { min: 0 }
                  - id: b
                    role: Operator
                    tags: ["*/*"]
                    allow: [write]
                    when: { min: 10, max: 5, rate: lots, channel: [opcu], securityMode: [encrypt] }
                  - id: c
                    role: Operator
                    tags: ["*/*"]
                    deny: [write]
                    when: { max: 5, rate: 1/1s }
                  - id: d
                    role: Operator
                    tags: ["*/*"]
                    allow: [write]
                    when:
                      rate: 0/1s
                      rateScope: everyone
                      window: { days: [funday], from: "6:00", to: "25:00", zone: Nowhere/X }
                  - id: e
                    role: Operator
                    tags: ["*/*"]
                    allow: [write]
                    when:
                      rateScope: tag
                      window: { from: "08:00", to: "08:00" }
                      min: ten
                      endpoint: []
                      later: true
                """)).containsExactly(
                "policy.yaml:6:18: rules[0].when.min: 'min' limits the value of a write: the rule must allow only "
                        + "[write]",
                "policy.yaml:11:27: rules[1].when.max: max 5 is below min 10",
                "policy.yaml:11:36: rules[1].when.rate: 'lots' is not a rate: write <count>/<duration>, e.g. 10/1m "
                        + "or 1/5s",
                "policy.yaml:11:52: rules[1].when.channel[0]: 'opcu' is not one of opcua, sparkplug, console, rest "
                        + "(did you mean 'opcua'?)",
                "policy.yaml:11:74: rules[1].when.securityMode[0]: 'encrypt' is not one of none, sign, signandencrypt",
                "policy.yaml:16:18: rules[2].when.max: a deny rule cannot limit values: give the allow rule a "
                        + "min/max instead",
                "policy.yaml:16:27: rules[2].when.rate: a deny rule cannot have a rate: give the allow rule the rate "
                        + "instead",
                "policy.yaml:22:13: rules[3].when.rate: '0/1s': the count must be at least 1 and the period 1ms..7d",
                "policy.yaml:23:18: rules[3].when.rateScope: 'everyone' is not one of identity, tag, identity_tag",
                "policy.yaml:24:24: rules[3].when.window.days[0]: 'funday' is not a day: use mon, tue, wed, thu, fri, "
                        + "sat, sun",
                "policy.yaml:24:39: rules[3].when.window.from: '6:00' is not a time of day: write HH:MM (00:00 to "
                        + "23:59), quoted, e.g. \"06:30\"",
                "policy.yaml:24:51: rules[3].when.window.to: '25:00' is not a time of day: write HH:MM (00:00 to "
                        + "23:59, or 24:00), quoted, e.g. \"06:30\"",
                "policy.yaml:24:66: rules[3].when.window.zone: 'Nowhere/X' is not a time zone: use a region such as "
                        + "Europe/Berlin, or UTC",
                "policy.yaml:30:18: rules[4].when.rateScope: 'rateScope' needs a 'rate'",
                "policy.yaml:31:36: rules[4].when.window.to: the window is empty: 'from' and 'to' are equal (a whole "
                        + "day is 00:00 to 24:00)",
                "policy.yaml:32:12: rules[4].when.min: 'ten' is not a number",
                "policy.yaml:33:17: rules[4].when.endpoint: at least one endpoint is needed",
                "policy.yaml:34:7: rules[4].when.later: unknown key 'later'");
    }

    @Test
    void parse_unsafeYaml_refusedWithPosition() {
        assertThat(problems("""
                rules:
                  - &r
                    role: Observer
                    tags: ["*/*"]
                    allow: [read]
                  - *r
                """)).first().asString().startsWith("policy.yaml:2:5: rules[0]: YAML anchors and aliases (&r, *r) are "
                + "not supported");
        assertThat(problems("rules: !!python/object:os.system [ls]\n"))
                .containsExactly("policy.yaml:1:8: YAML syntax error: Global tag is not allowed: "
                        + "tag:yaml.org,2002:python/object:os.system");
        assertThat(problems("rules: []\nrules: []\n")).first().asString()
                .startsWith("policy.yaml:2:1: ").contains("duplicate key");
        assertThat(problems("rules: [\n")).first().asString().startsWith("policy.yaml:2:1: YAML syntax error");
        assertThat(problems("")).containsExactly("policy.yaml: document is empty");
        assertThat(problems("zone: UTC\n")).containsExactly("policy.yaml:1:1: rules: required key 'rules' is missing");
        assertThat(problems("rules: {role: Observer}\n")).containsExactly(
                "policy.yaml:1:8: rules: expected a list of rules ('- ' items), found a mapping");
        assertThat(problems("rules: []\ndefaults: yes\n")).containsExactly(
                "policy.yaml:2:11: defaults: 'yes' is not a boolean: use true or false");
        assertThat(problems("rules: [42]\n")).containsExactly(
                "policy.yaml:1:9: rules[0]: expected a mapping (key: value lines), found '42'");
        assertThat(problems("rules: []\n" + "#".repeat(YamlDoc.MAX_CHARS))).first().asString()
                .contains("more than the limit");
    }

    @Test
    void parse_yaml11Surprises_readAsWritten() {
        // Unquoted 06:00 would be the integer 360 in YAML 1.1; the raw text is read instead.
        Policy p = Policies.parse("""
                rules:
                  - id: a
                    role: Operator
                    tags: ["*/*"]
                    allow: [write]
                    when: { window: { from: 06:00, to: 07:30 } }
                """);
        assertThat(p.rules().get(0).when().windows().get(0).fromMinute()).isEqualTo(360);
    }

    @Test
    void fromAccessProperty_sameRulesAndHashAsTheCellYaml() {
        String cell = """
                cell: { id: c1 }
                access:
                  - role: Observer
                    tags: ["*/*"]
                    allow: [read, browse, subscribe]
                  - role: Operator
                    tags: ["vfd-1/speed_reference", "oven-1/*_setpoint"]
                    allow: [write]
                """;
        Policy fromYaml = PolicyParser.parseCellYaml(cell, "cell.yaml").policy();
        Policy fromProperty = PolicyParser.fromAccessProperty(new String[] {"Observer|read,browse,subscribe|*/*",
            "Operator|write|vfd-1/speed_reference,oven-1/*_setpoint"}, "cellgate.cell").policy();
        assertThat(fromProperty.hash()).isEqualTo(fromYaml.hash());
        assertThat(fromProperty.rules()).extracting(Rule::id).containsExactly("Observer|browse,read,subscribe|*/*",
                "Operator|write|vfd-1/speed_reference,oven-1/*_setpoint", "default.engineer",
                "default.security-admin", "default.security-config", "default.auditor");
    }

    @Test
    void fromAccessProperty_badEntries_allReported() {
        PolicyParser.Result r = PolicyParser.fromAccessProperty(List.of("Operator|write", "Boss|write|a/b",
                "Observer|read,fly|a", "Observer|configure|*/*"), "cellgate.cell");
        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).extracting(PolicyProblem::toString).containsExactly(
                "cellgate.cell: access.rules[0]: 'Operator|write' is not role|permission,...|pattern,...",
                "cellgate.cell: access.rules[1]: unknown role 'Boss': use one of Observer, Operator, Engineer, "
                        + "SecurityAdmin, Auditor",
                "cellgate.cell: access.rules[2]: unknown permission 'fly': use browse, read, subscribe, write",
                "cellgate.cell: access.rules[2]: 'a' is not a tag pattern: write <device>/<tag>, e.g. "
                        + "press-*/setpoint_* or */*",
                "cellgate.cell: access.rules[3]: unknown permission 'configure': use browse, read, subscribe, write");
        assertThat(PolicyParser.fromAccessProperty(null, "cellgate.cell").ok()).isFalse();
        assertThat(PolicyParser.fromAccessProperty(42, "cellgate.cell").problems().get(0).message())
                .contains("expected String[]");
    }

    @Test
    void fromAccessProperty_emptyList_allowsNoTagAccess() {
        Policy p = PolicyParser.fromAccessProperty(new String[0], "cellgate.cell").policy();
        PolicyEngine e = new PolicyEngine(p, new MutableClock(Instant.EPOCH));
        assertThat(e.decide(tag(user("o", "Observer"), Action.READ, "a/b")).allowed()).isFalse();
    }

    @Test
    void parseCellYaml_withoutAccess_isTheLegacyDefault() {
        Policy p = PolicyParser.parseCellYaml("cell: { id: c1 }\n", "cell.yaml").policy();
        PolicyEngine e = new PolicyEngine(p, new MutableClock(Instant.EPOCH));
        for (Action a : List.of(Action.BROWSE, Action.READ, Action.SUBSCRIBE)) {
            assertThat(e.decide(tag(user("o", "Observer"), a, "any-1/thing")).allowed()).isTrue();
        }
        assertThat(e.decide(write(user("o", "Observer", "Operator"), "any-1/thing", 1)).allowed()).isFalse();
        // The same as what the loader writes for such a cell.
        assertThat(p.hash()).isEqualTo(PolicyParser.fromAccessProperty(
                new String[] {"Observer|browse,read,subscribe|*/*"}, "cellgate.cell").policy().hash());
    }

    @Test
    void parseCellYaml_shippedCells_keepTheirMeaning() throws IOException {
        Path cells = Path.of(System.getProperty("cellgate.deviceConfigs", "../../device-configs"), "cells");
        List<Path> files;
        try (Stream<Path> s = Files.list(cells)) {
            files = s.map(d -> d.resolve("cell.yaml")).filter(Files::isRegularFile).sorted().toList();
        }
        assertThat(files).as("cells in " + cells).isNotEmpty();
        for (Path f : files) {
            String text = Files.readString(f);
            PolicyParser.Result r = PolicyParser.parseCellYaml(text, f.toString());
            assertThat(r.problems()).as(f.toString()).isEmpty();
            PolicyEngine e = new PolicyEngine(r.policy(), new MutableClock(Instant.EPOCH));
            assertThat(e.decide(tag(user("o", "Observer"), Action.READ, "vfd-1/motor_speed")).allowed())
                    .as(f + ": Observer reads").isTrue();
            assertThat(e.decide(write(user("o", "Observer"), "vfd-1/speed_reference", 1)).allowed())
                    .as(f + ": Observer never writes").isFalse();
            assertThat(e.decide(tag(user("p", "Operator"), Action.READ, "vfd-1/motor_speed")).allowed())
                    .as(f + ": Operator alone does not read").isFalse();
        }
        // The demo cell: Operator writes exactly the two listed patterns.
        Path demo = cells.resolve("demo/cell.yaml");
        PolicyEngine e = new PolicyEngine(PolicyParser.parseCellYaml(Files.readString(demo), "cell.yaml").policy(),
                new MutableClock(Instant.EPOCH));
        assertThat(e.decide(write(user("operator", "Operator"), "vfd-1/speed_reference", 10)).allowed()).isTrue();
        assertThat(e.decide(write(user("operator", "Operator"), "oven-1/zone1_setpoint", 10)).allowed()).isTrue();
        assertThat(e.decide(write(user("operator", "Operator"), "vfd-1/motor_speed", 10)).allowed()).isFalse();
    }

    @Test
    void parseCellYaml_problemsPointIntoTheCellFile() {
        PolicyParser.Result r = PolicyParser.parseCellYaml("""
                cell: { id: c1 }
                access:
                  - role: Operator
                    tags: ["*/*"]
                    allow: [wrte]
                """, "cell.yaml");
        assertThat(r.problems()).extracting(PolicyProblem::toString).containsExactly(
                "cell.yaml:5:13: access[0].allow[0]: unknown action 'wrte': use one of browse, read, subscribe, "
                        + "write, configure, manage_certificates, manage_users, manage_policy, read_audit "
                        + "(did you mean 'write'?)");
    }

    @Test
    void hash_ignoresLayoutAndComments_changesWithContent() {
        String a = "rules:\n  - role: Observer\n    tags: [\"*/*\"]\n    allow: [read]\n";
        String b = "# the same rule\nrules: [ {role: Observer, allow: [read], tags: ['*/*']} ]\n";
        String c = "rules:\n  - role: Observer\n    tags: [\"*/*\"]\n    allow: [read, browse]\n";
        assertThat(Policies.parse(a).hash()).isEqualTo(Policies.parse(b).hash()).hasSize(64);
        assertThat(Policies.parse(a).hash()).isNotEqualTo(Policies.parse(c).hash());
        assertThat(Policies.parse(a).hash()).isNotEqualTo(Policies.parse("defaults: false\n" + a).hash());
    }
}
