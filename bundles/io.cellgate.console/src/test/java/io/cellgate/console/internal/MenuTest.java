package io.cellgate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.policy.AccessPolicy;
import io.cellgate.api.policy.Action;
import io.cellgate.api.policy.Decision;
import io.cellgate.identity.Identity;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The menu shows what the policy lets the user open; a policy that grants by role and action stands in for the engine. */
class MenuTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T04:00:00Z"), ZoneOffset.UTC);
    private static final Map<String, Set<Action>> GRANTS = Map.of(
            "Observer", Set.of(Action.READ),
            "Auditor", Set.of(Action.READ, Action.READ_AUDIT),
            "Engineer", Set.of(Action.READ, Action.CONFIGURE),
            "UserKeeper", Set.of(Action.MANAGE_USERS),
            "SecurityAdmin", Set.of(Action.MANAGE_CERTIFICATES, Action.MANAGE_USERS, Action.MANAGE_POLICY));
    private static final AccessPolicy POLICY = r -> r.subject().roles().stream()
            .anyMatch(role -> GRANTS.getOrDefault(role, Set.of()).contains(r.action()))
                    ? new Decision(true, "test", "granted", 1) : Decision.deny("no rule matched", 1);
    private final Guard guard = new Guard(() -> POLICY, e -> true, CLOCK);

    private List<String> menu(String role) {
        return Menu.visible(guard, new Identity("u", Set.of(role), Identity.Kind.USER), "127.0.0.1:5000").stream()
                .map(e -> e.getKey() + " " + e.getValue()).toList();
    }

    @Test
    void visible_observer_readOnlyPagesOnly() {
        assertThat(menu("Observer")).containsExactly("/ Dashboard", "/health Health", "/devices Devices",
                "/components Components");
    }

    @Test
    void visible_auditor_auditAndSnapshotsButNoSecurity() {
        assertThat(menu("Auditor")).containsExactly("/ Dashboard", "/health Health", "/devices Devices",
                "/components Components", "/audit Audit", "/snapshots Snapshots");
    }

    @Test
    void visible_engineer_snapshotsButNeitherSecurityNorAudit() {
        assertThat(menu("Engineer")).contains("/snapshots Snapshots").doesNotContain("/audit Audit")
                .noneMatch(e -> e.endsWith(" Security"));
    }

    @Test
    void visible_onlyManageUsers_securityLinksToTheUsersTab() {
        assertThat(menu("UserKeeper")).contains("/security/users Security").doesNotContain("/snapshots Snapshots");
        assertThat(menu("SecurityAdmin")).contains("/security Security", "/snapshots Snapshots");
    }

    @Test
    void visible_noPolicyRunning_failsClosedToTheOpenPages() {
        Guard none = new Guard(() -> null, e -> true, CLOCK);
        assertThat(Menu.visible(none, new Identity("a", Set.of("SecurityAdmin"), Identity.Kind.USER), "x"))
                .extracting(Map.Entry::getKey).containsExactly("/", "/health", "/devices", "/components");
    }

    @Test
    void page_duringARequest_rendersThatMenuOnly_andForgetsItAfterwards() throws Exception {
        Session s = new Session("id", "tok", new Identity("otto", Set.of("Observer"), Identity.Kind.USER), false, "x",
                CLOCK.instant(), CLOCK.instant());
        String[] html = new String[1];
        Menu.during(List.of(Map.entry("/", "Dashboard")), r -> html[0] = Html.page("T", s, ""), null);
        assertThat(html[0]).contains("href=\"/\"").doesNotContain("href=\"/audit\"", "href=\"/security\"");
        assertThat(Html.page("T", s, "")).contains("href=\"/audit\"");
    }
}
