package io.cellgate.console.internal;

import static io.cellgate.console.internal.Html.esc;

import io.cellgate.console.internal.Components.Component;
import io.cellgate.console.internal.Components.Field;
import io.cellgate.console.internal.ConsoleServlet.Request;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Components page: the list of configurable components, and for one ({@code /components?pid=...}) a form
 * generated from its MetaType definition. A POST applies the form through {@link ComponentChanges}; an invalid form
 * comes back with each refused field marked and the reason beside it, and nothing applied.
 */
final class ComponentsPage {

    /** Form fields carry the attribute id behind this prefix, so that no attribute can collide with csrf or pid. */
    static final String FIELD = "f.";

    private final ComponentChanges changes;

    ComponentsPage(ComponentChanges changes) {
        this.changes = changes;
    }

    void get(Request r) throws IOException {
        String pid = r.req().getParameter("pid");
        if (pid == null) {
            r.html(200, Html.page("Components", r.session(), list(r)));
            return;
        }
        Optional<Component> c = changes.components().find(pid);
        if (c.isEmpty()) {
            r.html(HttpServletResponse.SC_NOT_FOUND, Html.page("Components", r.session(), "<h1>Components</h1>"
                    + Html.message("error", "error", "pid: no configurable component " + Values.clip(pid))
                    + "<p><a href=\"/components\">All components</a></p>"));
            return;
        }
        r.html(200, Html.page(c.get().name(), r.session(), form(r, c.get(), null, null, Map.of())));
    }

    void post(Request r) throws IOException {
        String pid = r.req().getParameter("pid");
        Map<String, List<String>> input = new LinkedHashMap<>();
        for (var e : r.req().getParameterMap().entrySet()) {
            if (e.getKey().startsWith(FIELD)) {
                input.put(e.getKey().substring(FIELD.length()), List.of(e.getValue()));
            }
        }
        ComponentChanges.Outcome o = changes.change(r.session().identity(), ConsoleKeys.CHANNEL_CONSOLE, r.source(), pid, input);
        Optional<Component> c = changes.components().find(pid);
        if (c.isEmpty()) {
            r.html(o.status(), Html.page("Components", r.session(), "<h1>Components</h1>"
                    + Html.message("error", "error", o.message()) + "<p><a href=\"/components\">All components</a></p>"));
            return;
        }
        Map<String, String> errors = new LinkedHashMap<>();
        for (FieldError e : o.errors()) {
            errors.putIfAbsent(e.field(), e.reason());
        }
        // An invalid form shows what was entered (never a password); a refused or applied one shows the present values.
        Map<String, List<String>> shown = o.status() == HttpServletResponse.SC_BAD_REQUEST ? input : Map.of();
        r.html(o.status(), Html.page(c.get().name(), r.session(),
                form(r, c.get(), o.ok() ? o.message() : null, o.ok() ? null : o.message(), errors, shown)));
    }

    private String list(Request r) throws IOException {
        StringBuilder b = new StringBuilder("<h1>Components</h1>");
        if (!changes.components().available()) {
            return b.append(Html.message("error", "error", "The MetaType service or ConfigAdmin is not running.")).toString();
        }
        b.append("<section class=\"card\"><table id=\"components\"><thead><tr><th>Component</th><th>PID</th>")
                .append("<th>Bundle</th><th>State</th></tr></thead><tbody>");
        for (Component c : changes.components().list()) {
            b.append("<tr data-pid=\"").append(esc(c.pid())).append("\"><td><a href=\"/components?pid=")
                    .append(esc(java.net.URLEncoder.encode(c.pid(), java.nio.charset.StandardCharsets.UTF_8))).append("\">")
                    .append(esc(c.name())).append("</a></td><td><code>").append(esc(c.pid())).append("</code></td><td>")
                    .append(esc(c.bundle())).append("</td><td class=\"managed\">")
                    .append(c.editable() ? (changes.mayChange(r.session().identity(), c, ConsoleKeys.CHANNEL_CONSOLE, r.source())
                            ? "editable" : "read-only for you") : esc(c.managedBy()))
                    .append(c.configured() ? "" : " (defaults)").append("</td></tr>");
        }
        b.append("</tbody></table><p class=\"hint\">Components set from cell.yaml are changed in cell.yaml (validated, "
                + "snapshotted). Others are changed here by roles the access policy allows <code>configure</code> on "
                + "<code>components/&lt;pid&gt;</code>; users and login settings need <code>manage_users</code>, the "
                + "policy component <code>manage_policy</code>.</p></section>");
        return b.toString();
    }

    private String form(Request r, Component c, String info, String error, Map<String, String> fieldErrors) {
        return form(r, c, info, error, fieldErrors, Map.of());
    }

