package io.cellgate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.policy.AccessPolicy;
import io.cellgate.api.policy.AccessRequest;
import io.cellgate.api.policy.Action;
import io.cellgate.api.policy.Decision;
import io.cellgate.api.policy.PolicyAdmin;
import io.cellgate.api.policy.PolicyProblem;
import io.cellgate.api.policy.PolicyVersion;
import io.cellgate.console.internal.SecurityActions.Caller;
import io.cellgate.console.internal.SecurityActions.Outcome;
import io.cellgate.identity.Identity;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The access-section editor refuses a section that takes the editor's own manage_policy away (self-lockout), asking the
 * policy engine with the candidate section; a stand-in engine denies manage_policy when the section has such a deny.
 */
class AccessLockoutTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T04:30:00Z"), ZoneOffset.UTC);
    private static final Identity SAM = new Identity("sam", Set.of("SecurityAdmin"), Identity.Kind.USER);
    private static final String LOCKOUT = "access:\n  - { id: nope, role: SecurityAdmin, deny: [manage_policy] }\n";
    private static final String FINE = "access:\n  - { role: Observer, tags: [\"*/*\"], allow: [read] }\n";

    private final List<AuditEvent> audit = new ArrayList<>();
    private final List<AccessRequest> asked = new ArrayList<>();
    private final AccessPolicy running = r -> r.subject().roles().contains("SecurityAdmin")
            ? new Decision(true, "default.security-admin", "SecurityAdmin manages", 1) : Decision.deny("no rule", 1);
    private final Engine engine = new Engine();
    private final DevicesTest.Editor editor = new DevicesTest.Editor();
    private final SecurityActions actions = new SecurityActions(() -> null, () -> null, () -> running, () -> engine,
            () -> editor, new Guard(() -> running, e -> audit.add(e), CLOCK), CLOCK);

    private Outcome change(String section) {
        return actions.changeAccess(new Caller(SAM, "console", "127.0.0.1:5000"), section, null);
    }

    @Test
    void changeAccess_sectionDeniesOwnManagePolicy_refusedNamingWhyNothingAppliedAndAudited() {
        String before = editor.text;
        Outcome o = change(LOCKOUT);
        assertThat(o.status()).isEqualTo(409);
        assertThat(o.field()).isEqualTo("access");
        assertThat(o.text()).contains("you (sam) could no longer manage the access policy", "deny rule nope",
                "Nothing was changed");
        assertThat(editor.changes).isZero();
        assertThat(editor.text).isEqualTo(before);
        assertThat(asked).singleElement().satisfies(r -> {
            assertThat(r.subject().name()).isEqualTo("sam");
            assertThat(r.action()).isEqualTo(Action.MANAGE_POLICY);
            assertThat(r.resource().name()).isEqualTo("access");
        });
        assertThat(audit).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("console.policy.change");
            assertThat(e.result()).isEqualTo(AuditEvent.Result.DENIED);
            assertThat(e.reason()).contains("lock the editor out");
        });
    }

    @Test
    void changeAccess_sectionKeepsManagePolicy_applied() {
        Outcome o = change(FINE);
        assertThat(o.ok()).as(o.text()).isTrue();
        assertThat(editor.changes).isEqualTo(1);
        assertThat(editor.text).contains("role: Observer");
    }

    @Test
    void changeAccess_invalidSection_leftToTheEditorsValidation_notReportedAsLockout() {
        change("access:\n  - { role: SecurityAdmin, deny: [INVALID] }\n");
        assertThat(asked).as("no lockout decision for a section with problems").isEmpty();
        assertThat(editor.changes).as("the stand-in editor applies; the real one refuses it with the problems")
                .isEqualTo(1);
    }

    @Test
    void changeAccess_noPolicyEngine_refusedFailClosed() {
        SecurityActions without = new SecurityActions(() -> null, () -> null, () -> running, () -> null,
                () -> editor, new Guard(() -> running, e -> audit.add(e), CLOCK), CLOCK);
        Outcome o = without.changeAccess(new Caller(SAM, "console", "127.0.0.1:5000"), FINE, null);
        assertThat(o.status()).isEqualTo(503);
        assertThat(o.text()).contains("policy engine");
        assertThat(editor.changes).isZero();
    }

    /** Decides manage_policy with the candidate: denied when the candidate's access section denies it. */
    private final class Engine implements PolicyAdmin {
        @Override
        public Decision previewWithAccessSection(String cellYaml, String file, AccessRequest request) {
            asked.add(request);
            String section = AccessSection.extract(cellYaml);
            return section.contains("deny: [manage_policy]")
                    ? new Decision(false, "nope", "deny rule nope (SecurityAdmin, cell.yaml:2) matches", 0)
                    : new Decision(true, "default.security-admin", "allowed", 0);
        }

        @Override
        public List<PolicyProblem> validateAccessSection(String cellYaml, String file) {
            return cellYaml.contains("INVALID") ? List.of(new PolicyProblem(file, 2, 40, "access[0].deny[0]", "unknown"))
                    : List.of();
        }

        @Override
        public PolicyVersion current() {
            return new PolicyVersion(1, "h", Instant.EPOCH, "config");
        }

        @Override
        public List<PolicyVersion> history() {
            return List.of();
        }

        @Override
        public List<PolicyProblem> validate(String yaml, String file) {
            return List.of();
        }

        @Override
        public void restoreHistory(List<PolicyVersion> persisted) {
        }
    }
}
