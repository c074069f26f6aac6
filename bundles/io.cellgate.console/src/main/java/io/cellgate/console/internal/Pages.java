package io.cellgate.console.internal;

import static io.cellgate.console.internal.Html.esc;

import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.health.HealthAlarm;
import io.cellgate.api.health.HealthMetric;
import io.cellgate.api.health.SecurityEvent;
import io.cellgate.api.tag.TagValue;
import io.cellgate.console.internal.ConsoleServlet.Request;
import io.cellgate.identity.Identity;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;

/** The server-rendered pages. Every dynamic text is escaped; there is no inline script or style (the CSP forbids it). */
final class Pages {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final Status status;
    private final TagWrites writes;
    private final Guard guard;

    Pages(Status status, TagWrites writes, Guard guard) {
        this.status = status;
        this.writes = writes;
        this.guard = guard;
    }

    void loginForm(Request r, String token, String error, int code) throws IOException {
        StringBuilder b = new StringBuilder("<section class=\"card narrow\"><h1>Log in</h1>");
        if (r.req().getParameter("bye") != null && error == null) {
            b.append(Html.message("info", "message", "You are logged out."));
        }
        if (error != null) {
            b.append(Html.message("error", "error", error));
        }
        b.append("<form method=\"post\" action=\"/login\" id=\"login-form\">")
                .append("<input type=\"hidden\" name=\"login_token\" value=\"").append(esc(token)).append("\">")
                .append("<label>User name <input name=\"username\" id=\"username\" autocomplete=\"username\" required maxlength=\"64\"></label>")
                .append("<label>Password <input type=\"password\" name=\"password\" id=\"password\" autocomplete=\"current-password\" required maxlength=\"256\"></label>")
                .append("<button type=\"submit\" id=\"login\">Log in</button></form>")
                .append("<p class=\"hint\">First start: user <code>admin</code> with the one-time password the gateway printed; "
                        + "you will be asked for a new one.</p></section>");
        r.html(code, Html.page("Log in", null, b.toString()));
    }

    void passwordForm(Request r, String error, int code) throws IOException {
        Session s = r.session();
        StringBuilder b = new StringBuilder("<section class=\"card narrow\"><h1>Set your password</h1>");
        if (s.mustChangePassword()) {
            b.append(Html.message("info", "message", "You logged in with a one-time password. Choose your own password "
                    + "before you continue."));
        }
        if (error != null) {
            b.append(Html.message("error", "error", error));
        }
        b.append("<form method=\"post\" action=\"/password\" id=\"password-form\">").append(Html.csrf(s))
                .append("<input type=\"hidden\" name=\"username\" autocomplete=\"username\" value=\"").append(esc(s.identity().name())).append("\">")
                .append("<label>Current password <input type=\"password\" name=\"current\" id=\"current\" autocomplete=\"current-password\" required maxlength=\"256\"></label>")
                .append("<label>New password <input type=\"password\" name=\"new\" id=\"new\" autocomplete=\"new-password\" required minlength=\"12\" maxlength=\"256\"></label>")
                .append("<label>New password again <input type=\"password\" name=\"repeat\" id=\"repeat\" autocomplete=\"new-password\" required minlength=\"12\" maxlength=\"256\"></label>")
                .append("<button type=\"submit\" id=\"save-password\">Save password</button></form>")
                .append("<p class=\"hint\">At least 12 characters; not your user name, not a common password. "
                        + "A few unrelated words are long and easy to remember.</p></section>");
        r.html(code, Html.page("Password", s, b.toString()));
    }

    void dashboard(Request r) throws IOException {
        r.html(200, Html.page("Dashboard", r.session(), dashboardBody(r, null, null)));
    }

    void write(Request r) throws IOException {
        TagWrites.Outcome o = writes.write(r.session().identity(), ConsoleKeys.CHANNEL_CONSOLE, r.source(),
                r.req().getParameter("tag"), r.req().getParameter("value"), "value");
        r.html(o.status(), Html.page("Dashboard", r.session(), dashboardBody(r, o.ok() ? o.message() : null,
                o.ok() ? null : o.message())));
    }

