package io.cellgate.console.internal;

import static io.cellgate.console.internal.Html.esc;

import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.console.internal.ConsoleServlet.Request;
import io.cellgate.console.internal.Devices.Outcome;
import io.cellgate.identity.Identity;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Devices and tags page: {@code /devices} lists the cell's devices with an "add device" form;
 * {@code /devices/device?id=} shows one device (edit, enable/disable, remove) with its tags (edit, test read, CSV
 * export and import). Every change goes through {@link Devices}; an invalid form comes back with what was entered,
 * each refused field marked with the reason, and nothing changed.
 */
final class DevicesPage {

    private final Devices devices;

    DevicesPage(Devices devices) {
        this.devices = devices;
    }

    // ---------------------------------------------------------------- GET

    void list(Request r) throws IOException {
        r.html(200, Html.page("Devices", r.session(), listBody(r, null, Map.of())));
    }

    void device(Request r) throws IOException {
        String id = r.req().getParameter("id");
        if (id == null || devices.find(id).isEmpty()) {
            notFound(r, id);
            return;
        }
        r.html(200, Html.page("Device " + id, r.session(), deviceBody(r, id, null, Map.of(), null)));
    }

    void export(Request r) throws IOException {
        String id = Optional.ofNullable(r.req().getParameter("id")).orElse("");
        Optional<String> csv = devices.exportCsv(id);
        if (csv.isEmpty()) {
            notFound(r, id);
            return;
        }
        DevicesApi.csv(r, id, csv.get());
    }

    // ---------------------------------------------------------------- POST

    void add(Request r) throws IOException {
        Map<String, String> form = form(r, DevicesApi.DEVICE_FIELDS);
        Outcome o = devices.create(who(r), ConsoleKeys.CHANNEL_CONSOLE, r.source(), form);
        if (o.ok()) {
            r.resp().sendRedirect("/devices/device?id=" + url(form.get("id")) + "&done=" + url(o.message()));
            return;
        }
        r.html(o.status(), Html.page("Devices", r.session(), listBody(r, o, form)));
    }

    void update(Request r) throws IOException {
        String id = r.req().getParameter("id");
        Map<String, String> form = form(r, DevicesApi.DEVICE_FIELDS);
        form.remove("id");
        after(r, id, devices.update(who(r), ConsoleKeys.CHANNEL_CONSOLE, r.source(), id, form), form, null);
    }

    void enabled(Request r) throws IOException {
        String id = r.req().getParameter("id");
        boolean enable = "true".equals(r.req().getParameter("enabled"));
        after(r, id, devices.setEnabled(who(r), ConsoleKeys.CHANNEL_CONSOLE, r.source(), id, enable), Map.of(), null);
    }

    void remove(Request r) throws IOException {
        String id = r.req().getParameter("id");
        if (id == null || devices.find(id).isEmpty()) {
            notFound(r, id);
            return;
        }
        if (!"yes".equals(r.req().getParameter("confirm"))) {
            // The confirmation step: nothing is changed by the first POST.
            r.html(200, Html.page("Remove " + id, r.session(), "<section class=\"card narrow\"><h1>Remove device "
                    + esc(id) + "?</h1><p id=\"confirm-text\">Its tags disappear from OPC UA and Sparkplug and it is no "
                    + "longer polled. The change is kept as a snapshot and can be rolled back.</p>"
                    + "<form method=\"post\" action=\"/devices/remove\" id=\"confirm-remove\">" + Html.csrf(r.session())
                    + hidden("id", id) + hidden("confirm", "yes") + "<button type=\"submit\" id=\"confirm-remove-button\" "
                    + "class=\"danger\">Remove " + esc(id) + "</button> <a href=\"/devices/device?id=" + esc(url(id))
                    + "\">Cancel</a></form></section>"));
            return;
        }
        Outcome o = devices.remove(who(r), ConsoleKeys.CHANNEL_CONSOLE, r.source(), id);
        if (o.ok()) {
            r.resp().sendRedirect("/devices?done=" + url(o.message()));
            return;
        }
        after(r, id, o, Map.of(), null);
    }

