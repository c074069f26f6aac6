package io.cellgate.health.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditSummary;
import io.cellgate.api.health.HealthMetric;
import io.cellgate.api.health.MetricType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Security counters from the audit trail's records (fed by {@link AuditTail}) and the trail's own state
 * ({@link io.cellgate.api.audit.AuditQuery#summary()}).
 */
final class SecurityCounters implements MetricSource {

    static final String PREFIX = "Health/Security/";

    private static final MetricDef FAILED_LOGINS = MetricDef.counter(PREFIX + "Failed Logins",
            "cellgate_security_failed_logins", "Logins refused (wrong password, unknown user or certificate, locked).");
    private static final MetricDef LOCKOUTS = MetricDef.counter(PREFIX + "Lockouts", "cellgate_security_lockouts",
            "Accounts locked after repeated failed logins.");
    private static final MetricDef DENIED = MetricDef.counter(PREFIX + "Denied Accesses",
            "cellgate_security_denied_accesses", "Audited actions other than logins that were denied (writes, pages, API).");
    private static final MetricDef WRITES = MetricDef.counter(PREFIX + "Writes", "cellgate_security_writes",
            "Writes to devices that succeeded (OPC UA, Sparkplug, console).");
    private static final MetricDef RECORDS = MetricDef.counter(PREFIX + "Audit Records Seen",
            "cellgate_security_audit_records_seen", "Audit records the health bundle has read from the trail.");
    private static final MetricDef CHAIN = MetricDef.gauge(PREFIX + "Audit Chain OK", "cellgate_security_audit_chain_ok",
            MetricType.BOOLEAN, "", "False when the last verification of the audit hash chain found a break (unknown: no trail).");
    private static final MetricDef WRITABLE = MetricDef.gauge(PREFIX + "Audit Writable",
            "cellgate_security_audit_writable", MetricType.BOOLEAN, "",
            "False while the audit trail cannot be written: audited actions are refused (unknown: no trail).");

    private final AtomicLong failedLogins = new AtomicLong();
    private final AtomicLong lockouts = new AtomicLong();
    private final AtomicLong denied = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final Supplier<AuditSummary> summary;

    /** @param summary the trail's summary, or null when no trail is there */
    SecurityCounters(Supplier<AuditSummary> summary) {
        this.summary = summary;
    }

    void accept(AuditEvent e) {
        records.incrementAndGet();
        if (isLogin(e)) {
            if ("login.lockout".equals(e.action())) {
                lockouts.incrementAndGet();
            } else if (e.result() != AuditEvent.Result.SUCCESS) {
                failedLogins.incrementAndGet();
            }
        } else if (e.result() == AuditEvent.Result.DENIED) {
            denied.incrementAndGet();
        } else if (isWrite(e) && e.result() == AuditEvent.Result.SUCCESS) {
            writes.incrementAndGet();
        }
    }

    static boolean isLogin(AuditEvent e) {
        return e.action().equals("login") || e.action().startsWith("login.");
    }

    /** A write to a device: {@code write}, {@code write.*} or {@code <channel>.write}. */
    static boolean isWrite(AuditEvent e) {
        String a = e.action();
        return a.equals("write") || a.startsWith("write.") || a.endsWith(".write");
    }

    @Override
    public List<HealthMetric> collect() {
        List<HealthMetric> out = new ArrayList<>();
        out.add(FAILED_LOGINS.with(failedLogins.get()));
        out.add(LOCKOUTS.with(lockouts.get()));
        out.add(DENIED.with(denied.get()));
        out.add(WRITES.with(writes.get()));
        out.add(RECORDS.with(records.get()));
        AuditSummary s = summary == null ? null : summary.get();
        out.add(CHAIN.with(s == null ? null : s.chainOk()));
        out.add(WRITABLE.with(s == null ? null : s.writable()));
        return out;
    }
}
