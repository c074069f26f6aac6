package io.cellgate.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditFilter;
import io.cellgate.api.audit.AuditPage;
import io.cellgate.api.audit.AuditQuery;
import io.cellgate.api.audit.AuditRecord;
import io.cellgate.api.audit.AuditStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditTailTest {

    /** A trail in memory, paged like the real query. */
    static final class MemoryTrail implements AuditQuery {
        final List<AuditRecord> records = new ArrayList<>();
        boolean broken;
        int queries;

        void add(AuditEvent e) {
            records.add(new AuditRecord(records.size() + 1, e, "0".repeat(64), "h" + records.size()));
        }

        @Override
        public AuditPage query(AuditFilter filter) throws IOException {
            queries++;
            if (broken) {
                throw new IOException("disk gone");
            }
            List<AuditRecord> hits = records.stream().filter(r -> r.seq() > filter.afterSeq()).toList();
            List<AuditRecord> page = hits.subList(0, Math.min(filter.limit(), hits.size()));
            return new AuditPage(page, hits.size() > filter.limit() ? page.get(page.size() - 1).seq() : -1);
        }

        @Override
        public long export(AuditFilter filter, OutputStream out) {
            throw new UnsupportedOperationException();
        }

        @Override
        public AuditStatus status() {
            return new AuditStatus(true, false, null, records.size(), "", 0, 0);
        }
    }

    private final MemoryTrail trail = new MemoryTrail();
    private final List<AuditEvent> seen = new ArrayList<>();
    private final AuditTail tail = new AuditTail(seen::add);

    private static AuditEvent login(String who) {
        return SecurityCountersTest.event(who, "10.0.0.1:1", "login", AuditEvent.Result.DENIED);
    }

    @Test
    void poll_recordsBeforeStart_notReplayed_newOnesHandedOnOnce() {
        trail.add(login("old"));
        assertThat(tail.poll(trail, 10)).isZero();

        trail.add(login("a"));
        trail.add(login("b"));
        assertThat(tail.poll(trail, 10)).isEqualTo(2);
        assertThat(tail.poll(trail, 10)).isZero();

        assertThat(seen).extracting(AuditEvent::identity).containsExactly("a", "b");
    }

    @Test
    void poll_backlogLargerThanPages_readOverSeveralPolls() {
        tail.poll(trail, 1);
        for (int i = 0; i < AuditTail.PAGE * 2 + 5; i++) {
            trail.add(login("u" + i));
        }

        assertThat(tail.poll(trail, 1)).isEqualTo(AuditTail.PAGE);
        assertThat(tail.poll(trail, 5)).isEqualTo(AuditTail.PAGE + 5);
        assertThat(seen).hasSize(AuditTail.PAGE * 2 + 5);
        assertThat(tail.position()).isEqualTo(AuditTail.PAGE * 2 + 5);
    }

    @Test
    void poll_trailUnreadable_nothingLostWhenItReturns() {
        tail.poll(trail, 1);
        trail.add(login("a"));
        trail.broken = true;
        assertThat(tail.poll(trail, 1)).isZero();

        trail.broken = false;
        assertThat(tail.poll(trail, 1)).isEqualTo(1);
        assertThat(seen).extracting(AuditEvent::identity).containsExactly("a");
    }

    @Test
    void poll_nothingNew_trailNotScanned() {
        tail.poll(trail, 1);
        trail.add(login("a"));
        tail.poll(trail, 1);
        int scans = trail.queries;

        assertThat(tail.poll(trail, 1)).isZero();
        assertThat(trail.queries).isEqualTo(scans);
    }

    @Test
    void poll_newTrailWithLowerHead_followedFromItsHead() {
        trail.add(login("a"));
        trail.add(login("b"));
        tail.poll(trail, 1);
        trail.records.clear();
        tail.poll(trail, 1);

        trail.add(login("c"));

        assertThat(tail.poll(trail, 1)).isEqualTo(1);
        assertThat(seen).extracting(AuditEvent::identity).containsExactly("c");
    }

    @Test
    void poll_noQuery_nothing() {
        assertThat(tail.poll(null, 1)).isZero();
    }
}