    void tag(Request r) throws IOException {
        String id = r.req().getParameter("id");
        String tag = r.req().getParameter("tag");
        Map<String, String> form = form(r, java.util.Set.copyOf(Devices.TAG_FIELDS));
        Outcome o = devices.editTag(who(r), ConsoleKeys.CHANNEL_CONSOLE, r.source(), id, tag, form);
        after(r, id, o, o.ok() ? Map.of() : prefixed(tag, form), tag);
    }

    void importCsv(Request r) throws IOException {
        String id = r.req().getParameter("id");
        String csv = r.req().getParameter("csv");
        Outcome o = devices.importCsv(who(r), ConsoleKeys.CHANNEL_CONSOLE, r.source(), id, csv);
        after(r, id, o, o.ok() || csv == null ? Map.of() : Map.of("csv", csv), null);
    }

    void read(Request r) throws IOException {
        String id = r.req().getParameter("id");
        String tag = r.req().getParameter("tag");
        if (id == null || devices.find(id).isEmpty()) {
            notFound(r, id);
            return;
        }
        Devices.Read read = devices.testRead(who(r), ConsoleKeys.CHANNEL_CONSOLE, r.source(), id, tag);
        r.html(read.value() == null ? read.status() : 200, Html.page("Device " + id, r.session(),
                deviceBody(r, id, null, Map.of(), read)));
    }

    /** After a change on the device page: back to it with the outcome (a redirect when applied). */
    private void after(Request r, String id, Outcome o, Map<String, String> entered, String tag) throws IOException {
        if (o.ok()) {
            r.resp().sendRedirect("/devices/device?id=" + url(id) + "&done=" + url(o.message()));
            return;
        }
        if (id == null || devices.find(id).isEmpty()) {
            r.html(o.status(), Html.page("Devices", r.session(), listBody(r, o, Map.of())));
            return;
        }
        r.html(o.status(), Html.page("Device " + id, r.session(), deviceBody(r, id, o, entered, null)));
    }

    // ---------------------------------------------------------------- rendering

    private String listBody(Request r, Outcome outcome, Map<String, String> entered) {
        Identity who = who(r);
        StringBuilder b = new StringBuilder(8192).append("<h1>Devices and tags</h1>");
        messages(b, r, outcome);
        if (!devices.available()) {
            return b.append(Html.message("error", "unavailable", "The configuration editor is not running: devices "
                    + "cannot be shown or changed from the console.")).toString();
        }
        b.append("<section class=\"card\"><table id=\"device-list\"><thead><tr><th>Device</th><th>Name</th><th>State</th>")
                .append("<th>Profile</th><th>Endpoint</th><th>Unit</th><th>Enabled</th></tr></thead><tbody>");
        for (Devices.Row row : devices.list()) {
            CellYaml.Entry e = row.entry();
            String state = row.state().map(s -> s.status().name()).orElse("NOT RUNNING");
            b.append("<tr data-device=\"").append(esc(row.id())).append("\"><td><a href=\"/devices/device?id=")
                    .append(esc(url(row.id()))).append("\">").append(esc(row.id())).append("</a></td><td>")
                    .append(esc(Optional.ofNullable(e.string("name")).orElse(""))).append("</td><td class=\"status ")
                    .append(esc(state.toLowerCase(Locale.ROOT).replace(' ', '-'))).append("\">").append(esc(state))
                    .append(row.state().map(s -> s.lastError() == null ? "" : " (" + s.lastError() + ")").map(Html::esc)
                            .orElse(""))
                    .append("</td><td>").append(esc(row.profile())).append("</td><td>").append(esc(row.endpoint()))
                    .append("</td><td>").append(esc(row.unitId())).append("</td><td class=\"enabled\">")
                    .append(e.enabled() ? "yes" : "no (disabled)").append("</td></tr>");
        }
        b.append("</tbody></table></section>");
        if (devices.mayConfigure(who, null, ConsoleKeys.CHANNEL_CONSOLE, r.source())) {
            Map<String, String> errors = errors(outcome);
            b.append("<section class=\"card\"><h2>Add a device</h2><form method=\"post\" action=\"/devices/add\" ")
                    .append("id=\"add-device\" novalidate>").append(Html.csrf(r.session()));
            b.append(input("id", "Device id", entered.get("id"), errors, "e.g. plc-2: letters, digits, _ - ., the first "
                    + "part of every tag path"));
            deviceFields(b, entered, errors);
            b.append("<button type=\"submit\" id=\"add-device-button\">Add device</button></form>")
                    .append(profileList())
                    .append("<p class=\"hint\">The device is written to cell.yaml, validated with its profile, applied and "
                            + "kept as a snapshot. Its tags come from the profile; the profile field offers every valid "
                            + "profile on the cell's profile search path.</p>").append(profileProblems())
                    .append("</section>");
        } else {
            b.append("<p class=\"hint\" id=\"read-only\">Read-only for you: adding and changing devices needs "
                    + "<code>configure</code> on <code>devices</code> (Engineer).</p>");
        }
        return b.toString();
    }

