package io.cellgate.api.audit;

import java.util.List;

/**
 * One page of an {@link AuditQuery}.
 *
 * @param records     the matching records in trail order
 * @param nextAfterSeq the {@link AuditFilter#afterSeq()} of the next page, or -1 when there are no more records
 */
public record AuditPage(List<AuditRecord> records, long nextAfterSeq) {

    public AuditPage {
        records = List.copyOf(records);
    }

    public boolean hasMore() {
        return nextAfterSeq >= 0;
    }
}
