package io.cellgate.api.audit;

/**
 * Which records an {@link AuditQuery} returns. Every criterion is optional (null: any); all given ones must match.
 *
 * @param from     records at or after this time
 * @param to       records before this time
 * @param identity exactly this identity (ignoring case)
 * @param action   this action, or one below it when it ends with {@code .*} (e.g. {@code login.*})
 * @param result   this result
 * @param text     a text contained (ignoring case) in identity, source, action, resource, reason or rule
 * @param afterSeq only records with a larger sequence number (paging: the previous page's
 *                 {@link AuditPage#nextAfterSeq()}); 0 from the start
 * @param limit    at most this many records (1 to {@link #MAX_LIMIT})
 */
public record AuditFilter(java.time.Instant from, java.time.Instant to, String identity, String action,
        AuditEvent.Result result, String text, long afterSeq, int limit) {

    public static final int MAX_LIMIT = 10_000;

    public AuditFilter {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("audit filter limit: " + limit + " is not within 1.." + MAX_LIMIT);
        }
        if (afterSeq < 0) {
            throw new IllegalArgumentException("audit filter afterSeq: " + afterSeq + " is negative");
        }
    }

    /** Everything, from the start, {@code limit} records per page. */
    public static AuditFilter all(int limit) {
        return new AuditFilter(null, null, null, null, null, null, 0, limit);
    }

    /** The same filter for the page after {@code seq}. */
    public AuditFilter after(long seq) {
        return new AuditFilter(from, to, identity, action, result, text, seq, limit);
    }
}
