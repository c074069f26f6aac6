package io.cellgate.audit.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditFilter;
import io.cellgate.api.audit.AuditPage;
import io.cellgate.api.audit.AuditRecord;
import io.cellgate.api.cli.CliCommand;
import io.cellgate.api.cli.CliContext;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.osgi.service.component.annotations.Component;

/**
 * {@code cellgate audit ...}: checks and reads the trail in {@code <state>/audit} (or an archived copy with
 * {@code --dir}). Reads only, so it may run beside the gateway.
 */
@Component(service = CliCommand.class, property = CliCommand.NAME + "=" + AuditCommand.NAME)
public final class AuditCommand implements CliCommand {

    static final String NAME = "audit";

    static final String TEXT = """
            usage: cellgate audit COMMAND [OPTIONS] [--state DIR | --dir TRAIL_DIR]   (works on DIR/audit)
              verify                            recompute the hash chain over all files: OK with the count and
                                                the last hash, or the first broken record (file:line, what)
              show [FILTER] [--limit N] [--after SEQ]
                                                print records (default: the first 100 that match)
              export [FILTER] [--limit N] [--after SEQ]
                                                the matching records exactly as stored (JSON lines, with hashes)
            FILTER: --since TIME  --until TIME  --identity NAME  --action A (or prefix.*)  --result SUCCESS|DENIED|FAILED
                    --text T (in identity, source, action, resource, reason, rule)
                    TIME is 2026-11-25T08:00:00Z or 2026-11-25 (UTC)
            exit status: 0 done (verify: the chain is intact), 1 broken or failed, 2 usage error""";

    @Override
    public String summary() {
        return "the audit trail (verify, show, export)";
    }

    @Override
    public String usage() {
        return TEXT;
    }

    @Override
    public int run(CliContext c) {
        List<String> args = new ArrayList<>(c.args());
        if (args.isEmpty() || args.contains("--help") || args.contains("-h")) {
            (args.isEmpty() ? c.err() : c.out()).println(TEXT);
            return args.isEmpty() ? USAGE : OK;
        }
        String sub = args.remove(0);
        Path dir;
        AuditFilter filter;
        try {
            String trailDir = option(args, "--dir");
            dir = trailDir != null ? Path.of(trailDir).toAbsolutePath() : c.stateDir().resolve(HashChainAuditSink.SUBDIR);
            filter = "verify".equals(sub) ? null : filter(args);
            if (!args.isEmpty()) {
                throw new IllegalArgumentException("unknown argument: " + args.get(0));
            }
        } catch (IllegalArgumentException e) {
            c.err().println("cellgate audit " + sub + ": " + e.getMessage());
            c.err().println(TEXT);
            return USAGE;
        }
        if (!Files.isDirectory(dir)) {
            c.err().println("cellgate audit: no audit trail in " + dir);
            return FAILED;
        }
        try {
            return switch (sub) {
                case "verify" -> verify(dir, c.out());
                case "show" -> show(dir, filter, c.out());
                case "export" -> {
                    TrailQuery.export(dir, filter, c.out());
                    yield OK;
                }
                default -> {
                    c.err().println("cellgate audit: unknown command '" + sub + "'");
                    c.err().println(TEXT);
                    yield USAGE;
                }
            };
        } catch (IOException e) {
            c.err().println("cellgate audit " + sub + ": cannot read " + dir + ": " + e.getMessage());
            return FAILED;
        }
    }

    private static int verify(Path dir, PrintStream out) throws IOException {
        ChainVerifier.Result r = ChainVerifier.verify(dir);
        if (!r.ok() && r.problem().kind() == ChainVerifier.Kind.TRUNCATED && r.problem().line() > 0) {
            // on a live trail the gateway may have been writing the last line just then: look again once
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            r = ChainVerifier.verify(dir);
        }
        if (r.ok()) {
            out.println("OK: " + r.records() + " records in " + r.files() + " files, last seq " + r.lastSeq()
                    + ", last hash " + r.lastHash());
            inbox(dir, out);
            return OK;
        }
        out.println("BROKEN at " + r.problem());
        out.println("(" + r.records() + " records before it verified; last good seq " + r.lastSeq() + ", hash "
                + r.lastHash() + ")");
        inbox(dir, out);
        return FAILED;
    }

    /** What waits in the inbox (records of commands, imported by the running gateway): not part of the chain yet. */
    private static void inbox(Path dir, PrintStream out) throws IOException {
        InboxImporter.Waiting w = InboxImporter.waiting(dir);
        out.println("inbox: " + w.records() + " records in " + w.files() + " files wait to be imported by the"
                + " running gateway" + (w.rejected() == 0 ? "" : "; " + w.rejected() + " files with malformed lines"
                        + " set aside in inbox/" + InboxImporter.REJECTED + " (see the audit.inbox records)"));
    }

    private static int show(Path dir, AuditFilter filter, PrintStream out) throws IOException {
        AuditPage page = TrailQuery.query(dir, filter);
        for (AuditRecord r : page.records()) {
            AuditEvent e = r.event();
            out.println("#" + r.seq() + " " + e.time() + " " + e.result() + " " + e.action() + " identity="
                    + HashChainAuditSink.clean(e.identity()) + field("source", e.source())
                    + field("resource", e.resource()) + field("reason", e.reason()) + field("rule", e.rule()));
        }
        if (page.hasMore()) {
            out.println("(more: --after " + page.nextAfterSeq() + ")");
        }
        return OK;
    }

    private static String field(String name, String value) {
        return value == null ? "" : " " + name + "=" + HashChainAuditSink.clean(value);
    }

    static AuditFilter filter(List<String> args) {
        Instant since = time(option(args, "--since"), "--since");
        Instant until = time(option(args, "--until"), "--until");
        String identity = option(args, "--identity");
        String action = option(args, "--action");
        String resultText = option(args, "--result");
        String text = option(args, "--text");
        long after = number(option(args, "--after"), "--after", 0);
        long limit = number(option(args, "--limit"), "--limit", 100);
        if (limit < 1 || limit > AuditFilter.MAX_LIMIT) {
            throw new IllegalArgumentException("--limit: " + limit + " is not within 1.." + AuditFilter.MAX_LIMIT);
        }
        AuditEvent.Result result = null;
        if (resultText != null) {
            try {
                result = AuditEvent.Result.valueOf(resultText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--result: '" + resultText + "' is not SUCCESS, DENIED or FAILED");
            }
        }
        return new AuditFilter(since, until, identity, action, result, text, after, (int) limit);
    }

    /** Removes {@code name VALUE} from the arguments; null when absent. */
    private static String option(List<String> args, String name) {
        int i = args.indexOf(name);
        if (i < 0) {
            return null;
        }
        if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        String value = args.get(i + 1);
        args.subList(i, i + 2).clear();
        return value;
    }

    private static Instant time(String s, String name) {
        if (s == null) {
            return null;
        }
        try {
            return s.contains("T") ? Instant.parse(s) : LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + ": '" + s + "' is not a time like 2026-11-25T08:00:00Z or a"
                    + " date like 2026-11-25");
        }
    }

    private static long number(String s, String name, long dflt) {
        if (s == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(s);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": '" + s + "' is not a non-negative number");
        }
    }
}
