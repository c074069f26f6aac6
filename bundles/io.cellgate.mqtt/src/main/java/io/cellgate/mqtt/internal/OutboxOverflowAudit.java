package io.cellgate.mqtt.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditSink;
import io.cellgate.outbox.OutboxStats;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records outbox overflow in the audit trail ({@code outbox.overflow}, FAILED, identity {@code system}): entries
 * dropped because the outbox was full (drop-oldest) and appends it refused (reject-new). The first loss is recorded
 * at once, later ones at most once per {@link #INTERVAL} with the counts since the last record, so that a long
 * outage with a full outbox does not flood the trail. The counters survive restarts; losses before this start were
 * recorded by the run that saw them, so the first check only takes the baseline.
 */
final class OutboxOverflowAudit {

    static final Duration INTERVAL = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(OutboxOverflowAudit.class);

    private final AuditSink audit;
    private final String resource;
    private boolean baseline;
    private long dropped;
    private long rejected;
    private Instant lastRecord;

    OutboxOverflowAudit(AuditSink audit, String edgeNodeId) {
        this.audit = audit;
        this.resource = "outbox of edge node " + edgeNodeId;
    }

    /** Called on the edge node's thread with the outbox's current counters. */
    void check(OutboxStats s, Instant now) {
        if (!baseline) {
            baseline = true;
            dropped = s.droppedOverflow();
            rejected = s.rejected();
            return;
        }
        long newlyDropped = s.droppedOverflow() - dropped;
        long newlyRejected = s.rejected() - rejected;
        if (newlyDropped <= 0 && newlyRejected <= 0) {
            return;
        }
        if (lastRecord != null && Duration.between(lastRecord, now).compareTo(INTERVAL) < 0) {
            return;
        }
        String reason = "outbox full (" + s.bytes() + " of " + s.maxBytes() + " bytes, " + s.entries() + " entries): "
                + newlyDropped + " oldest entries dropped, " + newlyRejected + " new records refused"
                + (lastRecord == null ? "" : " since " + lastRecord);
        if (!audit.record(new AuditEvent(now, "system", null, "outbox.overflow", resource, AuditEvent.Result.FAILED,
                reason, null))) {
            LOG.error("outbox overflow NOT recorded in the audit trail: {}", reason);
            return; // counted again at the next check
        }
        dropped = s.droppedOverflow();
        rejected = s.rejected();
        lastRecord = now;
    }
}
