package io.cellgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code access:} section of cell.yaml: parsing, defaults and every error with its position. */
class AccessRulesTest {

    @TempDir
    Path dir;

    private static final String CELL = """
            cell: { id: line-1 }
            devices:
              - { id: meter-1, profile: meter, endpoint: { protocol: modbus-tcp, host: 10.0.0.1 } }
            """;

    private LoadResult load(String access) throws IOException {
        return load(access, null);
    }

    private LoadResult load(String access, AccessValidator validator) throws IOException {
        Files.createDirectories(dir.resolve("profiles"));
        Files.writeString(dir.resolve("profiles/meter.yaml"), """
                profile: { id: meter }
                tags:
                  - { name: v, area: holding_register, address: 0, type: int16 }
                """);
        Files.writeString(dir.resolve("cell.yaml"), CELL + access);
        return validator == null ? CellConfigLoader.load(dir) : CellConfigLoader.load(dir, validator);
    }

    private static ConfigError single(LoadResult r) {
        assertThat(r.isValid()).isFalse();
        assertThat(r.errors()).as(r.errorReport()).hasSize(1);
        return r.errors().get(0);
    }

    @Test
    void load_noAccessSection_observerReadsEverythingNobodyWrites() throws IOException {
        LoadResult r = load("");

        assertThat(r.isValid()).as(r.errorReport()).isTrue();
        assertThat(r.accessRules()).containsExactly(
                new AccessRule("Observer", List.of("*/*"), List.of("browse", "read", "subscribe")));
        assertThat(r.accessRules()).noneMatch(rule -> rule.allow().contains("write"));
    }

    @Test
    void load_accessSection_rulesInFileOrder() throws IOException {
        LoadResult r = load("""
                access:
                  - role: Observer
                    tags: ["*/*"]
                    allow: [browse, read, subscribe]
                  - role: Operator
                    tags: ["press-*/setpoint_*", "oven-1/sp"]
                    allow: [Write]
                """);

        assertThat(r.isValid()).as(r.errorReport()).isTrue();
        assertThat(r.accessRules()).containsExactly(
                new AccessRule("Observer", List.of("*/*"), List.of("browse", "read", "subscribe")),
                new AccessRule("Operator", List.of("press-*/setpoint_*", "oven-1/sp"), List.of("write")));
        assertThat(r.accessRules().get(1).toProperty()).isEqualTo("Operator|write|press-*/setpoint_*,oven-1/sp");
    }

    @Test
    void load_emptyAccessList_noRulesAtAll() throws IOException {
        LoadResult r = load("access: []\n");

        assertThat(r.isValid()).as(r.errorReport()).isTrue();
        assertThat(r.accessRules()).isEmpty();
    }

    @Test
    void load_unknownRole_errorWithLineAndSuggestion() throws IOException {
        ConfigError e = single(load("""
                access:
                  - role: Operater
                    tags: ["*/*"]
                    allow: [write]
                """));

        assertThat(e.toString()).isEqualTo("cell.yaml:5:11: access[0].role: unknown role 'Operater': use one of "
                + "Observer, Operator, Engineer, SecurityAdmin, Auditor (did you mean 'Operator'?)");
    }

    @Test
    void load_unknownPermission_errorAtTheItem() throws IOException {
        ConfigError e = single(load("""
                access:
                  - role: Operator
                    tags: ["*/*"]
                    allow: [read, delete]
                """));

        assertThat(e.line()).isEqualTo(7);
        assertThat(e.path()).isEqualTo("access[0].allow[1]");
        assertThat(e.message()).isEqualTo("unknown permission 'delete': use one of browse, read, subscribe, write");
    }

    @Test
    void load_patternWithoutSlash_error() throws IOException {
        ConfigError e = single(load("""
                access:
                  - { role: Observer, tags: ["press-1"], allow: [read] }
                """));

        assertThat(e.toString()).startsWith("cell.yaml:5:30: access[0].tags[0]: 'press-1' is not a tag pattern: "
                + "write <device>/<tag>");
    }

    @Test
    void load_patternWithBadCharacters_error() throws IOException {
        ConfigError e = single(load("""
                access:
                  - { role: Observer, tags: ["press 1/[ab]"], allow: [read] }
                """));

        assertThat(e.path()).isEqualTo("access[0].tags[0]");
        assertThat(e.message()).contains("'press 1' may only hold letters, digits");
    }

