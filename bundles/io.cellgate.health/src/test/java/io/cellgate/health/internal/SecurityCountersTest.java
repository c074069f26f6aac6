package io.cellgate.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditEvent.Result;
import io.cellgate.api.audit.AuditSummary;
import io.cellgate.api.health.HealthMetric;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecurityCountersTest {

    static AuditEvent event(String identity, String source, String action, Result result) {
        return new AuditEvent(Instant.parse("2026-11-26T08:00:00Z"), identity, source, action, "r", result, null, null);
    }

    @Test
    void accept_auditEvents_countedByKind() {
        SecurityCounters c = new SecurityCounters(() -> new AuditSummary(5, 9, true, false, 9, "break at 7", false,
                AuditSummary.FORWARD_OFF, 0, 0));
        c.accept(event("otto", "10.0.0.1:5000", "login", Result.DENIED));
        c.accept(event("otto", "10.0.0.1:5000", "login", Result.FAILED));
        c.accept(event("otto", "10.0.0.1:5000", "login", Result.SUCCESS));
        c.accept(event("otto", "10.0.0.1:5000", "login.lockout", Result.DENIED));
        c.accept(event("otto", null, "opcua.write", Result.DENIED));
        c.accept(event("otto", null, "console.page", Result.DENIED));
        c.accept(event("otto", null, "write", Result.SUCCESS));
        c.accept(event("mes", null, "write.sparkplug", Result.SUCCESS));
        c.accept(event("system", null, "config.apply", Result.SUCCESS));

        List<HealthMetric> m = c.collect();

        assertThat(Metrics.value(m, "Health/Security/Failed Logins")).isEqualTo(2L);
        assertThat(Metrics.value(m, "Health/Security/Lockouts")).isEqualTo(1L);
        assertThat(Metrics.value(m, "Health/Security/Denied Accesses")).isEqualTo(2L);
        assertThat(Metrics.value(m, "Health/Security/Writes")).isEqualTo(2L);
        assertThat(Metrics.value(m, "Health/Security/Audit Records Seen")).isEqualTo(9L);
        assertThat(Metrics.value(m, "Health/Security/Audit Chain OK")).isEqualTo(false);
        assertThat(Metrics.value(m, "Health/Security/Audit Writable")).isEqualTo(true);
    }

    @Test
    void collect_noTrail_auditStateUnknown() {
        List<HealthMetric> m = new SecurityCounters(() -> null).collect();

        assertThat(Metrics.value(m, "Health/Security/Audit Chain OK")).isNull();
        assertThat(Metrics.value(m, "Health/Security/Failed Logins")).isEqualTo(0L);
    }
}
