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
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tamper-evident audit sink: every event becomes a hash-chained, fsynced record in {@code <state>/audit}
 * ({@link AuditTrail}) before {@link #record} returns true. Ranked above the core's log sink (-100). Callers bind
 * one sink, so this one also writes each recorded event to the {@code cellgate.audit} logger (journal, log file),
 * with its seq; an event that could not be stored is logged there too, marked NOT RECORDED.
 * Configured from {@code cellgate.runtime} (state.dir) and {@code cellgate.audit}; without a state directory it
 * does not activate (command mode), and the core's log sink is used.
 */
@Component(service = {AuditSink.class, AuditQuery.class}, immediate = true,
        configurationPid = {ConfigKeys.RUNTIME_PID, HashChainAuditSink.PID},
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = "service.ranking:Integer=100")
public final class HashChainAuditSink implements AuditSink, AuditQuery {

    static final String PID = "cellgate.audit";
    /** Below the state directory. */
    static final String SUBDIR = "audit";

    private static final Logger AUDIT = LoggerFactory.getLogger("cellgate.audit");
    private static final Logger LOG = LoggerFactory.getLogger(HashChainAuditSink.class);

    private final AuditTrail trail;

    @Activate
    public HashChainAuditSink(AuditConfig config) {
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
     * statically would be restarted on the core's log sink. The directory stays as it was until a restart.
     */
    @Modified
    void modified(AuditConfig config) {
        Path wanted = config.state_dir().isBlank() ? null : Path.of(config.state_dir()).resolve(SUBDIR);
        if (!trail.directory().equals(wanted)) {
            LOG.warn("Audit trail: the directory {} stays in use until the gateway restarts (configured now: {})",
                    trail.directory(), wanted);
        }
        trail.options(options(config));
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

    @Deactivate
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