    private String form(Request r, Component c, String info, String error, Map<String, String> fieldErrors,
            Map<String, List<String>> entered) {
        boolean may = changes.mayChange(r.session().identity(), c, ConsoleKeys.CHANNEL_CONSOLE, r.source());
        StringBuilder b = new StringBuilder(4096);
        b.append("<p><a href=\"/components\">All components</a></p><h1 id=\"component-name\">").append(esc(c.name()))
                .append("</h1><p><code id=\"component-pid\">").append(esc(c.pid())).append("</code> ").append(esc(c.bundle()))
                .append("</p>");
        if (c.description() != null) {
            b.append("<p class=\"hint\">").append(esc(c.description())).append("</p>");
        }
        if (info != null) {
            b.append(Html.message("info", "message", info));
        }
        if (error != null) {
            b.append(Html.message("error", "error", error));
        }
        if (!c.editable()) {
            b.append(Html.message("info", "managed", "Read-only: " + c.managedBy() + "."));
        } else if (!may) {
            b.append(Html.message("info", "managed", "Read-only for you: the access policy does not allow you to change "
                    + "this component (" + c.action().key() + " on " + c.resource().name() + ")."));
        }
        b.append("<section class=\"card\">");
        if (may) {
            b.append("<form method=\"post\" action=\"/components\" id=\"component-form\" class=\"component\">")
                    .append(Html.csrf(r.session())).append("<input type=\"hidden\" name=\"pid\" value=\"").append(esc(c.pid()))
                    .append("\">");
        } else {
            b.append("<div id=\"component-form\" class=\"component\">");
        }
        for (Field f : c.fields()) {
            field(b, c, f, may, fieldErrors.get(f.id()), entered.get(f.id()));
        }
        if (may) {
            b.append("<button type=\"submit\" id=\"apply\">Apply</button></form>");
        } else {
            b.append("</div>");
        }
        b.append("</section>");
        return b.toString();
    }

    private static void field(StringBuilder b, Component c, Field f, boolean may, String error, List<String> entered) {
        String name = FIELD + f.id();
        String id = "field-" + f.id();
        String disabled = may ? "" : " disabled";
        String present = entered != null && !f.password() ? String.join("\n", entered)
                : c.values().containsKey(f.id()) ? Components.display(c.values().get(f.id())) : String.join("\n", f.defaults());
        b.append("<div class=\"field").append(error == null ? "" : " invalid").append("\" data-field=\"").append(esc(f.id()))
                .append("\"><label for=\"").append(esc(id)).append("\">").append(esc(f.name())).append(" <code>")
                .append(esc(f.id())).append("</code> <span class=\"hint\">").append(esc(f.kind()))
                .append(f.multi() ? ", one value per line" : "").append("</span></label>");
        if (f.password()) {
            boolean set = Boolean.TRUE.equals(c.passwordSet().get(f.id()));
            b.append("<input type=\"password\" id=\"").append(esc(id)).append("\" name=\"").append(esc(name))
                    .append("\" autocomplete=\"new-password\" maxlength=\"").append(Components.MAX_TEXT).append("\" placeholder=\"")
                    .append(set ? "set; leave empty to keep it" : "not set").append("\"").append(disabled).append(">");
        } else if (!f.optionValues().isEmpty() && !f.multi()) {
            b.append("<select id=\"").append(esc(id)).append("\" name=\"").append(esc(name)).append("\"").append(disabled).append(">");
            for (int i = 0; i < f.optionValues().size(); i++) {
                String v = f.optionValues().get(i);
                String label = i < f.optionLabels().size() ? f.optionLabels().get(i) : v;
                b.append("<option value=\"").append(esc(v)).append("\"").append(v.equals(present) ? " selected" : "").append(">")
                        .append(esc(label)).append("</option>");
            }
            b.append("</select>");
        } else if (f.type() == org.osgi.service.metatype.AttributeDefinition.BOOLEAN && !f.multi()) {
            b.append("<select id=\"").append(esc(id)).append("\" name=\"").append(esc(name)).append("\"").append(disabled).append(">");
            for (String v : List.of("true", "false")) {
                b.append("<option value=\"").append(v).append("\"").append(v.equals(present) ? " selected" : "").append(">")
                        .append(v).append("</option>");
            }
            b.append("</select>");
        } else if (f.multi()) {
            b.append("<textarea id=\"").append(esc(id)).append("\" name=\"").append(esc(name)).append("\" rows=\"3\"")
                    .append(disabled).append(">").append(esc(present)).append("</textarea>");
        } else {
            b.append("<input id=\"").append(esc(id)).append("\" name=\"").append(esc(name)).append("\" value=\"")
                    .append(esc(present)).append("\" maxlength=\"").append(Components.MAX_TEXT).append("\"").append(disabled).append(">");
        }
        if (error != null) {
            b.append("<p class=\"field-error\" id=\"error-").append(esc(f.id())).append("\" role=\"alert\">").append(esc(f.id()))
                    .append(": ").append(esc(error)).append("</p>");
        }
        StringBuilder hint = new StringBuilder();
        if (f.description() != null && !f.description().isEmpty()) {
            hint.append(f.description());
        }
        if (!f.defaults().isEmpty() && !f.password()) {
            hint.append(hint.isEmpty() ? "" : " ").append("Default: ").append(String.join(", ", f.defaults())).append('.');
        }
        if (!hint.isEmpty()) {
            b.append("<p class=\"hint\">").append(esc(hint)).append("</p>");
        }
        b.append("</div>");
    }
}
