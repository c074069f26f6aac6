package io.cellgate.console.internal;

import static io.cellgate.console.internal.Html.esc;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditFilter;
import io.cellgate.api.audit.AuditPage;
import io.cellgate.api.audit.AuditQuery;
import io.cellgate.api.audit.AuditRecord;
import io.cellgate.console.internal.ConsoleServlet.Request;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The Audit page: the trail filtered by time, event type (action), identity, outcome and free text, page by page;
 * the chain's verification; the filtered records exported as JSON Lines (as stored, with hashes) or CSV. Only for
 * users the policy allows read_audit (Auditor); everyone else gets the denial, which is audited.
 */
final class AuditTrailPage {

    private final AuditTrailAccess trail;

    AuditTrailPage(AuditTrailAccess trail) {
        this.trail = trail;
    }

    void get(Request r) throws IOException {
        if (refused(r, "audit.read")) {
            return;
        }
        StringBuilder b = new StringBuilder("<h1>Audit trail</h1>");
        AuditFilter filter;
        try {
            filter = AuditTrailAccess.filter(r.req()::getParameter, AuditTrailAccess.PAGE, AuditTrailAccess.MAX_PAGE);
        } catch (AuditTrailAccess.BadFilterException e) {
            filterForm(b, r);
            b.append(Html.message("error", "error", e.getMessage()));
            r.html(HttpServletResponse.SC_BAD_REQUEST, Html.page("Audit", r.session(), b.toString()));
            return;
        }
        Optional<AuditQuery> q = trail.query();
        filterForm(b, r);
        if (q.isEmpty()) {
            b.append(Html.message("error", "error", "The audit trail is not running (io.cellgate.audit)."));
            r.html(HttpServletResponse.SC_SERVICE_UNAVAILABLE, Html.page("Audit", r.session(), b.toString()));
            return;
        }
        AuditPage page = q.get().query(filter);
        b.append("<section class=\"card\"><table id=\"audit-records\"><thead><tr><th>#</th><th>Time</th><th>Identity</th>")
                .append("<th>Source</th><th>Action</th><th>Resource</th><th>Result</th><th>Reason</th></tr></thead><tbody>");
        for (AuditRecord rec : page.records()) {
            AuditEvent e = rec.event();
            b.append("<tr data-seq=\"").append(rec.seq()).append("\"><td>").append(rec.seq()).append("</td><td>")
                    .append(Pages.time(e.time())).append("</td><td>").append(esc(e.identity())).append("</td><td>")
                    .append(esc(e.source())).append("</td><td class=\"action\">").append(esc(e.action())).append("</td><td>")
                    .append(esc(e.resource())).append("</td><td class=\"result ").append(esc(e.result().name().toLowerCase(java.util.Locale.ROOT)))
                    .append("\">").append(esc(e.result())).append("</td><td>").append(esc(e.reason()))
                    .append(e.rule() == null ? "" : " <span class=\"hint\">(rule " + esc(e.rule()) + ")</span>").append("</td></tr>");
        }
        b.append("</tbody></table>");
        if (page.records().isEmpty()) {
            b.append("<p id=\"no-records\">No records match the filter.</p>");
        }
        b.append("<p class=\"paging\">");
        if (filter.afterSeq() > 0) {
            b.append("<a id=\"first-page\" href=\"/audit?").append(esc(query(r, null))).append("\">First page</a> ");
        }
        if (page.hasMore()) {
            b.append("<a id=\"next-page\" href=\"/audit?").append(esc(query(r, page.nextAfterSeq()))).append("\">Next page</a>");
        }
        b.append("</p></section>");
        r.html(200, Html.page("Audit", r.session(), b.toString()));
    }

    void verify(Request r) throws IOException {
        if (refused(r, "audit.verify")) {
            return;
        }
        StringBuilder b = new StringBuilder("<h1>Audit trail: verification</h1>");
        if (!trail.record(r.session().identity(), r.source(), "audit.verify", "console")) {
            b.append(Html.message("error", "error", "The audit trail cannot record the verification now."));
            r.html(HttpServletResponse.SC_SERVICE_UNAVAILABLE, Html.page("Audit", r.session(), b.toString()));
            return;
        }
        Optional<AuditTrailAccess.Verification> v = trail.verify();
        if (v.isEmpty()) {
            b.append(Html.message("error", "error", "The audit bundle's verifier is not running."));
            r.html(HttpServletResponse.SC_SERVICE_UNAVAILABLE, Html.page("Audit", r.session(), b.toString()));
            return;
        }
        b.append("<section class=\"card\"><p id=\"verify-result\" class=\"").append(v.get().intact() ? "ok" : "error")
                .append("\">").append(v.get().intact() ? "Intact: the hash chain verifies from the first record to the last."
                        : "BROKEN: the hash chain does not verify. The report names the first broken record (file:line).")
                .append("</p><pre id=\"verify-report\">").append(esc(v.get().report())).append("</pre>")
                .append("<p><a href=\"/audit\">Back to the trail</a></p></section>");
        r.html(200, Html.page("Audit", r.session(), b.toString()));
    }

