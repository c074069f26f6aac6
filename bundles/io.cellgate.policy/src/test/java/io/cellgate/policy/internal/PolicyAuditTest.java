package io.cellgate.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditSink;
import java.lang.reflect.Field;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A policy applied or refused is an audit record (policy.apply). */
class PolicyAuditTest {

    private final List<AuditEvent> recorded = new ArrayList<>();

    private PolicyComponent component() throws ReflectiveOperationException {
        PolicyComponent c = new PolicyComponent(Clock.systemUTC());
        Field f = PolicyComponent.class.getDeclaredField("audit"); // as SCR injects it
        f.setAccessible(true);
        f.set(c, (AuditSink) recorded::add);
        return c;
    }

    @Test
    void apply_validThenInvalid_successWithVersionAndHashThenDenied() throws Exception {
        PolicyComponent c = component();

        c.apply(PolicyParser.parse("""
                - role: Observer
                  tags: ["*/*"]
                  allow: [browse, read, subscribe]
                """, "policy.yaml"), "file:policy.yaml");
        c.apply(PolicyParser.parse("- role: [not, a, role]\n", "policy.yaml"), "file:policy.yaml");

        assertThat(recorded).extracting(AuditEvent::action).containsExactly("policy.apply", "policy.apply");
        AuditEvent ok = recorded.get(0);
        assertThat(ok.result()).isEqualTo(AuditEvent.Result.SUCCESS);
        assertThat(ok.identity()).isEqualTo("system");
        assertThat(ok.resource()).isEqualTo("file:policy.yaml");
        assertThat(ok.reason()).isEqualTo("version 1, sha256 " + c.current().hash());
        AuditEvent refused = recorded.get(1);
        assertThat(refused.result()).isEqualTo(AuditEvent.Result.DENIED);
        assertThat(refused.reason()).contains("problem(s), first: ").contains("policy.yaml");
    }
}
