package io.cellgate.policy.internal;

import static io.cellgate.policy.internal.Policies.user;
import static io.cellgate.policy.internal.Policies.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.policy.Action;
import io.cellgate.api.policy.Decision;
import io.cellgate.api.policy.PolicyVersion;
import io.cellgate.config.AccessValidator;
import io.cellgate.config.CellConfigLoader;
import io.cellgate.config.ConfigError;
import io.cellgate.config.LoadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cell.yaml's {@code access:} section with the engine's full power: the configuration loader checks it with this
 * engine before anything is applied (errors at cell.yaml's positions), hands the section on as {@code access.yaml},
 * and the component applies it; versions persist in the state directory.
 */
class CellAccessSectionTest {

    private static final String CELL = """
            cell: { id: line-1 }
            devices:
              - { id: vfd-1, profile: meter, endpoint: { protocol: modbus-tcp, host: 10.0.0.1 } }
            """;

    @TempDir
    Path dir;

    /** What the running loader uses: this engine's check, its problems as configuration errors. */
    private static final AccessValidator ENGINE = (yaml, file) -> new PolicyHolder(java.time.Clock.systemUTC())
            .validateAccessSection(yaml, file).stream()
            .map(p -> new ConfigError(p.file(), p.line(), p.column(), p.path(), p.message())).toList();

    private LoadResult load(String access) throws IOException {
        Files.createDirectories(dir.resolve("profiles"));
        Files.writeString(dir.resolve("profiles/meter.yaml"), """
                profile: { id: meter }
                tags:
                  - { name: speed, area: holding_register, address: 0, type: int16, access: read_write }
                """);
        Files.writeString(dir.resolve("cell.yaml"), CELL + access);
        return CellConfigLoader.load(dir, ENGINE);
    }

    private static PolicyComponent component(LoadResult r, Map<String, Object> extra) {
        Map<String, Object> p = new HashMap<>(extra);
        p.put("access.rules", r.accessRules().stream().map(io.cellgate.config.AccessRule::toProperty)
                .toArray(String[]::new));
        r.accessSection().ifPresent(yaml -> {
            p.put("access.yaml", yaml);
            p.put("access.file", "cell.yaml");
        });
        return new PolicyComponent(cfg(), p);
    }

    @Test
    void load_invalidCondition_errorAtTheFilesPositionWithAccessPath() throws IOException {
        LoadResult r = load("""
                access:
                  - { role: Observer, tags: ["*/*"], allow: [read] }
                  - id: speed
                    role: Operator
                    tags: [vfd-1/speed]
                    allow: [write]
                    when: { min: 10, max: 5 }
                """);

        assertThat(r.isValid()).isFalse();
        assertThat(r.errors()).extracting(ConfigError::toString)
                .containsExactly("cell.yaml:10:27: access[1].when.max: max 5 is below min 10");
    }

    @Test
    void load_unknownRoleAndAction_everyProblemReportedNothingValid() throws IOException {
        LoadResult r = load("""
                access:
                  - id: a
                    role: Operater
                    tags: [vfd-1/speed]
                    deny: [delete]
                """);

        assertThat(r.isValid()).isFalse();
        assertThat(r.errors()).extracting(ConfigError::toString).anySatisfy(e -> assertThat(e)
                .startsWith("cell.yaml:6:11: access[0].role: unknown role 'Operater'").contains("did you mean 'Operator'"));
        assertThat(r.errors()).extracting(ConfigError::toString)
                .anySatisfy(e -> assertThat(e).startsWith("cell.yaml:8:12: access[0].deny[0]: unknown action 'delete'"));
    }

    @Test
    void apply_denyRuleAndConditionFromCellYaml_decidedByTheEngine() throws IOException {
        LoadResult r = load("""
                access:
                  - { role: Observer, tags: ["*/*"], allow: [browse, read, subscribe] }
                  - id: speed-limit
                    role: Operator
                    tags: ["vfd-1/*"]
                    allow: [write]
                    when: { max: 1500, channel: [opcua] }
                  - id: no-speed-over-sparkplug
                    role: Operator
                    tags: [vfd-1/speed]
                    deny: [write]
                    when: { channel: [sparkplug] }
                """);
        assertThat(r.isValid()).as(r.errorReport()).isTrue();

        PolicyComponent c = component(r, Map.of());

        assertThat(c.current().version()).isEqualTo(1);
        Decision ok = c.decide(write(user("olga", "Operator"), "vfd-1/speed", 1200));
        assertThat(ok.allowed()).as(ok.reason()).isTrue();
        assertThat(ok.ruleId()).isEqualTo("speed-limit");
        assertThat(ok.reason()).as("the rule names its line in cell.yaml").contains("cell.yaml:6");
        Decision tooFast = c.decide(write(user("olga", "Operator"), "vfd-1/speed", 2000));
        assertThat(tooFast.allowed()).isFalse();
        assertThat(tooFast.reason()).contains("rule speed-limit: value 2000 is above max 1500");
        Decision sparkplug = c.decide(new io.cellgate.api.policy.AccessRequest(user("olga", "Operator"),
                Action.WRITE, io.cellgate.api.policy.Resource.tag("vfd-1/speed"),
                io.cellgate.api.policy.Context.of("sparkplug").withValue(5)));
        assertThat(sparkplug.allowed()).isFalse();
        assertThat(sparkplug.ruleId()).isEqualTo("no-speed-over-sparkplug");
    }

    @Test
    void apply_mappingFormInCellYaml_zoneDefaultsAndRules() throws IOException {
        LoadResult r = load("""
                access:
                  zone: Europe/Berlin
                  defaults: false
                  rules:
                    - { role: Observer, tags: ["*/*"], allow: [read] }
                """);
        assertThat(r.isValid()).as(r.errorReport()).isTrue();

        PolicyComponent c = component(r, Map.of());

        assertThat(c.decide(Policies.tag(user("o", "Observer"), Action.READ, "vfd-1/speed")).allowed()).isTrue();
        // defaults: false drops the built-in management rules.
        assertThat(c.decide(Policies.section(user("s", "SecurityAdmin"), Action.MANAGE_USERS, "users")).allowed())
                .isFalse();
    }

    @Test
    void shippedCells_validWithTheEngineAndTheSameRulesAsTheirPropertyForm() throws IOException {
        Path configs = Path.of(System.getProperty("cellgate.deviceConfigs"));
        List<Path> cells;
        try (Stream<Path> files = Files.walk(configs)) {
            cells = files.filter(f -> f.getFileName().toString().equals("cell.yaml")).toList();
        }
        assertThat(cells).isNotEmpty();
        for (Path cell : cells) {
            LoadResult r = CellConfigLoader.load(cell.getParent(), ENGINE);
            assertThat(r.isValid()).as(cell + ": " + r.errorReport()).isTrue();
            Policy fromProperty = PolicyParser.fromAccessProperty(r.accessRules().stream()
                    .map(io.cellgate.config.AccessRule::toProperty).toArray(String[]::new), "cellgate.cell").policy();
            Policy fromSection = r.accessSection()
                    .map(yaml -> PolicyParser.parseCellYaml(yaml, "cell.yaml").policy()).orElse(fromProperty);
            // The same rules in the same order (ids of today's form are unchanged): the same meaning.
            assertThat(fromSection.rules()).extracting(Rule::id).as(cell.toString())
                    .containsExactlyElementsOf(fromProperty.rules().stream().map(Rule::id).toList());
            assertThat(fromSection.hash()).as(cell.toString()).isEqualTo(fromProperty.hash());
        }
    }

    @Test
    void history_savedInTheStateDirectory_versionsContinueAfterARestart() throws IOException {
        Path state = dir.resolve("state");
        Map<String, Object> runtime = Map.of("state.dir", state.toString());
        LoadResult first = load("access:\n  - { role: Observer, tags: [\"*/*\"], allow: [read] }\n");
        PolicyComponent c = component(first, runtime);
        assertThat(c.current().version()).isEqualTo(1);
        LoadResult second = load("access:\n  - { role: Observer, tags: [\"vfd-1/*\"], allow: [read] }\n");
        PolicyComponent again = component(second, runtime);
        assertThat(again.current().version()).as("a restart with another policy: the next version").isEqualTo(2);
        assertThat(Files.readAllLines(state.resolve("policy/history.tsv"))).hasSize(2);

        PolicyComponent restarted = component(second, runtime);
        assertThat(restarted.current().version()).as("a restart with the same policy keeps its version").isEqualTo(2);
        assertThat(restarted.history()).extracting(PolicyVersion::version).containsExactly(1L, 2L);
        assertThat(restarted.current().time()).isBefore(Instant.now().plusSeconds(1));
    }

    @Test
    void historyFile_damagedLine_skippedTheRestRestored() throws IOException {
        HistoryFile file = new HistoryFile(dir);
        PolicyVersion v = new PolicyVersion(7, "a".repeat(64), Instant.parse("2026-01-01T00:00:00Z"), "file:/x\ty");
        file.write(List.of(v));
        Files.writeString(file.path(), "garbage\n", java.nio.file.StandardOpenOption.APPEND);

        assertThat(file.read()).containsExactly(new PolicyVersion(7, "a".repeat(64), v.time(), "file:/x y"));
    }

    private static PolicyConfig cfg() {
        return new PolicyConfig() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return PolicyConfig.class;
            }

            @Override
            public String policy_file() {
                return "";
            }
        };
    }
}