    void export(Request r) throws IOException {
        if (refused(r, "audit.export")) {
            return;
        }
        String format = Optional.ofNullable(r.req().getParameter("format")).orElse("jsonl");
        AuditFilter filter;
        try {
            if (!format.equals("jsonl") && !format.equals("csv")) {
                throw new AuditTrailAccess.BadFilterException("format: '" + Values.clip(format) + "' is not jsonl or csv");
            }
            filter = AuditTrailAccess.filter(r.req()::getParameter, AuditTrailAccess.MAX_PAGE, AuditTrailAccess.MAX_PAGE);
        } catch (AuditTrailAccess.BadFilterException e) {
            StringBuilder b = new StringBuilder("<h1>Audit trail</h1>");
            b.append(Html.message("error", "error", e.getMessage()));
            r.html(HttpServletResponse.SC_BAD_REQUEST, Html.page("Audit", r.session(), b.toString()));
            return;
        }
        download(r, r.session().identity(), format, filter, ConsoleKeys.CHANNEL_CONSOLE);
    }

    /** Sends the export as a download (shared with the API); recorded before a byte leaves. */
    void download(Request r, io.cellgate.identity.Identity who, String format, AuditFilter filter, String channel)
            throws IOException {
        Optional<AuditQuery> q = trail.query();
        if (q.isEmpty()) {
            r.json(HttpServletResponse.SC_SERVICE_UNAVAILABLE, Json.error("audit: the trail is not running"));
            return;
        }
        if (!trail.record(who, r.source(), "audit.export", channel + " " + format + describe(filter))) {
            r.json(HttpServletResponse.SC_SERVICE_UNAVAILABLE, Json.error("audit: the trail cannot record the export now"));
            return;
        }
        r.resp().setStatus(200);
        r.resp().setContentType(format.equals("csv") ? "text/csv; charset=utf-8" : "application/jsonl; charset=utf-8");
        r.resp().setHeader("Content-Disposition", "attachment; filename=\"cellgate-audit." + format + "\"");
        if (format.equals("csv")) {
            AuditTrailAccess.exportCsv(q.get(), filter, r.resp().getOutputStream());
        } else {
            AuditTrailAccess.exportJsonLines(q.get(), filter, r.resp().getOutputStream());
        }
    }

    /** The filter in a few words for the export's audit record. */
    static String describe(AuditFilter f) {
        StringBuilder b = new StringBuilder();
        append(b, "from", f.from());
        append(b, "to", f.to());
        append(b, "identity", f.identity());
        append(b, "action", f.action());
        append(b, "result", f.result());
        append(b, "text", f.text());
        return b.toString();
    }

    private static void append(StringBuilder b, String name, Object value) {
        if (value != null) {
            b.append(' ').append(name).append('=').append(Values.clip(value.toString()));
        }
    }

    /** Asks read_audit; when denied, answers 403 with the reason (audited) and returns true. */
    private boolean refused(Request r, String what) throws IOException {
        Optional<String> denied = trail.denied(r.session().identity(), ConsoleKeys.CHANNEL_CONSOLE, r.source(), what);
        if (denied.isEmpty()) {
            return false;
        }
        r.html(HttpServletResponse.SC_FORBIDDEN, Html.page("Audit", r.session(), "<h1>Audit trail</h1>"
                + Html.message("error", "error", "Refused: " + denied.get()
                        + ". The audit trail is shown to users the access policy allows read_audit (Auditor).")));
        return true;
    }

    private static void filterForm(StringBuilder b, Request r) {
        b.append("<section class=\"card\"><form method=\"get\" action=\"/audit\" id=\"audit-filter\" class=\"filter\">");
        input(b, r, "from", "From (UTC)", "2026-11-25T08:00");
        input(b, r, "to", "To (UTC)", "2026-11-25");
        input(b, r, "identity", "Identity", "user or application");
        input(b, r, "action", "Event type", "component.configure or login.*");
        String result = Optional.ofNullable(r.req().getParameter("result")).orElse("");
        b.append("<label>Outcome <select name=\"result\" id=\"filter-result\"><option value=\"\">any</option>");
        for (AuditEvent.Result res : AuditEvent.Result.values()) {
            b.append("<option").append(res.name().equalsIgnoreCase(result) ? " selected" : "").append(">").append(res.name())
                    .append("</option>");
        }
        b.append("</select></label>");
        input(b, r, "text", "Search", "text in any field");
        input(b, r, "limit", "Per page", String.valueOf(AuditTrailAccess.PAGE));
        b.append("<button type=\"submit\" id=\"filter\">Filter</button></form><p class=\"actions\">")
                .append("<a id=\"export-jsonl\" href=\"/audit/export?format=jsonl&amp;").append(esc(query(r, null)))
                .append("\" download>Export JSON Lines</a> · <a id=\"export-csv\" href=\"/audit/export?format=csv&amp;")
                .append(esc(query(r, null))).append("\" download>Export CSV</a> · <a id=\"verify\" href=\"/audit/verify\">")
                .append("Verify the chain</a></p><p class=\"hint\">Times are UTC. An export holds every record the filter "
                        + "matches (all pages); JSON Lines are the records as stored, with their hashes.</p></section>");
    }

    private static void input(StringBuilder b, Request r, String name, String label, String placeholder) {
        b.append("<label>").append(esc(label)).append(" <input name=\"").append(name).append("\" id=\"filter-").append(name)
                .append("\" value=\"").append(esc(Optional.ofNullable(r.req().getParameter(name)).orElse("")))
                .append("\" placeholder=\"").append(esc(placeholder)).append("\" maxlength=\"256\"></label>");
    }

    /** The present filter as a query string, with {@code after} replaced (null: dropped). */
    private static String query(Request r, Long after) {
        StringBuilder q = new StringBuilder();
        for (String p : AuditTrailAccess.PARAMS) {
            String v = p.equals("after") ? (after == null ? null : after.toString()) : r.req().getParameter(p);
            if (v != null && !v.isBlank()) {
                q.append(q.isEmpty() ? "" : "&").append(p).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        }
        return q.toString();
    }
}
