package io.cellgate.policy.internal;

import static io.cellgate.policy.internal.Policies.section;
import static io.cellgate.policy.internal.Policies.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.policy.Action;
import io.cellgate.api.policy.Decision;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * previewWithAccessSection: the decision a candidate cell.yaml's access: section would give, before it is applied, so
 * that an editor can refuse a section that locks the editing SecurityAdmin out. Nothing is applied.
 */
class CandidateAccessSectionTest {

    private static final String LOCKOUT = """
            cell: { id: line-1 }
            access:
              - id: no-policy-for-admins
                role: SecurityAdmin
                deny: [manage_policy]
            """;
    private static final String HARMLESS = """
            cell: { id: line-1 }
            access:
              - { role: Observer, tags: ["*/*"], allow: [browse, read, subscribe] }
            """;

    private final PolicyHolder holder = new PolicyHolder(Clock.systemUTC());

    @Test
    void previewWithAccessSection_denyRuleOnManagePolicy_deniedNamingTheRule_runningPolicyUnchanged() {
        Decision d = holder.previewWithAccessSection(LOCKOUT, "cell.yaml",
                section(user("sam", "SecurityAdmin"), Action.MANAGE_POLICY, "access"));
        assertThat(d.allowed()).isFalse();
        assertThat(d.ruleId()).isEqualTo("no-policy-for-admins");
        assertThat(holder.current().version()).as("nothing applied").isZero();
        assertThat(holder.preview(section(user("sam", "SecurityAdmin"), Action.MANAGE_POLICY, "access")).allowed())
                .as("still the deny-all start policy in force").isFalse();
    }

    @Test
    void previewWithAccessSection_sectionKeepsTheBuiltInManagementRules_allowed() {
        Decision d = holder.previewWithAccessSection(HARMLESS, "cell.yaml",
                section(user("sam", "SecurityAdmin"), Action.MANAGE_POLICY, "access"));
        assertThat(d.allowed()).as(d.reason()).isTrue();
        assertThat(d.ruleId()).isEqualTo("default.security-admin");
    }

    @Test
    void previewWithAccessSection_invalidSection_deniedNamingTheProblem() {
        Decision d = holder.previewWithAccessSection("access:\n  - { role: SecurityAdmin, deny: [fly] }\n", "cell.yaml",
                section(user("sam", "SecurityAdmin"), Action.MANAGE_POLICY, "access"));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).contains("problem(s)", "cell.yaml:2", "fly");
    }

    @Test
    void previewWithAccessSection_policyFromAFile_candidateSectionIsNotThePolicy_currentDecides() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("policy", ".yaml");
        try {
            java.nio.file.Files.writeString(file, "rules:\n  - { id: admins, role: SecurityAdmin, sections: [\"*\"], allow: [manage_policy] }\n");
            PolicyComponent c = new PolicyComponent(Clock.systemUTC());
            assertThat(c.validate(java.nio.file.Files.readString(file), "policy.yaml")).isEmpty();
            c.modified(config(file.toString()), Map.of());
            assertThat(c.current().version()).isEqualTo(1);
            Decision d = c.previewWithAccessSection(LOCKOUT, "cell.yaml",
                    section(user("sam", "SecurityAdmin"), Action.MANAGE_POLICY, "access"));
            assertThat(d.allowed()).as(d.reason()).isTrue();
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    private static PolicyConfig config(String file) {
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
