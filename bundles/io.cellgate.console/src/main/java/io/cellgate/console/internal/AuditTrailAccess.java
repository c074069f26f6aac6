package io.cellgate.console.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditFilter;
import io.cellgate.api.audit.AuditPage;
import io.cellgate.api.audit.AuditQuery;
import io.cellgate.api.audit.AuditRecord;
import io.cellgate.api.cli.CliCommand;
import io.cellgate.api.cli.CliContext;
import io.cellgate.api.config.ConfigKeys;
import io.cellgate.api.policy.Action;
import io.cellgate.api.policy.Decision;
import io.cellgate.api.policy.Resource;
import io.cellgate.identity.Identity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The audit trail for the console's Audit page and the API: the filter from request parameters (every bad one named),
 * the read_audit decision, pages, export (JSON Lines as stored, or CSV), and the chain verification.
 * <p>
 * Verification runs the audit bundle's own {@code audit verify} command (the {@link CliCommand} service it registers
 * in every mode) on the gateway's state directory: the same check, output and exit status as on the command line,
 * without a new provider method in {@code io.cellgate.api.audit} (which would make every audit sink provider
 * unresolvable until rebuilt).
 */
final class AuditTrailAccess {

    /** Records per page when the request names no limit. */
    static final int PAGE = 50;
    /** Most records on one page of the console or the API (an export goes through every page). */
    static final int MAX_PAGE = 500;
    /** The filter's parameters, in the order the page shows them. */
    static final List<String> PARAMS = List.of("from", "to", "identity", "action", "result", "text", "after", "limit");

    /** Bad filter input, naming the parameter. */
    static final class BadFilterException extends Exception {
        private static final long serialVersionUID = 1L;

        BadFilterException(String message) {
            super(message);
        }
    }

    /** The result of a verification: intact or not, and the verifier's report (where the chain breaks). */
    record Verification(boolean intact, String report) {
    }

    private final Supplier<AuditQuery> query;
    private final Supplier<CliCommand> auditCommand;
    private final Supplier<ConfigurationAdmin> configAdmin;
    private final Guard guard;

    AuditTrailAccess(Supplier<AuditQuery> query, Supplier<CliCommand> auditCommand, Supplier<ConfigurationAdmin> configAdmin,
            Guard guard) {
        this.query = query;
        this.auditCommand = auditCommand;
        this.configAdmin = configAdmin;
        this.guard = guard;
    }

    Optional<AuditQuery> query() {
        return Optional.ofNullable(query.get());
    }

    /** Asks the policy for read_audit on {@code audit}; a denial is audited and its reason returned. */
    Optional<String> denied(Identity who, String channel, String source, String what) {
        Decision d = guard.decide(who, Action.READ_AUDIT, Resource.section("audit"), channel, source, null);
        return d.allowed() ? Optional.empty() : Optional.of(guard.denied(who, source, what, "audit", d));
    }

    /** Records a read that leaves the gateway (an export, a verification); false: not recorded, do not do it. */
    boolean record(Identity who, String source, String action, String detail) {
        return guard.record(guard.event(who.name(), source, action, "audit", AuditEvent.Result.SUCCESS, detail));
    }