    private String deviceBody(Request r, String id, Outcome outcome, Map<String, String> entered, Devices.Read read) {
        Identity who = who(r);
        Devices.Row row = devices.find(id).orElseThrow();
        CellYaml.Entry e = row.entry();
        boolean may = devices.mayConfigure(who, id, ConsoleKeys.CHANNEL_CONSOLE, r.source());
        StringBuilder b = new StringBuilder(16384);
        b.append("<p><a href=\"/devices\">All devices</a></p><h1 id=\"device-title\">").append(esc(id)).append("</h1>");
        messages(b, r, outcome);
        if (read != null) {
            readResult(b, id, read);
        }
        String state = row.state().map(s -> s.status().name()).orElse("NOT RUNNING");
        b.append("<section class=\"card\"><dl id=\"device-summary\"><dt>State</dt><dd id=\"device-state\">").append(esc(state))
                .append(row.state().map(s -> s.lastError() == null ? "" : ": " + s.lastError()).map(Html::esc).orElse(""))
                .append("</dd><dt>Profile</dt><dd>").append(esc(row.profile())).append("</dd><dt>Endpoint</dt><dd>")
                .append(esc(row.endpoint())).append(", unit ").append(esc(row.unitId())).append("</dd><dt>Enabled</dt><dd id=\"device-enabled\">")
                .append(e.enabled() ? "yes" : "no (kept in cell.yaml, not polled)").append("</dd></dl>");
        if (may) {
            b.append("<form method=\"post\" action=\"/devices/enabled\" class=\"inline\">").append(Html.csrf(r.session()))
                    .append(hidden("id", id)).append(hidden("enabled", e.enabled() ? "false" : "true"))
                    .append("<button type=\"submit\" id=\"toggle-enabled\">").append(e.enabled() ? "Disable" : "Enable")
                    .append("</button></form> <form method=\"post\" action=\"/devices/remove\" class=\"inline\">")
                    .append(Html.csrf(r.session())).append(hidden("id", id))
                    .append("<button type=\"submit\" id=\"remove-device\" class=\"danger\">Remove…</button></form>");
        }
        b.append("</section>");
        Map<String, String> errors = errors(outcome);
        // The tags first: their live values are what an admin checks after a change.
        tags(b, r, id, e, may, entered, errors);
        if (may) {
            Map<String, String> values = new LinkedHashMap<>();
            values.put("name", e.string("name"));
            values.put("profile", e.string("profile"));
            e.map("endpoint").forEach((k, v) -> values.put(k, String.valueOf(v)));
            values.put("unitId", e.string("unitId"));
            Map<String, Object> groups = e.map("pollGroups");
            if (!groups.isEmpty()) {
                values.put("pollGroups", String.join(", ", groups.entrySet().stream().map(g -> g.getKey() + "=" + g.getValue())
                        .toList()));
            }
            boolean tagForm = entered.keySet().stream().anyMatch(k -> k.startsWith("tag.") || k.equals("csv"));
            if (!entered.isEmpty() && !tagForm) {
                values.putAll(entered);
            }
            b.append("<section class=\"card\"><h2>Edit device</h2><form method=\"post\" action=\"/devices/update\" ")
                    .append("id=\"edit-device\" novalidate>").append(Html.csrf(r.session())).append(hidden("id", id));
            deviceFields(b, values, tagForm ? Map.of() : errors);
            b.append("<button type=\"submit\" id=\"save-device\">Save</button></form>").append(profileList())
                    .append("</section>");
        }
        return b.toString();
    }

