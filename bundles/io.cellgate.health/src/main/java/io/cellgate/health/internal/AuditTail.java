package io.cellgate.health.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditFilter;
import io.cellgate.api.audit.AuditPage;
import io.cellgate.api.audit.AuditQuery;
import io.cellgate.api.audit.AuditRecord;
import java.io.IOException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the audit trail: each {@link #poll} reads the records written since the last one and hands their events
 * on. Starts at the trail's head, so history from before the start is not counted twice across restarts. Reading
 * the trail (rather than wrapping the sink) keeps the health bundle off the audited actions' path: a slow or broken
 * health consumer can never delay or lose an audit record, and only what was durably recorded is counted.
 */
final class AuditTail {

    private static final Logger LOG = LoggerFactory.getLogger(AuditTail.class);
    /** Records per query; a larger backlog is read over several polls. */
    static final int PAGE = 1_000;

    private final Consumer<AuditEvent> consumer;
    private long afterSeq = -1;
    private boolean failing;

    AuditTail(Consumer<AuditEvent> consumer) {
        this.consumer = consumer;
    }

    /**
     * Reads up to {@code pages} pages of new records from {@code query}.
     *
     * @return the records handed on
     */
    int poll(AuditQuery query, int pages) {
        if (query == null) {
            return 0;
        }
        try {
            if (afterSeq < 0) {
                afterSeq = query.status().lastSeq();
                return 0;
            }
            long head = query.status().lastSeq();
            if (head < afterSeq) {
                afterSeq = head; // a new trail (the old one was moved away): follow it from its head
            }
            if (head == afterSeq) {
                return 0; // nothing new: spare the query its scan of the trail file
            }
            int n = 0;
            for (int i = 0; i < pages; i++) {
                AuditPage page = query.query(AuditFilter.all(PAGE).after(afterSeq));
                for (AuditRecord r : page.records()) {
                    afterSeq = Math.max(afterSeq, r.seq());
                    consumer.accept(r.event());
                    n++;
                }
                if (!page.hasMore()) {
                    break;
                }
            }
            if (failing) {
                LOG.info("health: reading the audit trail works again");
                failing = false;
            }
            return n;
        } catch (IOException | RuntimeException e) {
            if (!failing) {
                LOG.warn("health: cannot read the audit trail after seq {}: {} (security counters stand still)",
                        afterSeq, e.toString());
                failing = true;
            }
            return 0;
        }
    }

    long position() {
        return afterSeq;
    }
}