    /**
     * The filter given by request parameters ({@code param} returns null for an absent one).
     *
     * @param maxLimit the largest limit accepted
     */
    static AuditFilter filter(Function<String, String> param, int defaultLimit, int maxLimit) throws BadFilterException {
        Instant from = time(param.apply("from"), "from", false);
        Instant to = time(param.apply("to"), "to", true);
        if (from != null && to != null && !from.isBefore(to)) {
            throw new BadFilterException("to: " + to + " is not after from " + from);
        }
        AuditEvent.Result result = null;
        String r = blankToNull(param.apply("result"));
        if (r != null) {
            try {
                result = AuditEvent.Result.valueOf(r.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new BadFilterException("result: '" + Values.clip(r) + "' is not SUCCESS, DENIED or FAILED");
            }
        }
        long after = number(param.apply("after"), "after", 0, Long.MAX_VALUE, 0);
        int limit = (int) number(param.apply("limit"), "limit", 1, maxLimit, defaultLimit);
        return new AuditFilter(from, to, text(param.apply("identity"), "identity"), text(param.apply("action"), "action"),
                result, text(param.apply("text"), "text"), after, limit);
    }

    private static String text(String value, String name) throws BadFilterException {
        String v = blankToNull(value);
        if (v != null && v.length() > 256) {
            throw new BadFilterException(name + ": longer than 256 characters");
        }
        return v == null ? null : v.trim();
    }

    private static long number(String value, String name, long min, long max, long dflt) throws BadFilterException {
        String v = blankToNull(value);
        if (v == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < min || n > max) {
                throw new BadFilterException(name + ": " + n + " is not within " + min + ".." + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadFilterException(name + ": '" + Values.clip(v) + "' is not a whole number");
        }
    }

    /**
     * A time in UTC: an instant ({@code 2026-11-25T08:00:00Z}), a local date-time as a browser's date-time field
     * sends it ({@code 2026-11-25T08:00}, taken as UTC) or a date; a date as {@code to} means the end of that day.
     */
    static Instant time(String value, String name, boolean endOfDay) throws BadFilterException {
        String v = blankToNull(value);
        if (v == null) {
            return null;
        }
        v = v.trim();
        try {
            if (v.endsWith("Z") || v.endsWith("z")) {
                return Instant.parse(v.toUpperCase(Locale.ROOT));
            }
            if (v.contains("T")) {
                return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
            }
            LocalDate d = LocalDate.parse(v);
            return (endOfDay ? d.plusDays(1) : d).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new BadFilterException(name + ": '" + Values.clip(v)
                    + "' is not a time (2026-11-25T08:00:00Z, 2026-11-25T08:00 or 2026-11-25, UTC)");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Writes every record the filter matches, page by page (the filter's limit is the page size), as stored. */
    static long exportJsonLines(AuditQuery q, AuditFilter filter, OutputStream out) throws IOException {
        long n = 0;
        AuditFilter f = filter;
        while (true) {
            n += q.export(f, out);
            AuditPage page = q.query(f);
            if (!page.hasMore()) {
                return n;
            }
            f = f.after(page.nextAfterSeq());
        }
    }

    /** Writes every record the filter matches as CSV (RFC 4180, a header line). */
    static long exportCsv(AuditQuery q, AuditFilter filter, OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write("seq,time,identity,source,action,resource,result,reason,rule,hash\r\n");
        long n = 0;
        AuditFilter f = filter;
        while (true) {
            AuditPage page = q.query(f);
            for (AuditRecord r : page.records()) {
                AuditEvent e = r.event();
                w.write(String.join(",", String.valueOf(r.seq()), e.time().toString(), csv(e.identity()), csv(e.source()),
                        csv(e.action()), csv(e.resource()), e.result().name(), csv(e.reason()), csv(e.rule()), r.hash()));
                w.write("\r\n");
                n++;
            }
            if (!page.hasMore()) {
                w.flush();
                return n;
            }
            f = f.after(page.nextAfterSeq());
        }
    }

    /**
     * One CSV cell: quoted when it holds a separator, a quote or a line break; a text a spreadsheet would run as a
     * formula (=, +, -, @ first) gets a leading apostrophe, since audit fields carry what attackers typed.
     */
    static String csv(String s) {
        if (s == null) {
            return "";
        }
        String v = !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }

    /** Verifies the whole chain with the audit bundle's command; empty when the command or the state is not there. */
    Optional<Verification> verify() {
        CliCommand command = auditCommand.get();
        Optional<Path> state = stateDir();
        if (command == null || state.isEmpty()) {
            return Optional.empty();
        }
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
        Path dir = state.get();
        int status = command.run(new CliContext() {
            @Override
            public List<String> args() {
                return List.of("verify");
            }

            @Override
            public Path stateDir() {
                return dir;
            }

            @Override
            public PrintStream out() {
                return out;
            }

            @Override
            public PrintStream err() {
                return out;
            }

            @Override
            public Optional<char[]> readSecret(String prompt) {
                return Optional.empty();
            }

            @Override
            public boolean interactive() {
                return false;
            }
        });
        return Optional.of(new Verification(status == CliCommand.OK, text.toString(StandardCharsets.UTF_8).trim()));
    }

    private Optional<Path> stateDir() {
        ConfigurationAdmin cm = configAdmin.get();
        if (cm == null) {
            return Optional.empty();
        }
        try {
            Configuration[] c = cm.listConfigurations("(service.pid=" + ConfigKeys.RUNTIME_PID + ")");
            Object dir = c == null || c.length == 0 || c[0].getProperties() == null ? null
                    : c[0].getProperties().get(ConfigKeys.STATE_DIR);
            return dir == null ? Optional.empty() : Optional.of(Path.of(dir.toString()));
        } catch (IOException | org.osgi.framework.InvalidSyntaxException e) {
            return Optional.empty();
        }
    }
}