    private void tags(StringBuilder b, Request r, String id, CellYaml.Entry e, boolean may, Map<String, String> entered,
            Map<String, String> errors) {
        b.append("<section class=\"card\"><h2>Tags</h2>");
        Optional<DeviceProfile> profile = devices.profile(e.string("profile"));
        if (profile.isEmpty()) {
            b.append("<p class=\"hint\" id=\"no-profile\">Profile ").append(esc(e.string("profile")))
                    .append(" is not loaded by the gateway yet.</p></section>");
            return;
        }
        Map<String, Object> overrides = e.map("tags");
        b.append("<table id=\"device-tags\" data-refresh=\"/api/v1/tags\"><thead><tr><th>Tag</th><th>Address</th><th>Type</th>")
                .append("<th>Description</th><th>Unit</th><th>Scale / offset</th><th>Access</th><th>Value</th><th>Quality</th>")
                .append("<th>Source time</th><th></th></tr></thead><tbody>");
        for (TagDefinition t : profile.get().tags()) {
            String path = id + "/" + t.name();
            @SuppressWarnings("unchecked")
            Map<String, Object> o = overrides.get(t.name()) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            Optional<TagValue> v = devices.value(who(r), TagPath.parse(path), ConsoleKeys.CHANNEL_CONSOLE, r.source());
            b.append("<tr data-path=\"").append(esc(path)).append("\" data-tag=\"").append(esc(t.name())).append("\"><td>")
                    .append(esc(t.name())).append(o.isEmpty() ? "" : " <span class=\"hint\">(changed for this device)</span>")
                    .append("</td><td>").append(esc(TagCsv.effective(t, o, "area"))).append(' ').append(t.address())
                    .append("</td><td>").append(esc(TagCsv.effective(t, o, "type"))).append("</td><td>")
                    .append(esc(TagCsv.effective(t, o, "description"))).append("</td><td>").append(esc(TagCsv.effective(t, o, "unit")))
                    .append("</td><td>").append(esc(TagCsv.effective(t, o, "scale"))).append(" / ")
                    .append(esc(TagCsv.effective(t, o, "offset"))).append("</td><td>").append(esc(TagCsv.effective(t, o, "access")))
                    .append("</td><td class=\"value\">").append(v.filter(TagValue::isGood).map(x -> esc(x.value())).orElse(""))
                    .append("</td><td class=\"quality ").append(v.map(x -> esc(x.quality().name().toLowerCase(Locale.ROOT))).orElse(""))
                    .append("\">").append(v.map(x -> esc(Pages.quality(x))).orElse("no value yet")).append("</td><td class=\"time\">")
                    .append(v.map(x -> Pages.time(x.sourceTime())).orElse("")).append("</td><td>");
            if (may) {
                b.append("<form method=\"post\" action=\"/devices/read\" class=\"inline\">").append(Html.csrf(r.session()))
                        .append(hidden("id", id)).append(hidden("tag", t.name()))
                        .append("<button type=\"submit\" class=\"test-read\">Test read</button></form>");
            }
            b.append("</td></tr>");
        }
        b.append("</tbody></table><p class=\"hint\">Values refresh every 2 seconds. <strong>Test read</strong> reads the tag "
                + "from the device now (read-only, through the device's session).</p>");
        if (may) {
            tagEditor(b, r, id, profile.get(), overrides, entered, errors);
            b.append("<h3>Tag list as CSV</h3><p><a href=\"/devices/export?id=").append(esc(url(id)))
                    .append("\" id=\"export-csv\" download>Export CSV</a></p>")
                    .append("<form method=\"post\" action=\"/devices/import\" id=\"import-csv\" novalidate>")
                    .append(Html.csrf(r.session())).append(hidden("id", id))
                    .append("<label>CSV file <input type=\"file\" accept=\".csv,text/csv\" id=\"csv-file\" data-csv-into=\"csv\"></label>")
                    .append("<label>or paste it <textarea name=\"csv\" id=\"csv\" rows=\"6\" cols=\"100\" spellcheck=\"false\">")
                    .append(esc(entered.getOrDefault("csv", ""))).append("</textarea></label>");
            csvErrors(b, errors);
            b.append("<button type=\"submit\" id=\"import-button\">Import</button></form><p class=\"hint\">Columns: ")
                    .append(esc(String.join(", ", TagCsv.COLUMNS))).append(". One row per tag of the profile; name, area, "
                            + "address and type must match the profile; an empty cell means the profile's value. Every row "
                            + "is checked; one bad cell and nothing is imported.</p>");
        }
        b.append("</section>");
    }

