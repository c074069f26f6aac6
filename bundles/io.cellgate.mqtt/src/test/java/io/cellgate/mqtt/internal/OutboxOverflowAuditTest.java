package io.cellgate.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.outbox.OutboxStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxOverflowAuditTest {

    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    private final List<AuditEvent> recorded = new ArrayList<>();
    private final OutboxOverflowAudit audit = new OutboxOverflowAudit(recorded::add, "line-1");

    private static OutboxStats stats(long dropped, long rejected) {
        return new OutboxStats(10, 1000, 1000, 60_000, 1, 0, 99, 99, 0, dropped, 0, rejected, 0, 4096);
    }

    @Test
    void check_lossesBeforeThisStart_notRecordedAgain() {
        audit.check(stats(500, 7), T0);
        audit.check(stats(500, 7), T0.plusSeconds(1));

        assertThat(recorded).isEmpty();
    }

    @Test
    void check_dropsThenMore_firstAtOnceThenAtMostOncePerMinuteWithCounts() {
        audit.check(stats(0, 0), T0);
        audit.check(stats(3, 0), T0.plusSeconds(1));
        audit.check(stats(10, 2), T0.plusSeconds(30));
        audit.check(stats(12, 2), T0.plusSeconds(61));

        assertThat(recorded).hasSize(2);
        AuditEvent first = recorded.get(0);
        assertThat(first.action()).isEqualTo("outbox.overflow");
        assertThat(first.identity()).isEqualTo("system");
        assertThat(first.result()).isEqualTo(AuditEvent.Result.FAILED);
        assertThat(first.resource()).isEqualTo("outbox of edge node line-1");
        assertThat(first.reason()).startsWith("outbox full (1000 of 1000 bytes, 10 entries): 3 oldest entries dropped, "
                + "0 new records refused");
        assertThat(recorded.get(1).reason()).contains("9 oldest entries dropped, 2 new records refused since " + T0.plusSeconds(1));
    }

    @Test
    void check_sinkRefuses_countedAgainNextTime() {
        List<AuditEvent> tries = new ArrayList<>();
        boolean[] accept = {false};
        OutboxOverflowAudit a = new OutboxOverflowAudit(e -> tries.add(e) && accept[0], "n");
        a.check(stats(0, 0), T0);
        a.check(stats(0, 4), T0.plusSeconds(1));
        accept[0] = true;
        a.check(stats(0, 5), T0.plusSeconds(2));

        assertThat(tries).hasSize(2);
        assertThat(tries.get(1).reason()).contains("5 new records refused");
    }
}
