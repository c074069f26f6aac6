package io.cellgate.console.internal;

import static io.cellgate.console.internal.Html.esc;

import io.cellgate.api.health.GatewayHealth;
import io.cellgate.api.health.HealthAlarm;
import io.cellgate.api.health.HealthMetric;
import io.cellgate.api.health.SecurityEvent;
import io.cellgate.console.internal.ConsoleServlet.Request;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Health page: every metric of the health bundle with its value and unit, grouped by folder (gateway, each
 * device, northbound, security, certificates, events, alarms), the active alarms, and the recent security events with
 * severity and explanation. Metrics and alarms are shown to every signed-in user (as on the dashboard); the security
 * events only to users the access policy allows read_audit, as they name identities and hosts.
 */
final class HealthPage {

    private final Supplier<GatewayHealth> health;
    private final Guard guard;

    HealthPage(Supplier<GatewayHealth> health, Guard guard) {
        this.health = health;
        this.guard = guard;
    }

    void get(Request r) throws IOException {
        StringBuilder b = new StringBuilder(16384).append("<h1>Health</h1>");
        GatewayHealth h = health.get();
        if (h == null) {
            b.append(Html.message("error", "error", "Health monitoring is not running (io.cellgate.health)."));
            r.html(HttpServletResponse.SC_SERVICE_UNAVAILABLE, Html.page("Health", r.session(), b.toString()));
            return;
        }
        List<HealthMetric> metrics;
        List<HealthAlarm> alarms;
        try {
            metrics = h.metrics();
            alarms = h.alarms();
        } catch (RuntimeException e) {
            b.append(Html.message("error", "error", "Health monitoring failed: " + e));
            r.html(HttpServletResponse.SC_SERVICE_UNAVAILABLE, Html.page("Health", r.session(), b.toString()));
            return;
        }
        alarms(b, alarms);
        events(b, r, h);
        b.append("<p class=\"hint\">").append(metrics.size()).append(" metrics, sampled every few seconds; the same ")
                .append("names reach the central broker as Sparkplug node metrics and /metrics as OpenMetrics ")
                .append("(docs/health.md). <em>unknown</em>: the gateway cannot tell now.</p>");
        for (Map.Entry<String, List<HealthMetric>> group : groups(metrics).entrySet()) {
            String id = "health-" + group.getKey().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
            b.append("<section class=\"card\" id=\"").append(esc(id)).append("\"><h2>").append(esc(group.getKey()))
                    .append("</h2><table class=\"metrics\"><thead><tr><th>Metric</th><th>Value</th><th>Unit</th>")
                    .append("<th>Meaning</th></tr></thead><tbody>");
            for (HealthMetric m : group.getValue()) {
                b.append("<tr data-metric=\"").append(esc(m.name())).append("\"><td>")
                        .append(esc(m.name().substring(prefix(m.name()).length()))).append("</td><td class=\"value\">")
                        .append(m.value() == null ? "<em>unknown</em>" : esc(value(m))).append("</td><td>")
                        .append(esc(unit(m))).append("</td><td class=\"hint\">").append(esc(m.description()))
                        .append("</td></tr>");
            }
            b.append("</tbody></table></section>");
        }
        r.html(200, Html.page("Health", r.session(), b.toString()));
    }

    private static void alarms(StringBuilder b, List<HealthAlarm> alarms) {
        b.append("<section class=\"card\" id=\"health-alarms\"><h2>Active alarms</h2>");
        if (alarms.isEmpty()) {
            b.append("<p id=\"no-alarms\" class=\"ok\">No active alarms.</p></section>");
            return;
        }
        b.append("<table id=\"alarm-list\"><thead><tr><th>Severity</th><th>Rule</th><th>Metric</th><th>Since</th>")
                .append("<th>What</th></tr></thead><tbody>");
        for (HealthAlarm a : alarms) {
            b.append("<tr class=\"").append(esc(a.severity().name().toLowerCase(Locale.ROOT))).append("\" data-rule=\"")
                    .append(esc(a.rule())).append("\"><td>").append(esc(a.severity())).append("</td><td>")
                    .append(esc(a.rule())).append("</td><td>").append(esc(a.subject())).append("</td><td>")
                    .append(Pages.time(a.since())).append("</td><td>").append(esc(a.message())).append("</td></tr>");
        }
        b.append("</tbody></table></section>");
    }

    private void events(StringBuilder b, Request r, GatewayHealth h) {
        b.append("<section class=\"card\" id=\"health-events\"><h2>Recent security events</h2>");
        if (!guard.mayReadAudit(r.session().identity(), ConsoleKeys.CHANNEL_CONSOLE, r.source())) {
            b.append("<p class=\"hint\" id=\"events-hidden\">Shown to users the access policy allows read_audit ")
                    .append("(Auditor).</p></section>");
            return;
        }
        List<SecurityEvent> events = new ArrayList<>(h.events());
        java.util.Collections.reverse(events);
        if (events.isEmpty()) {
            b.append("<p id=\"no-events\">None since the gateway started.</p></section>");
            return;
        }
        b.append("<table id=\"event-list\"><thead><tr><th>Last</th><th>Severity</th><th>Kind</th><th>Subject</th>")
                .append("<th>Count</th><th>Explanation</th></tr></thead><tbody>");
        for (SecurityEvent e : events) {
            b.append("<tr class=\"").append(esc(e.severity().name().toLowerCase(Locale.ROOT))).append("\" data-kind=\"")
                    .append(esc(e.kind())).append("\"><td>").append(Pages.time(e.last())).append("</td><td>")
                    .append(esc(e.severity())).append("</td><td>").append(esc(e.kind())).append("</td><td>")
                    .append(esc(e.subject())).append("</td><td>").append(e.count()).append(e.count() > 1
                            ? " <span class=\"hint\">(first " + Pages.time(e.first()) + ")</span>" : "")
                    .append("</td><td>").append(esc(e.explanation())).append("</td></tr>");
        }
        b.append("</tbody></table></section>");
    }

    /** Metrics by group: the folder after {@code Health/}, and for devices and certificates the one below it. */
    static Map<String, List<HealthMetric>> groups(List<HealthMetric> metrics) {
        Map<String, List<HealthMetric>> out = new LinkedHashMap<>();
        for (HealthMetric m : metrics) {
            String p = prefix(m.name());
            String label = p.isEmpty() ? "Other" : p.substring(p.startsWith("Health/") ? 7 : 0, p.length() - 1)
                    .replace("/", ": ");
            out.computeIfAbsent(label, k -> new ArrayList<>()).add(m);
        }
        return out;
    }

    /** {@code Health/Gateway/}, {@code Health/Devices/<id>/}, {@code Health/Certificates/<name>/}, or "". */
    static String prefix(String name) {
        String[] parts = name.split("/");
        if (parts.length < 3) {
            return "";
        }
        int depth = (parts[1].equals("Devices") || parts[1].equals("Certificates")) && parts.length > 3 ? 3 : 2;
        return String.join("/", java.util.Arrays.copyOf(parts, depth)) + "/";
    }

    private static String value(HealthMetric m) {
        if (m.value() instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue())
                    : String.format(Locale.ROOT, "%.4g", d);
        }
        return m.value().toString();
    }

    private static String unit(HealthMetric m) {
        return switch (m.unit()) {
            case "seconds" -> "s";
            case "ratio" -> "ratio (0..1)";
            default -> m.unit();
        };
    }
}