    private void tagEditor(StringBuilder b, Request r, String id, DeviceProfile profile, Map<String, Object> overrides,
            Map<String, String> entered, Map<String, String> errors) {
        String selected = Optional.ofNullable(r.req().getParameter("tag")).orElse(profile.tags().get(0).name());
        Optional<TagDefinition> def = profile.tag(selected);
        if (def.isEmpty()) {
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> o = overrides.get(selected) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        b.append("<h3>Edit a tag</h3><form method=\"get\" action=\"/devices/device\" class=\"inline\">").append(hidden("id", id))
                .append("<label>Tag <select name=\"tag\" id=\"tag-select\">");
        for (TagDefinition t : profile.tags()) {
            b.append("<option").append(t.name().equals(selected) ? " selected" : "").append(">").append(esc(t.name()))
                    .append("</option>");
        }
        b.append("</select></label> <button type=\"submit\" id=\"choose-tag\">Choose</button></form>")
                .append("<form method=\"post\" action=\"/devices/tag\" id=\"edit-tag\" novalidate>").append(Html.csrf(r.session()))
                .append(hidden("id", id)).append(hidden("tag", selected));
        for (String f : Devices.TAG_FIELDS) {
            String shown = entered.containsKey("tag." + f) ? entered.get("tag." + f)
                    : o.containsKey(f) ? TagCsv.effective(def.get(), o, f) : "";
            b.append(input(f, f, shown, errors, "profile: " + Optional.of(TagCsv.effective(def.get(), Map.of(), f))
                    .filter(s -> !s.isEmpty()).orElse("(none)")));
        }
        b.append("<button type=\"submit\" id=\"save-tag\">Save tag</button></form><p class=\"hint\">Empty = the profile's "
                + "value. The register map (area, address, type) is the profile's. <code>read_write</code> is possible for "
                + "coils and holding registers only, and writes still pass the access policy.</p>");
    }

    private void deviceFields(StringBuilder b, Map<String, String> v, Map<String, String> errors) {
        b.append(input("name", "Name", v.get("name"), errors, "optional display name"))
                .append(input("profile", "Profile", v.get("profile"), errors, "the device type's register map"))
                .append(select("protocol", "Protocol", Optional.ofNullable(v.get("protocol")).orElse("modbus-tcp"),
                        Devices.PROTOCOLS, errors))
                .append("<fieldset><legend>Modbus TCP / RTU over TCP</legend>")
                .append(input("host", "Host", v.get("host"), errors, "IP address or host name"))
                .append(input("port", "Port", v.get("port"), errors, "default 502"))
                .append("</fieldset><fieldset><legend>Modbus RTU (serial)</legend>")
                .append(input("serialPort", "Serial port", v.get("serialPort"), errors, "e.g. /dev/ttyUSB0"))
                .append(input("baudRate", "Baud rate", v.get("baudRate"), errors, "e.g. 19200"))
                .append(input("parity", "Parity", v.get("parity"), errors, "none, even or odd"))
                .append(input("dataBits", "Data bits", v.get("dataBits"), errors, "7 or 8, default 8"))
                .append(input("stopBits", "Stop bits", v.get("stopBits"), errors, "1 or 2, default 1"))
                .append("</fieldset>")
                .append(input("unitId", "Unit id", v.get("unitId"), errors, "default 1"))
                .append(input("pollGroups", "Poll groups", v.get("pollGroups"), errors, "optional, e.g. fast=500ms; the cell's: "
                        + String.join(", ", devices.pollGroups())));
    }

    /** The profile field's choices: id — vendor model, from every valid profile on the search path. */
    private String profileList() {
        StringBuilder b = new StringBuilder("<datalist id=\"profiles\">");
        for (DeviceProfile p : devices.profileChoices()) {
            b.append("<option value=\"").append(esc(p.id())).append("\">").append(esc(profileLabel(p)))
                    .append("</option>");
        }
        return b.append("</datalist>").toString();
    }

    /** {@code id — vendor model}, or just the id when the profile names neither. */
    static String profileLabel(DeviceProfile p) {
        String maker = java.util.stream.Stream.of(p.vendor(), p.model()).filter(s -> s != null && !s.isBlank())
                .collect(java.util.stream.Collectors.joining(" "));
        return maker.isEmpty() ? p.id() : p.id() + " \u2014 " + maker;
    }

    /** The invalid profile files that are not offered, so that an admin knows why one is missing. */
    private String profileProblems() {
        List<String> problems = devices.profileProblems();
        if (problems.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<div class=\"hint\" id=\"profile-problems\">Not offered, invalid profile "
                + "files on the search path:<ul>");
        for (String p : problems) {
            b.append("<li><code>").append(esc(p)).append("</code></li>");
        }
        return b.append("</ul></div>").toString();
    }

    private static String input(String name, String label, String value, Map<String, String> errors, String hint) {
        String error = errors.get(name);
        StringBuilder b = new StringBuilder("<label class=\"field").append(error == null ? "" : " invalid").append("\">")
                .append(esc(label)).append(" <input name=\"").append(esc(name)).append("\" id=\"f-").append(esc(name))
                .append("\" value=\"").append(esc(value == null ? "" : value)).append("\"")
                .append(name.equals("profile") ? " list=\"profiles\"" : "")
                .append(error == null ? "" : " aria-invalid=\"true\" aria-describedby=\"error-" + esc(name) + "\"")
                .append("> <span class=\"hint\">").append(esc(hint)).append("</span>");
        if (error != null) {
            b.append("<span class=\"field-error\" id=\"error-").append(esc(name)).append("\">").append(esc(name))
                    .append(": ").append(esc(error)).append("</span>");
        }
        return b.append("</label>").toString();
    }

    private static String select(String name, String label, String value, List<String> options, Map<String, String> errors) {
        StringBuilder b = new StringBuilder("<label class=\"field\">").append(esc(label)).append(" <select name=\"")
                .append(esc(name)).append("\" id=\"f-").append(esc(name)).append("\">");
        for (String o : options) {
            b.append("<option").append(o.equals(value) ? " selected" : "").append(">").append(esc(o)).append("</option>");
        }
        b.append("</select>");
        if (errors.containsKey(name)) {
            b.append("<span class=\"field-error\" id=\"error-").append(esc(name)).append("\">").append(esc(name))
                    .append(": ").append(esc(errors.get(name))).append("</span>");
        }
        return b.append("</label>").toString();
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + esc(name) + "\" value=\"" + esc(value) + "\">";
    }

    private static void readResult(StringBuilder b, String id, Devices.Read read) {
        b.append("<section class=\"card\" id=\"read-result\"><h2>Test read</h2>");
        if (read.value() == null) {
            b.append(Html.message("error", "read-error", read.message()));
        } else {
            TagValue v = read.value();
            b.append("<dl><dt>Value</dt><dd id=\"read-value\">").append(v.isGood() ? esc(v.value()) : "(none)")
                    .append("</dd><dt>Quality</dt><dd id=\"read-quality\">").append(esc(Pages.quality(v)))
                    .append("</dd><dt>Time</dt><dd id=\"read-time\">").append(Pages.time(v.sourceTime())).append("</dd></dl>");
        }
        b.append("</section>");
    }

    private static void messages(StringBuilder b, Request r, Outcome outcome) {
        String done = r.req().getParameter("done");
        // Only the console's own confirmation is shown: a link cannot make the page say something else.
        if (done != null && outcome == null && done.startsWith("Applied: ")) {
            b.append(Html.message("info", "message", done.length() > 300 ? done.substring(0, 300) : done));
        }
        if (outcome != null && !outcome.ok()) {
            b.append(Html.message("error", "error", outcome.message()));
            List<FieldError> general = outcome.errors().stream().filter(e -> !e.field().startsWith("row ")
                    && (e.field().contains(":") || e.field().contains(" ") || e.field().equals("device"))).toList();
            if (!general.isEmpty()) {
                b.append("<ul id=\"errors\" class=\"error\">");
                general.forEach(e -> b.append("<li>").append(esc(e.field())).append(": ").append(esc(e.reason())).append("</li>"));
                b.append("</ul>");
            }
        }
    }

    private static void csvErrors(StringBuilder b, Map<String, String> errors) {
        List<Map.Entry<String, String>> rows = errors.entrySet().stream().filter(e -> e.getKey().startsWith("row ")
                || e.getKey().equals("csv")).toList();
        if (!rows.isEmpty()) {
            b.append("<ul id=\"csv-errors\" class=\"field-error\">");
            rows.forEach(e -> b.append("<li>").append(esc(e.getKey())).append(": ").append(esc(e.getValue())).append("</li>"));
            b.append("</ul>");
        }
    }

    /** Field errors by field (the first per field); CSV errors by "row N, column C". */
    private static Map<String, String> errors(Outcome o) {
        Map<String, String> m = new LinkedHashMap<>();
        if (o != null) {
            for (FieldError e : o.errors()) {
                String field = e.field();
                // A tag's loader error (devices[i].tags.<tag>.<field>) is shown at the tag form's field.
                int dot = field.indexOf('.');
                if (dot > 0 && !field.startsWith("row ") && !field.contains(":")) {
                    field = field.substring(dot + 1);
                }
                m.putIfAbsent(field, e.reason());
            }
        }
        return m;
    }

    private static Map<String, String> prefixed(String tag, Map<String, String> form) {
        Map<String, String> m = new LinkedHashMap<>();
        form.forEach((k, v) -> m.put("tag." + k, v));
        return m;
    }

    /** The form's known fields that were sent (a field not sent stays as it is). */
    private static Map<String, String> form(Request r, java.util.Set<String> known) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : known) {
            String v = r.req().getParameter(k);
            if (v != null) {
                m.put(k, v);
            }
        }
        return m;
    }

    private void notFound(Request r, String id) throws IOException {
        r.html(HttpServletResponse.SC_NOT_FOUND, Html.page("Devices", r.session(), "<h1>Devices and tags</h1>"
                + Html.message("error", "error", "device: no device '" + Values.clip(String.valueOf(id)) + "' in cell.yaml")
                + "<p><a href=\"/devices\">All devices</a></p>"));
    }

    private static Identity who(Request r) {
        return r.session().identity();
    }

    private static String url(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }
}
