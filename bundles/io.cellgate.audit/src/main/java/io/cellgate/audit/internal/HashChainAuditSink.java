package io.cellgate.audit.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditFilter;
import io.cellgate.api.audit.AuditPage;
import io.cellgate.api.audit.AuditQuery;
import io.cellgate.api.audit.AuditRecord;
import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.audit.AuditStatus;
import io.cellgate.api.audit.AuditSummary;
import io.cellgate.api.config.ConfigKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
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
    /** Null when no SIEM is configured. */
    private volatile SyslogForwarder forwarder;
    private volatile SyslogForwarder.Settings forwarding;
    private final AtomicLong written = new AtomicLong();
    /** The last verification of the whole chain (at start): intact, up to which seq, or the break. */
    private volatile boolean chainOk = true;
    private volatile long verifiedSeq;
    private volatile String chainProblem;
    /** Imports the audit inbox (records of administration commands); null in tests that run without it. */
    private InboxImporter importer;

    HashChainAuditSink(AuditConfig config) {
        this(trail(config));
        forward(forwarding(config));
        verifyInBackground(trail);
        importer = new InboxImporter(this, Clock.systemUTC());
        importer.start();
    }

    HashChainAuditSink(AuditTrail trail) {
        this.trail = trail;
        trail.open(); // a problem shows at start; record() retries
    }

    /** Checks the whole chain once at start, beside the gateway (it may be long), for the health summary. */
    private void verifyInBackground(AuditTrail t) {
        Thread v = new Thread(() -> {
            try {
                ChainVerifier.Result r = ChainVerifier.verify(t.directory());
                verifiedSeq = r.lastSeq();
                chainProblem = r.ok() ? null : "chain broken at " + r.problem(); // before the flag its readers poll
                chainOk = r.ok();
                if (!r.ok()) {
                    LOG.error("AUDIT TRAIL BROKEN in {}: {} (run 'cellgate audit verify')", t.directory(), r.problem());
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("Audit trail in {} not verified at start: {}", t.directory(), e.toString());
            }
        }, "cellgate-audit-verify");
        v.setDaemon(true);
        v.start();
    }

    static SyslogForwarder.Settings forwarding(AuditConfig c) {
        String hostname = c.syslog_hostname().isBlank() ? localHostName() : c.syslog_hostname();
        return new SyslogForwarder.Settings(c.syslog_host().trim(), c.syslog_port(),
                c.syslog_ca_file().isBlank() ? null : Path.of(c.syslog_ca_file()),
                c.syslog_keystore_file().isBlank() ? null : Path.of(c.syslog_keystore_file()),
                password(c), hostname, c.syslog_sd_id(), c.syslog_queue());
    }

    /** The key store password: given, or the first line of the password file (unreadable: empty, the TLS setup says why). */
    private static char[] password(AuditConfig c) {
        if (!c._syslog_keystore_password().isEmpty() || c.syslog_keystore_password_file().isBlank()) {
            return c._syslog_keystore_password().toCharArray();
        }
        try {
            java.util.List<String> lines = java.nio.file.Files.readAllLines(Path.of(c.syslog_keystore_password_file()));
            return lines.isEmpty() ? new char[0] : lines.get(0).toCharArray();
        } catch (IOException e) {
            LOG.error("Audit forwarding: cannot read the key store password file {}: {}",
                    c.syslog_keystore_password_file(), e.toString());
            return new char[0];
        }
    }

    private static String localHostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "-";
        }
    }

    /** Starts, restarts (new settings or trail) or stops the forwarder. */
    private synchronized void forward(SyslogForwarder.Settings settings) {
        SyslogForwarder old = forwarder;
        if (old != null) {
            old.close();
            forwarder = null;
        }
        forwarding = settings;
        if (settings != null && settings.enabled()) {
            AuditTrail t = trail;
            SyslogForwarder f = new SyslogForwarder(t.directory(), settings, () -> t.status().lastSeq());
            forwarder = f;
            f.start();
        }
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
            forward(forwarding(config));
            verifyInBackground(next);
            return;
        }
        current.options(options(config));
        SyslogForwarder.Settings settings = forwarding(config);
        if (!settings.sameAs(forwarding)) {
            forward(settings);
        }
    }

    @Override
    public boolean record(AuditEvent e) {
        AuditRecord r = trail.append(e);
        if (r != null) {
            written.incrementAndGet();
            SyslogForwarder f = forwarder;
            if (f != null) {
                f.offer(r);
            }
        }
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

    @Override
    public AuditSummary summary() {
        AuditStatus s = trail.status();
        SyslogForwarder f = forwarder;
        String error = s.problem() != null ? s.problem() : chainProblem != null ? chainProblem
                : f != null ? f.lastError() : null;
        return new AuditSummary(written.get(), s.lastSeq(), s.writable(), chainOk, verifiedSeq, error,
                s.storageWarning(), f == null ? AuditSummary.FORWARD_OFF : f.state(),
                f == null ? 0 : f.forwardedSeq(), f == null ? 0 : Math.max(0, s.lastSeq() - f.forwardedSeq()));
    }

    /** The trail's directory ({@code <state>/audit}); the inbox is below it. */
    Path directory() {
        return trail.directory();
    }

    void deactivate() {
        if (importer != null) {
            importer.stop();
        }
        forward(null);
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
