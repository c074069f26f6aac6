package io.cellgate.console.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditFilter;
import io.cellgate.api.audit.AuditPage;
import io.cellgate.api.audit.AuditQuery;
import io.cellgate.api.audit.AuditRecord;
import io.cellgate.console.internal.ConsoleServlet.Request;
import io.cellgate.identity.Identity;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code /api/v1/audit} (filtered records, one page), {@code /api/v1/audit/export} (every matching record as JSON Lines
 * or CSV) and {@code /api/v1/audit/verify} (the chain's verification). GET only; read_audit decides.
 */
final class AuditApi implements Api.Endpoint {

    static final String PATH = "/api/v1/audit";

    private final AuditTrailAccess trail;
    private final AuditTrailPage page;

    AuditApi(AuditTrailAccess trail, AuditTrailPage page) {
        this.trail = trail;
        this.page = page;
    }

    @Override
    public boolean handle(Request r, Identity who, String channel, String path) throws IOException {
        if (!path.equals(PATH) && !path.startsWith(PATH + "/")) {
            return false;
        }
        String method = r.req().getMethod();
        String sub = path.substring(PATH.length());
        if (!sub.isEmpty() && !sub.equals("/export") && !sub.equals("/verify")) {
            r.json(HttpServletResponse.SC_NOT_FOUND, Json.error("path: no API resource " + Values.clip(path)));
            return true;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            Api.methodNotAllowed(r, method, "GET");
            return true;
        }
        Optional<String> denied = trail.denied(who, channel, r.source(), sub.isEmpty() ? "audit.read" : "audit" + sub.replace('/', '.'));
        if (denied.isPresent()) {
            r.json(HttpServletResponse.SC_FORBIDDEN, Json.error("denied: " + denied.get()));
            return true;
        }
        if (sub.equals("/verify")) {
            verify(r, who, channel);
            return true;
        }
        String format = sub.equals("/export") ? Optional.ofNullable(r.req().getParameter("format")).orElse("jsonl") : null;
        AuditFilter filter;
        try {
            if (format != null && !format.equals("jsonl") && !format.equals("csv")) {
                throw new AuditTrailAccess.BadFilterException("format: '" + Values.clip(format) + "' is not jsonl or csv");
            }
            filter = AuditTrailAccess.filter(r.req()::getParameter, format != null ? AuditTrailAccess.MAX_PAGE
                    : AuditTrailAccess.PAGE, AuditTrailAccess.MAX_PAGE);
        } catch (AuditTrailAccess.BadFilterException e) {
            r.json(HttpServletResponse.SC_BAD_REQUEST, Json.error(e.getMessage()));
            return true;
        }
        if (format != null) {
            page.download(r, who, format, filter, channel);
            return true;
        }
        Optional<AuditQuery> q = trail.query();
        if (q.isEmpty()) {
            r.json(HttpServletResponse.SC_SERVICE_UNAVAILABLE, Json.error("audit: the trail is not running"));
            return true;
        }
        AuditPage p = q.get().query(filter);
        r.json(200, Json.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("records");
            for (AuditRecord rec : p.records()) {
                AuditEvent e = rec.event();
                g.writeStartObject();
                g.writeNumberField("seq", rec.seq());
                g.writeStringField("time", e.time().toString());
                g.writeStringField("identity", e.identity());
                g.writeStringField("source", e.source());
                g.writeStringField("action", e.action());
                g.writeStringField("resource", e.resource());
                g.writeStringField("result", e.result().name());
                g.writeStringField("reason", e.reason());
                g.writeStringField("rule", e.rule());
                g.writeStringField("hash", rec.hash());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (p.hasMore()) {
                g.writeNumberField("nextAfter", p.nextAfterSeq());
            } else {
                g.writeNullField("nextAfter");
            }
            g.writeEndObject();
        }));
        return true;
    }

    private void verify(Request r, Identity who, String channel) throws IOException {
        if (!trail.record(who, r.source(), "audit.verify", channel)) {
            r.json(HttpServletResponse.SC_SERVICE_UNAVAILABLE, Json.error("audit: the trail cannot record the verification now"));
            return;
        }
        Optional<AuditTrailAccess.Verification> v = trail.verify();
        if (v.isEmpty()) {
            r.json(HttpServletResponse.SC_SERVICE_UNAVAILABLE, Json.error("audit: the audit bundle's verifier is not running"));
            return;
        }
        r.json(200, Json.write(g -> {
            g.writeStartObject();
            g.writeBooleanField("intact", v.get().intact());
            g.writeStringField("report", v.get().report());
            g.writeEndObject();
        }));
    }
}