    void error(Request r, int code, String title, String text) throws IOException {
        r.html(code, Html.page(title, r.session(), "<section class=\"card narrow\"><h1 id=\"error-title\">" + esc(title)
                + "</h1><p id=\"error\">" + esc(text) + "</p><p><a href=\"/\">Back to the dashboard</a></p></section>"));
    }

    private String dashboardBody(Request r, String info, String error) {
        Identity who = r.session().identity();
        StringBuilder b = new StringBuilder(8192);
        b.append("<h1>Dashboard</h1>");
        if (r.req().getParameter("password-changed") != null) {
            b.append(Html.message("info", "message", "Your password was changed."));
        }
        if (info != null) {
            b.append(Html.message("info", "message", info));
        }
        if (error != null) {
            b.append(Html.message("error", "error", error));
        }
        b.append("<div class=\"grid\"><section class=\"card\"><h2>Devices</h2><table id=\"devices\"><thead><tr>")
                .append("<th>Device</th><th>Status</th><th>Last good read</th><th>Polls</th><th>Errors</th><th>Last error</th>")
                .append("</tr></thead><tbody>");
        for (DeviceState d : status.devices()) {
            b.append("<tr data-device=\"").append(esc(d.deviceId())).append("\"><td>").append(esc(d.deviceId()))
                    .append("</td><td class=\"status ").append(esc(d.status().name().toLowerCase(java.util.Locale.ROOT)))
                    .append("\">").append(esc(d.status())).append("</td><td>").append(time(d.lastGoodRead()))
                    .append("</td><td>").append(d.pollCount()).append("</td><td>").append(d.errorCount())
                    .append("</td><td>").append(esc(d.lastError())).append("</td></tr>");
        }
        b.append("</tbody></table></section>");
        b.append("<section class=\"card\"><h2>Gateway certificate</h2>");
        status.certificate().ifPresentOrElse(c -> b.append("<dl id=\"certificate\"><dt>Subject</dt><dd>").append(esc(c.subject()))
                .append("</dd><dt>Thumbprint (SHA-1)</dt><dd><code>").append(esc(c.thumbprint()))
                .append("</code></dd><dt>Expires</dt><dd class=\"").append(c.daysLeft() < 30 ? "warn" : "ok").append("\">")
                .append(time(c.notAfter())).append(" (").append(c.daysLeft()).append(" days)</dd></dl>"),
                () -> b.append("<p id=\"certificate\">The PKI is not running.</p>"));
        b.append("</section></div>");
        healthCards(b, who, r.source());
        b.append("<section class=\"card\"><h2>Live values</h2><table id=\"tags\" data-refresh=\"/api/v1/tags\"><thead><tr>")
                .append("<th>Tag</th><th>Value</th><th>Unit</th><th>Quality</th><th>Source time</th><th></th></tr></thead><tbody>");
        for (Status.TagRow row : status.tags(who, ConsoleKeys.CHANNEL_CONSOLE, r.source())) {
            String path = row.info().path().toString();
            TagValue v = row.value().orElse(null);
            b.append("<tr data-path=\"").append(esc(path)).append("\"><td>").append(esc(path))
                    .append("</td><td class=\"value\">").append(v == null || !v.isGood() ? "" : esc(v.value()))
                    .append("</td><td>").append(esc(row.info().unit()))
                    .append("</td><td class=\"quality ").append(v == null ? "" : esc(v.quality().name().toLowerCase(java.util.Locale.ROOT)))
                    .append("\">").append(v == null ? "no value yet" : esc(quality(v)))
                    .append("</td><td class=\"time\">").append(v == null ? "" : time(v.sourceTime())).append("</td><td>");
            if (guard.offerWrite(who, row.info(), v != null && v.isGood() ? v.value() : null, ConsoleKeys.CHANNEL_CONSOLE,
                    r.source())) {
                b.append("<form method=\"post\" action=\"/tags/write\" class=\"write\">").append(Html.csrf(r.session()))
                        .append("<input type=\"hidden\" name=\"tag\" value=\"").append(esc(path)).append("\">")
                        .append("<input name=\"value\" size=\"8\" aria-label=\"new value of ").append(esc(path)).append("\">")
                        .append("<button type=\"submit\">Write</button></form>");
            }
            b.append("</td></tr>");
        }
        b.append("</tbody></table><p class=\"hint\">Values refresh every 2 seconds. A value that is not Good is never shown "
                + "as current.</p></section>");
        return b.toString();
    }

