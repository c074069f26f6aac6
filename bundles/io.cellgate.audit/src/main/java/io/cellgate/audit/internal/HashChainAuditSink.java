package io.cellgate.audit.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditFilter;
import io.cellgate.api.audit.AuditPage;
import io.cellgate.api.audit.AuditQuery;
import io.cellgate.api.audit.AuditRecord;
import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.audit.AuditStatus;
import io.cellgate.api.config.ConfigKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tamper-evident audit sink: every event becomes a hash-chained, fsynced record in {@code <state>/audit}
 * ({@link AuditTrail}) before {@link #record} returns true. Registered by {@link AuditTrailComponent}, ranked
 * above the core's log sink (-100). Callers bind one sink, so this one also writes each recorded event to the
 * {@code cellgate.audit} logger (journal, log file), with its seq; an event that could not be stored is logged
 * there too, marked NOT RECORDED.
 */
public final class HashChainAuditSink implements AuditSink, AuditQuery {

    static final String PID = "cellgate.audit";
    static final int RANKING = 100;
    /** Below the state directory. */
    static final String SUBDIR = "audit";

    private static final Logger AUDIT = LoggerFactory.getLogger("cellgate.audit");
    private static final Logger LOG = LoggerFactory.getLogger(HashChainAuditSink.class);

    /** Replaced only when the state directory changes (tests that run one framework over several cells). */
    private volatile AuditTrail trail;

    HashChainAuditSink(AuditConfig config) {
        this(trail(config));
    }

    HashChainAuditSink(AuditTrail trail) {
        this.trail = trail;
        trail.open(); // a problem shows at start; record() retries
    }

    private static AuditTrail trail(AuditConfig config) {
        return new AuditTrail(directory(config), options(config), Clock.systemUTC());
    }

    private static Path directory(AuditConfig config) {
        if (config.state_dir().isBlank()) {
            throw new IllegalStateException(PID + " state.dir: not set, and no " + ConfigKeys.RUNTIME_PID
                    + " state.dir: the audit trail is not kept anywhere else");
        }
        return Path.of(config.state_dir()).resolve(SUBDIR);
    }

    private static AuditTrail.Options options(AuditConfig config) {
        return new AuditTrail.Options(config.max_file_mb() * 1024L * 1024L, config.warn_free_percent(),
                config.warn_trail_mb() * 1024L * 1024L);
    }

    /**
     * Without this, a configuration change would unregister the sink for a moment, and components bound to it
     * statically would be restarted on the core's log sink. A new state directory gets its own trail (the old one
     * is closed; an event racing with the switch is refused, so its caller fails closed); a removed one (the
     * runtime configuration deleted) keeps the trail where it is.
     */
    void modified(AuditConfig config) {
        AuditTrail current = trail;
        if (!config.state_dir().isBlank() && !current.directory().equals(directory(config))) {
            AuditTrail next = trail(config);
            next.open();
            trail = next;
            current.close();
            LOG.info("Audit trail moved from {} to {}", current.directory(), next.directory());
            return;
        }
        current.options(options(config));
    }

    @Override
    public boolean record(AuditEvent e) {
        AuditRecord r = trail.append(e);
        AUDIT.info("{}{} {} identity={} source={} resource={} reason={} rule={}",
                r == null ? "NOT RECORDED " : "#" + r.seq() + " ", e.action(), e.result(), clean(e.identity()),
                clean(e.source()), clean(e.resource()), clean(e.reason()), clean(e.rule()));
        return r != null;
    }

    @Override
    public boolean writable() {
        return trail.writable();
    }

    @Override
    public AuditPage query(AuditFilter filter) throws IOException {
        return TrailQuery.query(trail.directory(), filter);
    }

    @Override
    public long export(AuditFilter filter, OutputStream out) throws IOException {
        return TrailQuery.export(trail.directory(), filter, out);
    }

    @Override
    public AuditStatus status() {
        return trail.status();
    }

    void deactivate() {
        trail.close();
    }

    /** Control characters out and a bounded length, so that a crafted value cannot forge log lines. */
    static String clean(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return s.length() > 200 ? b + "..." : b.toString();
    }
}
