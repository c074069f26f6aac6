package io.cellgate.console.internal;

import static io.cellgate.console.internal.Html.esc;

import io.cellgate.api.policy.Action;
import io.cellgate.api.policy.Decision;
import io.cellgate.api.policy.Resource;
import io.cellgate.config.ConfigEditor;
import io.cellgate.config.ConfigEditor.ChangeResult;
import io.cellgate.config.ConfigEditor.Snapshot;
import io.cellgate.config.ConfigError;
import io.cellgate.config.LoadResult;
import io.cellgate.console.internal.ConsoleServlet.Request;
import io.cellgate.identity.Identity;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Snapshots page ({@code /snapshots}) and its REST resources: every applied cell.yaml as a numbered snapshot (who,
 * when, why, SHA-256), its text, a unified diff against the running file or the snapshot before, download, upload of a
 * whole cell.yaml and rollback. Changes go through the {@link ConfigEditor} (validated in full, written atomically,
 * applied, audited, snapshotted, watched when they touch connectivity); the policy is asked for every top-level section
 * the change touches ({@code configure} on the section, {@code manage_policy} for {@code access}).
 */
final class SnapshotsPage {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotsPage.class);
    /** The loader refuses bigger files too. */
    static final int MAX_YAML = 1024 * 1024;
    private static final Pattern API_SNAPSHOT = Pattern.compile("/api/v1/snapshots/(\\d{1,18})(/rollback)?");
    private static final Pattern ID = Pattern.compile("\\d{1,18}");

    private final Supplier<ConfigEditor> editor;
    private final Guard guard;

    SnapshotsPage(Supplier<ConfigEditor> editor, Guard guard) {
        this.editor = editor;
        this.guard = guard;
    }

    // ---------------------------------------------------------------- pages

    void list(Request r) throws IOException {
        render(r, HttpServletResponse.SC_OK, null, null, null);
    }

    void view(Request r) throws IOException {
        String id = r.req().getParameter("id");
        Optional<String> text = requested(r, id);
        if (text.isEmpty()) {
            return;
        }
        StringBuilder b = new StringBuilder("<h1>").append(id.equals("current") ? "cell.yaml now" : "Snapshot "
                + esc(id)).append("</h1><p>")
                .append(link("/snapshots", "All snapshots")).append(" &middot; ")
                .append(link("/snapshots/download?id=" + esc(id), "Download"));
        if (!id.equals("current")) {
            b.append(" &middot; ").append(link("/snapshots/diff?id=" + esc(id) + "&against=current", "Diff against now"))
                    .append(" &middot; ").append(link("/snapshots/diff?id=" + esc(id) + "&against=previous",
                            "Diff against the one before"));
        }
        b.append("</p>");
        if (!id.equals("current")) {
            b.append(rollbackForm(r.session(), Long.parseLong(id)));
        }
        b.append("<pre class=\"yaml\" id=\"snapshot-text\">").append(esc(text.get())).append("</pre>");
        r.html(HttpServletResponse.SC_OK, Html.page("Snapshot", r.session(), b.toString()));
    }

    void diff(Request r) throws IOException {
        ConfigEditor e = viewable(r);
        if (e == null) {
            return;
        }
        String id = r.req().getParameter("id");
        String against = Optional.ofNullable(r.req().getParameter("against")).orElse("current");
        if (against.equals("previous") && id != null && ID.matcher(id).matches()) {
            long mine = Long.parseLong(id);
            against = e.snapshots().stream().filter(s -> s.id() < mine).findFirst().map(s -> Long.toString(s.id()))
                    .orElse("none");
        }
        Optional<String> a = text(e, against);
        Optional<String> b = text(e, id);
        if (b.isEmpty()) {
            notFound(r, id);
            return;
        }
        if (a.isEmpty()) {
            notFound(r, against.equals("none") ? "before " + id : against);
            return;
        }
        String from = label(against);
        String to = label(id);
        String diff = LineDiff.unified(a.get(), b.get(), from, to, 3);
        StringBuilder page = new StringBuilder("<h1>Changes from ").append(esc(from)).append(" to ").append(esc(to))
                .append("</h1><p>").append(link("/snapshots", "All snapshots")).append("</p>");
        if (diff.isEmpty()) {
            page.append("<p id=\"diff\" class=\"ok\">No difference: the two are the same text.</p>");
        } else {
            page.append("<pre class=\"diff\" id=\"diff\">");
            for (String line : diff.split("\n", -1)) {
                String cls = line.startsWith("+++") || line.startsWith("---") ? "file" : line.startsWith("@@") ? "hunk"
                        : line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : "same";
                page.append("<span class=\"").append(cls).append("\">").append(esc(line)).append("</span>\n");
            }
            page.append("</pre>");
        }
        r.html(HttpServletResponse.SC_OK, Html.page("Diff", r.session(), page.toString()));
    }

    void download(Request r) throws IOException {
        String id = r.req().getParameter("id");
        Optional<String> text = requested(r, id);
        if (text.isEmpty()) {
            return;
        }
        sendYaml(r, text.get(), id.equals("current") ? "cell.yaml" : "cell-snapshot-" + id + ".yaml");
    }

    /** POST: a whole cell.yaml (pasted or read from a chosen file into the text field), checked only or applied. */
    void upload(Request r) throws IOException {
        Identity who = r.session().identity();
        ConfigEditor e = editor.get();
        if (e == null) {
            render(r, HttpServletResponse.SC_SERVICE_UNAVAILABLE, null, "The configuration editor is not running; "
                    + "nothing was changed.", null);
            return;
        }
        String yaml = Optional.ofNullable(r.req().getParameter("yaml")).orElse("");
        if (yaml.isBlank()) {
            render(r, HttpServletResponse.SC_BAD_REQUEST, null, "cell.yaml: the file is empty; choose a file or paste "
                    + "its text. Nothing was changed.", null);
            return;
        }
        if (yaml.length() > MAX_YAML) {
            render(r, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, null, "cell.yaml: more than " + MAX_YAML
                    + " characters. Nothing was changed.", null);
            return;
        }
        // Browsers send text fields with CR LF line ends.
        yaml = yaml.replace("\r\n", "\n");
        String reason = reason(r.req().getParameter("reason"), "uploaded in the console");
        boolean checkOnly = "check".equals(r.req().getParameter("action"));
        Optional<String> denied = authorize(who, ConsoleKeys.CHANNEL_CONSOLE, r.source(), e.current().text(), yaml,
                checkOnly ? "config.check" : "config.upload");
        if (denied.isPresent()) {
            render(r, HttpServletResponse.SC_FORBIDDEN, null, denied.get(), null);
            return;
        }
        if (checkOnly) {
            LoadResult check = e.check(yaml);
            if (check.isValid()) {
                render(r, HttpServletResponse.SC_OK, "Valid: the file can be applied (nothing was written).", null, null);
            } else {
                render(r, HttpServletResponse.SC_BAD_REQUEST, null, "Invalid: " + count(check.errors())
                        + ". Nothing was written.", check.errors());
            }
            return;
        }
        ChangeResult result = e.change(yaml, r.req().getParameter("hash"), who.name(), reason + " (console)");
        LOG.info("console: cell.yaml uploaded by {} from {}: {}", who.name(), r.source(), result.outcome());
        showResult(r, result);
    }

    /** POST: restore one snapshot as a new change. */
    void rollback(Request r) throws IOException {
        Identity who = r.session().identity();
        ConfigEditor e = editor.get();
        String id = r.req().getParameter("id");
        if (e == null) {
            render(r, HttpServletResponse.SC_SERVICE_UNAVAILABLE, null, "The configuration editor is not running; "
                    + "nothing was changed.", null);
            return;
        }
        if (id == null || !ID.matcher(id).matches()) {
            render(r, HttpServletResponse.SC_BAD_REQUEST, null, "id: '" + Values.clip(String.valueOf(id))
                    + "' is not a snapshot number. Nothing was changed.", null);
            return;
        }
        Optional<String> text = e.snapshotText(Long.parseLong(id));
        if (text.isEmpty()) {
            render(r, HttpServletResponse.SC_NOT_FOUND, null, "id: there is no snapshot " + id
                    + ". Nothing was changed.", null);
            return;
        }
        Optional<String> denied = authorize(who, ConsoleKeys.CHANNEL_CONSOLE, r.source(), e.current().text(),
                text.get(), "config.rollback");
        if (denied.isPresent()) {
            render(r, HttpServletResponse.SC_FORBIDDEN, null, denied.get(), null);
            return;
        }
        ChangeResult result = e.rollback(Long.parseLong(id), who.name());
        LOG.info("console: rollback to snapshot {} by {} from {}: {}", id, who.name(), r.source(), result.outcome());
        showResult(r, result);
    }

    private void showResult(Request r, ChangeResult result) throws IOException {
        switch (result.outcome()) {
            case APPLIED -> render(r, HttpServletResponse.SC_OK, result.message(), null, null);
            case INVALID -> render(r, HttpServletResponse.SC_BAD_REQUEST, null, "Not applied: the file is invalid ("
                    + count(result.errors()) + "); nothing was written.", result.errors());
            case CONFLICT -> render(r, HttpServletResponse.SC_CONFLICT, null, result.message(), null);
            case ROLLED_BACK -> render(r, HttpServletResponse.SC_CONFLICT, null, "Rolled back: " + result.message(), null);
            case FAILED -> render(r, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, null, result.message(), null);
        }
    }

    private void render(Request r, int status, String info, String error, List<ConfigError> errors) throws IOException {
        Identity who = r.session().identity();
        StringBuilder b = new StringBuilder(8192).append("<h1>Snapshots</h1>");
        if (info != null) {
            b.append(Html.message("info", "message", info));
        }
        if (error != null) {
            b.append(Html.message("error", "error", error));
        }
        if (errors != null && !errors.isEmpty()) {
            b.append("<ul id=\"errors\" class=\"errors\">");
            for (ConfigError e : errors) {
                b.append("<li>").append(esc(e)).append("</li>");
            }
            b.append("</ul>");
        }
        ConfigEditor e = editor.get();
        if (e == null) {
            b.append("<p class=\"hint\">The configuration editor is not running.</p>");
            r.html(status, Html.page("Snapshots", r.session(), b.toString()));
            return;
        }
        if (!mayView(who, r.source())) {
            b.append("<p class=\"hint\" id=\"not-allowed\">Shown to users the access policy allows to configure the cell "
                    + "or to read the audit trail.</p>");
            r.html(status == HttpServletResponse.SC_OK ? HttpServletResponse.SC_FORBIDDEN : status,
                    Html.page("Snapshots", r.session(), b.toString()));
            return;
        }
        ConfigEditor.Current current = e.current();
        List<Snapshot> all = e.snapshots();
        b.append("<section class=\"card\"><h2>Applied configurations</h2>")
                .append("<p class=\"hint\">Every configuration the gateway applied, newest first: changes from this console "
                        + "and the REST API, edits of cell.yaml on disk (by <code>file</code>) and automatic rollbacks (by "
                        + "<code>system</code>). The newest 100 are kept. cell.yaml now: <code id=\"current-hash\">")
                .append(esc(shortHash(current.sha256()))).append("</code> ")
                .append(link("/snapshots/view?id=current", "view")).append(" &middot; ")
                .append(link("/snapshots/download?id=current", "download")).append("</p>");
        if (all.isEmpty()) {
            b.append("<p id=\"snapshots\">No snapshots yet (the gateway keeps them in its state directory).</p>");
        } else {
            b.append("<table id=\"snapshots\"><thead><tr><th>#</th><th>Time</th><th>Who</th><th>Reason</th><th>SHA-256</th>")
                    .append("<th></th></tr></thead><tbody>");
            // The newest snapshot with the running file's text is the running one; older ones with it are the same text.
            long runningId = all.stream().filter(s -> s.sha256().equals(current.sha256())).mapToLong(Snapshot::id)
                    .findFirst().orElse(-1);
            for (Snapshot s : all) {
                boolean running = s.id() == runningId;
                boolean same = !running && s.sha256().equals(current.sha256());
                b.append("<tr data-snapshot=\"").append(s.id()).append("\"").append(running ? " class=\"running\"" : "")
                        .append("><td>").append(s.id()).append("</td><td>").append(Pages.time(s.time()))
                        .append("</td><td class=\"who\">").append(esc(s.identity())).append("</td><td class=\"reason\">")
                        .append(esc(s.reason())).append(running ? " <em>(running)</em>" : same ? " <em>(same as now)</em>" : "")
                        .append("</td><td><code title=\"").append(esc(s.sha256())).append("\">")
                        .append(esc(shortHash(s.sha256()))).append("</code></td><td class=\"actions\">")
                        .append(link("/snapshots/view?id=" + s.id(), "view")).append(" ")
                        .append(link("/snapshots/diff?id=" + s.id() + "&against=previous", "diff previous")).append(" ")
                        .append(link("/snapshots/diff?id=" + s.id() + "&against=current", "diff now")).append(" ")
                        .append(link("/snapshots/download?id=" + s.id(), "download"));
                if (!running && !same) {
                    b.append(rollbackForm(r.session(), s.id()));
                }
                b.append("</td></tr>");
            }
            b.append("</tbody></table>");
        }
        b.append("</section><section class=\"card\"><h2>Upload a cell.yaml</h2>")
                .append("<p class=\"hint\">The whole file is checked first (with the gateway's device profiles); only a valid "
                        + "file is written and applied, as a new snapshot. A change of the opcua, mqtt, sparkplug, firewall "
                        + "or console section is rolled back automatically when the gateway does not reconnect to its MQTT "
                        + "broker (or OPC UA server) within the confirmation time.</p>")
                .append("<form method=\"post\" action=\"/snapshots/upload\" id=\"upload-form\">").append(Html.csrf(r.session()))
                .append("<input type=\"hidden\" name=\"hash\" value=\"").append(esc(current.sha256())).append("\">")
                .append("<label>cell.yaml file <input type=\"file\" id=\"upload-file\" accept=\".yaml,.yml,text/yaml\" "
                        + "data-fill=\"upload-text\"></label>")
                .append("<label>or its text <textarea name=\"yaml\" id=\"upload-text\" rows=\"12\" spellcheck=\"false\">")
                .append("</textarea></label>")
                .append("<label>Reason <input name=\"reason\" id=\"upload-reason\" maxlength=\"200\" "
                        + "placeholder=\"e.g. new broker address\"></label>")
                .append("<button type=\"submit\" name=\"action\" value=\"check\" id=\"upload-check\">Check only</button> ")
                .append("<button type=\"submit\" name=\"action\" value=\"apply\" id=\"upload-apply\">Check and apply</button>")
                .append("</form></section>");
        r.html(status, Html.page("Snapshots", r.session(), b.toString()));
    }

    private static String rollbackForm(Session session, long id) {
        return "<form method=\"post\" action=\"/snapshots/rollback\" class=\"inline\">" + Html.csrf(session)
                + "<input type=\"hidden\" name=\"id\" value=\"" + id + "\"><button type=\"submit\" id=\"rollback-" + id
                + "\">Roll back to this</button></form>";
    }

    // ---------------------------------------------------------------- REST

    /** {@code /api/v1/snapshots}, {@code /api/v1/snapshots/{id}}, {@code .../rollback}, {@code /api/v1/config}. */
    boolean handle(Request r, Identity who, String channel, String path) throws IOException {
        String method = r.req().getMethod();
        boolean post = method.equals("POST");
        if (path.equals("/api/v1/config")) {
            if (post) {
                postConfig(r, who, channel);
            } else if (apiViewable(r, who)) {
                ConfigEditor.Current c = editor.get().current();
                r.resp().setHeader("ETag", "\"" + c.sha256() + "\"");
                sendYaml(r, c.text(), "cell.yaml");
            }
            return true;
        }
        if (path.equals("/api/v1/snapshots")) {
            if (post) {
                Api.methodNotAllowed(r, method, "GET");
            } else if (apiViewable(r, who)) {
                ConfigEditor e = editor.get();
                ConfigEditor.Current c = e.current();
                r.json(HttpServletResponse.SC_OK, Json.write(g -> {
                    g.writeStartObject();
                    g.writeStringField("current", c.sha256());
                    g.writeArrayFieldStart("snapshots");
                    for (Snapshot s : e.snapshots()) {
                        snapshotJson(g, s, null);
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }));
            }
            return true;
        }
        if (!path.startsWith("/api/v1/snapshots/")) {
            return false;
        }
        Matcher m = API_SNAPSHOT.matcher(path);
        if (!m.matches()) {
            r.json(HttpServletResponse.SC_NOT_FOUND, Json.error("path: " + Values.clip(path)
                    + " is not /api/v1/snapshots/{id} or /api/v1/snapshots/{id}/rollback (id: a snapshot number)"));
            return true;
        }
        long id = Long.parseLong(m.group(1));
        boolean rollback = m.group(2) != null;
        if (rollback != post) {
            Api.methodNotAllowed(r, method, rollback ? "POST" : "GET");
            return true;
        }
        ConfigEditor e = editor.get();
        if (e == null) {
            unavailable(r);
            return true;
        }
        Optional<String> text = e.snapshotText(id);
        Optional<Snapshot> snapshot = e.snapshots().stream().filter(s -> s.id() == id).findFirst();
        if (rollback) {
            if (text.isEmpty()) {
                r.json(HttpServletResponse.SC_NOT_FOUND, Json.error("id: there is no snapshot " + id));
                return true;
            }
            Optional<String> denied = authorize(who, channel, r.source(), e.current().text(), text.get(),
                    "config.rollback");
            if (denied.isPresent()) {
                r.json(HttpServletResponse.SC_FORBIDDEN, Json.error(denied.get()));
                return true;
            }
            resultJson(r, e.rollback(id, who.name()));
        } else if (apiViewable(r, who)) {
            if (text.isEmpty() || snapshot.isEmpty()) {
                r.json(HttpServletResponse.SC_NOT_FOUND, Json.error("id: there is no snapshot " + id));
                return true;
            }
            r.json(HttpServletResponse.SC_OK, Json.write(g -> snapshotJson(g, snapshot.get(), text.get())));
        }
        return true;
    }

    /** The whole new cell.yaml as the body, If-Match with the SHA-256 it was made from (GET /api/v1/config's ETag). */
    private void postConfig(Request r, Identity who, String channel) throws IOException {
        ConfigEditor e = editor.get();
        if (e == null) {
            unavailable(r);
            return;
        }
        String type = Optional.ofNullable(r.req().getContentType()).orElse("").toLowerCase(Locale.ROOT);
        if (!(type.startsWith("application/yaml") || type.startsWith("application/x-yaml") || type.startsWith("text/yaml")
                || type.startsWith("text/plain"))) {
            r.json(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, Json.error("Content-Type: expected application/yaml "
                    + "(the whole cell.yaml), got " + Values.clip(type.isEmpty() ? "none" : type)));
            return;
        }
        String ifMatch = r.req().getHeader("If-Match");
        if (ifMatch == null || ifMatch.isBlank()) {
            r.json(428, Json.error("If-Match: required - the SHA-256 of the cell.yaml the change was made from (the ETag "
                    + "of GET /api/v1/config), so that a change made meanwhile by someone else is not overwritten"));
            return;
        }
        byte[] body;
        try (InputStream in = r.req().getInputStream()) {
            body = in.readNBytes(MAX_YAML + 1);
        }
        if (body.length > MAX_YAML) {
            r.json(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, Json.error("body: more than " + MAX_YAML + " bytes"));
            return;
        }
        String yaml = new String(body, StandardCharsets.UTF_8);
        Optional<String> denied = authorize(who, channel, r.source(), e.current().text(), yaml, "config.change");
        if (denied.isPresent()) {
            r.json(HttpServletResponse.SC_FORBIDDEN, Json.error(denied.get()));
            return;
        }
        String hash = ifMatch.strip().replace("\"", "");
        resultJson(r, e.change(yaml, hash, who.name(), reason(r.req().getHeader("X-Change-Reason"), "REST API")
                + " (" + channel + ")"));
    }

    private static void resultJson(Request r, ChangeResult result) throws IOException {
        int status = switch (result.outcome()) {
            case APPLIED -> HttpServletResponse.SC_OK;
            case INVALID -> HttpServletResponse.SC_BAD_REQUEST;
            case CONFLICT -> HttpServletResponse.SC_PRECONDITION_FAILED;
            case ROLLED_BACK -> HttpServletResponse.SC_CONFLICT;
            case FAILED -> HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        };
        r.json(status, Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("outcome", result.outcome().name());
            g.writeStringField("message", result.message());
            if (result.snapshot().isPresent()) {
                g.writeFieldName("snapshot");
                snapshotJson(g, result.snapshot().get(), null);
            }
            if (!result.errors().isEmpty()) {
                g.writeArrayFieldStart("errors");
                for (ConfigError e : result.errors()) {
                    g.writeStartObject();
                    g.writeStringField("file", e.file());
                    g.writeNumberField("line", e.line());
                    g.writeNumberField("column", e.column());
                    g.writeStringField("path", e.path());
                    g.writeStringField("message", e.message());
                    g.writeStringField("text", e.toString());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (result.outcome() != ConfigEditor.Outcome.APPLIED) {
                g.writeStringField("error", result.message());
            }
            g.writeEndObject();
        }));
    }

    private static void snapshotJson(com.fasterxml.jackson.core.JsonGenerator g, Snapshot s, String text)
            throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", s.id());
        g.writeStringField("time", s.time().toString());
        g.writeStringField("identity", s.identity());
        g.writeStringField("reason", s.reason());
        g.writeStringField("sha256", s.sha256());
        if (text != null) {
            g.writeStringField("text", text);
        }
        g.writeEndObject();
    }

    private boolean apiViewable(Request r, Identity who) throws IOException {
        if (editor.get() == null) {
            unavailable(r);
            return false;
        }
        if (!mayView(who, r.source())) {
            r.json(HttpServletResponse.SC_FORBIDDEN, Json.error("snapshots: the access policy allows them to those who "
                    + "may configure the cell or read the audit trail"));
            return false;
        }
        return true;
    }

    private static void unavailable(Request r) throws IOException {
        r.json(HttpServletResponse.SC_SERVICE_UNAVAILABLE, Json.error("configuration: the configuration editor is not "
                + "running; nothing was changed"));
    }

    // ---------------------------------------------------------------- policy

    /**
     * Reading snapshots (the cell's configuration and its history): for those who may configure some part of it or
     * read the audit trail. Previews: nothing is spent or recorded.
     */
    private boolean mayView(Identity who, String source) {
        return Menu.mayViewSnapshots(guard, who, source);
    }

    /**
     * Asks the policy for every top-level section that differs between the running file and the new one; the first
     * refusal is recorded and returned as the message. A file whose sections cannot be told apart line by line needs
     * every section.
     */
    private Optional<String> authorize(Identity who, String channel, String source, String before, String after,
            String action) {
        for (String section : TopLevelSections.changed(before, after)) {
            Action a = section.equals("access") ? Action.MANAGE_POLICY : Action.CONFIGURE;
            Decision d = guard.decide(who, a, Resource.section(section), channel, source, null);
            if (!d.allowed()) {
                return Optional.of("Not allowed: " + a.key() + " on section '" + section + "' ("
                        + guard.denied(who, source, action, section, d) + "). Nothing was changed.");
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- helpers

    private ConfigEditor viewable(Request r) throws IOException {
        ConfigEditor e = editor.get();
        if (e == null || !mayView(r.session().identity(), r.source())) {
            render(r, e == null ? HttpServletResponse.SC_SERVICE_UNAVAILABLE : HttpServletResponse.SC_FORBIDDEN, null,
                    null, null);
            return null;
        }
        return e;
    }

    /** The text of snapshot {@code id} (or {@code current}) for this user; empty when the answer was sent already. */
    private Optional<String> requested(Request r, String id) throws IOException {
        ConfigEditor e = viewable(r);
        if (e == null) {
            return Optional.empty();
        }
        Optional<String> text = text(e, id);
        if (text.isEmpty()) {
            notFound(r, id);
        }
        return text;
    }

    /** A snapshot's text, or the running file's for {@code current}. */
    private static Optional<String> text(ConfigEditor e, String id) {
        if ("current".equals(id)) {
            return Optional.of(e.current().text());
        }
        if (id == null || !ID.matcher(id).matches()) {
            return Optional.empty();
        }
        return e.snapshotText(Long.parseLong(id));
    }

    private void notFound(Request r, String id) throws IOException {
        render(r, HttpServletResponse.SC_NOT_FOUND, null, "id: there is no snapshot " + Values.clip(String.valueOf(id))
                + ".", null);
    }

    private static void sendYaml(Request r, String text, String fileName) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        r.resp().setStatus(HttpServletResponse.SC_OK);
        r.resp().setContentType("application/yaml; charset=utf-8");
        r.resp().setHeader("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
        r.resp().setContentLength(bytes.length);
        r.resp().getOutputStream().write(bytes);
    }

    private static String label(String id) {
        return "current".equals(id) ? "cell.yaml now" : "snapshot " + id;
    }

    private static String link(String href, String text) {
        return "<a href=\"" + href + "\">" + esc(text) + "</a>";
    }

    private static String reason(String given, String dflt) {
        String s = given == null ? "" : given.strip().replaceAll("\\p{Cntrl}", " ");
        return s.isEmpty() ? dflt : s.length() > 200 ? s.substring(0, 200) : s;
    }

    private static String count(List<ConfigError> errors) {
        return errors.size() + " error" + (errors.size() == 1 ? "" : "s");
    }

    private static String shortHash(String hash) {
        return hash.substring(0, Math.min(12, hash.length()));
    }
}