    /** Northbound state and alarms from the health bundle; security events only for those who may read the audit. */
    private void healthCards(StringBuilder b, Identity who, String source) {
        b.append("<div class=\"grid\"><section class=\"card\" id=\"northbound\"><h2>Northbound</h2>");
        status.northbound().ifPresentOrElse(metrics -> {
            if (metrics.isEmpty()) {
                b.append("<p class=\"hint\">No northbound metrics reported yet.</p>");
                return;
            }
            b.append("<table><tbody>");
            for (HealthMetric m : metrics) {
                b.append("<tr><td title=\"").append(esc(m.description())).append("\">")
                        .append(esc(m.name().substring(Status.NORTHBOUND.length()))).append("</td><td>")
                        .append(m.value() == null ? "unknown" : esc(m.value())).append(' ').append(esc(m.unit()))
                        .append("</td></tr>");
            }
            b.append("</tbody></table>");
        }, () -> b.append("<p class=\"hint\">Health monitoring is not running.</p>"));
        b.append("<h2>Alarms</h2>");
        status.alarms().ifPresentOrElse(alarms -> {
            if (alarms.isEmpty()) {
                b.append("<p id=\"alarms\" class=\"ok\">No active alarms.</p>");
                return;
            }
            b.append("<ul id=\"alarms\">");
            for (HealthAlarm a : alarms) {
                b.append("<li class=\"").append(esc(a.severity().name().toLowerCase(java.util.Locale.ROOT))).append("\">")
                        .append(esc(a.severity())).append(": ").append(esc(a.message())).append(" (").append(esc(a.subject()))
                        .append(", since ").append(time(a.since())).append(")</li>");
            }
            b.append("</ul>");
        }, () -> b.append("<p class=\"hint\">Health monitoring is not running.</p>"));
        b.append("</section><section class=\"card\" id=\"security-events\"><h2>Recent security events</h2>");
        if (!guard.mayReadAudit(who, ConsoleKeys.CHANNEL_CONSOLE, source)) {
            b.append("<p class=\"hint\">Shown to users the access policy allows read_audit (Auditor).</p>");
        } else {
            status.recentEvents().ifPresentOrElse(events -> {
                if (events.isEmpty()) {
                    b.append("<p>None.</p>");
                    return;
                }
                b.append("<ul>");
                for (SecurityEvent e : events) {
                    b.append("<li>").append(time(e.last())).append(" <strong>").append(esc(e.kind())).append("</strong> ")
                            .append(esc(e.subject())).append(e.count() > 1 ? " (" + e.count() + "x)" : "").append(": ")
                            .append(esc(e.explanation())).append("</li>");
                }
                b.append("</ul>");
            }, () -> b.append("<p class=\"hint\">Health monitoring is not running.</p>"));
        }
        b.append("</section></div>");
    }

    static String quality(TagValue v) {
        if (v.isGood()) {
            return "Good";
        }
        String q = v.quality().name().charAt(0) + v.quality().name().substring(1).toLowerCase(java.util.Locale.ROOT);
        return q + " (" + v.reason().name().toLowerCase(java.util.Locale.ROOT) + (v.detail() == null ? "" : ": " + v.detail()) + ")";
    }

    static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }
}