    @Test
    void load_ruleMissingKeysAndUnknownKey_everyErrorReported() throws IOException {
        LoadResult r = load("""
                access:
                  - role: Observer
                    tag: ["*/*"]
                  - role: Auditor
                    tags: []
                    allow: [read, read]
                """);

        assertThat(r.errors()).extracting(ConfigError::toString).containsExactly(
                "cell.yaml:5:5: access[0].allow: required key 'allow' is missing",
                "cell.yaml:5:5: access[0].tags: required key 'tags' is missing",
                "cell.yaml:6:5: access[0].tag: unknown key 'tag' (did you mean 'tags'?)",
                "cell.yaml:8:11: access[1].tags: at least one tag pattern is needed, e.g. [\"*/*\"]",
                "cell.yaml:9:19: access[1].allow[1]: 'read' is listed twice");
    }

    @Test
    void load_accessScalar_error() throws IOException {
        ConfigError e = single(load("access: everyone\n"));

        assertThat(e.toString()).isEqualTo("cell.yaml:4:9: access: expected a list of rules ('- ' items) or a policy "
                + "mapping (rules:, zone:, defaults:), found 'everyone'");
    }

    @Test
    void load_policyMappingWithoutRules_missingRulesAndUnknownKeyReported() throws IOException {
        LoadResult r = load("access: { role: Observer }\n");

        assertThat(r.errors()).extracting(ConfigError::toString).containsExactly(
                "cell.yaml:4:9: access.rules: required key 'rules' is missing",
                "cell.yaml:4:11: access.role: unknown key 'role'");
    }

    @Test
    void load_policyRulesWithoutTheEnginesCheck_keysCheckedSectionHandedOnWithItsPositions() throws IOException {
        String access = """
                access:
                  - id: no-safety
                    role: Operator
                    tags: ["*/safety_*"]
                    deny: [write]
                  - id: speed
                    role: Operator
                    tags: ["*/speed"]
                    allow: [write]
                    when: { max: 1500 }
                """;
        LoadResult ok = load(access);
        assertThat(ok.isValid()).as(ok.errorReport()).isTrue();
        // No property form for these rules: a reader of access.rules alone sees none and denies everything.
        assertThat(ok.accessRules()).isEmpty();
        String section = ok.accessSection().orElseThrow();
        String[] lines = section.split("\n", -1);
        assertThat(lines[0]).as("cell: lines are left empty").isEmpty();
        assertThat(lines[3]).isEqualTo("access:");
        assertThat(lines[12]).isEqualTo("    when: { max: 1500 }");
        assertThat(section).doesNotContain("devices");

        LoadResult typo = load(access.replace("when:", "wehn:"));
        assertThat(typo.errors()).extracting(ConfigError::toString)
                .containsExactly("cell.yaml:13:5: access[1].wehn: unknown key 'wehn'");
    }

    @Test
    void load_accessSection_checkedByTheValidatorWithTheFilesPositions() throws IOException {
        java.util.List<String> seen = new java.util.ArrayList<>();
        AccessValidator validator = (yaml, file) -> {
            seen.add(yaml);
            return java.util.List.of(new ConfigError(file, 11, 27, "access[1].when.max", "max 5 is below min 10"));
        };
        LoadResult r = load("""
                access:
                  - { role: Observer, tags: ["*/*"], allow: [read] }
                """, validator);

        assertThat(r.isValid()).isFalse();
        assertThat(r.errors()).extracting(ConfigError::toString)
                .containsExactly("cell.yaml:11:27: access[1].when.max: max 5 is below min 10");
        // Today's form is handed to the engine's check too: it applies the section, so it must accept it.
        assertThat(seen).singleElement().satisfies(text -> assertThat(text).contains("access:")
                .contains("{ role: Observer, tags: [\"*/*\"], allow: [read] }").doesNotContain("cell:"));
    }

    @Test
    void checkPattern_validPatterns_null() {
        assertThat(AccessRule.checkPattern("*/*")).isNull();
        assertThat(AccessRule.checkPattern("press-?/setpoint_*")).isNull();
        assertThat(AccessRule.checkPattern("oven-1/sp")).isNull();
        assertThat(AccessRule.checkPattern("a/b/c")).isNotNull();
        assertThat(AccessRule.checkPattern("/b")).isNotNull();
    }
}
