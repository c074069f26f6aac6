package io.cellgate.console.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import io.cellgate.api.tag.TagValue;
import io.cellgate.console.internal.ConsoleServlet.Request;
import io.cellgate.console.internal.Devices.Outcome;
import io.cellgate.identity.Identity;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/v1/devices}: the cell's devices and their tags, changed as on the Devices page (same policy, same
 * validation, same ConfigEditor change):
 * <ul>
 * <li>{@code GET /api/v1/devices}, {@code GET /api/v1/devices/{id}} (with its tags)</li>
 * <li>{@code POST /api/v1/devices} (create), {@code POST /api/v1/devices/{id}} (change the given fields),
 * {@code DELETE /api/v1/devices/{id}} or {@code POST /api/v1/devices/{id}/delete}</li>
 * <li>{@code GET|PUT|POST /api/v1/devices/{id}/tags.csv} (export, all-or-nothing import; body text/csv)</li>
 * <li>{@code POST /api/v1/devices/{id}/tags/{tag}} (a tag's overrides), {@code POST .../tags/{tag}/read} (test read)</li>
 * </ul>
 * Errors are {@code {"error": "...", "errors": [{"field": ..., "reason": ...}]}}.
 */
final class DevicesApi implements Api.Endpoint {

    static final String PATH = "/api/v1/devices";
    static final int MAX_BODY = 16 * 1024;
    static final Set<String> DEVICE_FIELDS = Set.of("id", "name", "profile", "enabled", "protocol", "host", "port",
            "serialPort", "baudRate", "parity", "dataBits", "stopBits", "unitId", "pollGroups");

    private final Devices devices;

    DevicesApi(Devices devices) {
        this.devices = devices;
    }

    @Override
    public boolean handle(Request r, Identity who, String channel, String path) throws IOException {
        if (!path.equals(PATH) && !path.startsWith(PATH + "/")) {
            return false;
        }
        if (!devices.available()) {
            r.json(HttpServletResponse.SC_SERVICE_UNAVAILABLE, Json.error("configuration: the configuration editor is not "
                    + "running"));
            return true;
        }
        String method = r.req().getMethod();
        boolean post = method.equals("POST");
        String[] parts = path.equals(PATH) ? new String[0] : path.substring(PATH.length() + 1).split("/", -1);
        if (parts.length == 0) {
            if (post) {
                form(r).ifPresent(f -> send(r, devices.create(who, channel, r.source(), f)));
            } else {
                list(r);
            }
        } else if (parts.length == 1) {
            if (post) {
                form(r).ifPresent(f -> send(r, devices.update(who, channel, r.source(), parts[0], f)));
            } else if (method.equals("DELETE")) {
                send(r, devices.remove(who, channel, r.source(), parts[0]));
            } else {
                one(r, parts[0]);
            }
        } else if (parts.length == 2 && parts[1].equals("delete")) {
            onlyPost(r, method, () -> send(r, devices.remove(who, channel, r.source(), parts[0])));
        } else if (parts.length == 2 && parts[1].equals("tags.csv")) {
            // PUT replaces the list as POST does (POST stays for the page and older scripts).
            if (post || method.equals("PUT")) {
                importCsv(r, who, channel, parts[0]);
            } else {
                exportCsv(r, parts[0]);
            }
        } else if (parts.length == 3 && parts[1].equals("tags")) {
            onlyPost(r, method, () -> tagForm(r).ifPresent(f -> send(r, devices.editTag(who, channel, r.source(), parts[0],
                    parts[2], f))));
        } else if (parts.length == 4 && parts[1].equals("tags") && parts[3].equals("read")) {
            onlyPost(r, method, () -> read(r, devices.testRead(who, channel, r.source(), parts[0], parts[2])));
        } else {
            r.json(HttpServletResponse.SC_NOT_FOUND, Json.error("path: no API resource " + Values.clip(path)));
        }
        return true;
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void onlyPost(Request r, String method, IoAction action) throws IOException {
        if (!method.equals("POST")) {
            Api.methodNotAllowed(r, method, "POST");
            return;
        }
        action.run();
    }

    private void list(Request r) throws IOException {
        List<Devices.Row> rows = devices.list();
        r.json(200, Json.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("devices");
            for (Devices.Row row : rows) {
                device(g, row, false);
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    private void one(Request r, String id) throws IOException {
        Optional<Devices.Row> row = devices.find(id);
        if (row.isEmpty()) {
            r.json(HttpServletResponse.SC_NOT_FOUND, Json.error("device: no device '" + Values.clip(id) + "' in cell.yaml"));
            return;
        }
        r.json(200, Json.write(g -> device(g, row.get(), true)));
    }

    private void device(JsonGenerator g, Devices.Row row, boolean withTags) throws IOException {
        CellYaml.Entry e = row.entry();
        g.writeStartObject();
        g.writeStringField("id", e.id());
        g.writeStringField("name", Optional.ofNullable(e.string("name")).orElse(e.id()));
        g.writeStringField("profile", e.string("profile"));
        g.writeBooleanField("enabled", e.enabled());
        g.writeObjectFieldStart("endpoint");
        for (var f : e.map("endpoint").entrySet()) {
            g.writeStringField(f.getKey(), String.valueOf(f.getValue()));
        }
        g.writeEndObject();
        g.writeStringField("unitId", row.unitId());
        if (!e.map("pollGroups").isEmpty()) {
            g.writeObjectFieldStart("pollGroups");
            for (var f : e.map("pollGroups").entrySet()) {
                g.writeStringField(f.getKey(), String.valueOf(f.getValue()));
            }
            g.writeEndObject();
        }
        g.writeStringField("state", row.state().map(s -> s.status().name()).orElse("NOT_RUNNING"));
        if (row.state().isPresent() && row.state().get().lastError() != null) {
            g.writeStringField("lastError", row.state().get().lastError());
        }
        if (withTags) {
            var profile = devices.profile(e.string("profile"));
            if (profile.isPresent()) {
                // The effective definitions: the profile's, with this device's overrides.
                List<List<String>> csv = TagCsv.rows(TagCsv.export(profile.get(), e.map("tags")));
                List<String> header = csv.get(0);
                g.writeArrayFieldStart("tags");
                for (List<String> rowCells : csv.subList(1, csv.size())) {
                    if (rowCells.size() != header.size()) {
                        continue;
                    }
                    g.writeStartObject();
                    for (int i = 0; i < header.size(); i++) {
                        if (!rowCells.get(i).isEmpty()) {
                            g.writeStringField(header.get(i), unquoteFormula(rowCells.get(i)));
                        }
                    }
                    g.writeBooleanField("overridden", e.map("tags").containsKey(rowCells.get(0)));
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
        }
        g.writeEndObject();
    }

    /** The CSV export defuses text a spreadsheet would evaluate ('=...'); JSON has no such problem. */
    private static String unquoteFormula(String s) {
        return s.length() > 1 && s.charAt(0) == '\'' && "=+-@".indexOf(s.charAt(1)) >= 0 ? s.substring(1) : s;
    }

    private void exportCsv(Request r, String id) throws IOException {
        Optional<String> csv = devices.exportCsv(id);
        if (csv.isEmpty()) {
            r.json(HttpServletResponse.SC_NOT_FOUND, Json.error("device: no device '" + Values.clip(id)
                    + "' with a loaded profile in cell.yaml"));
            return;
        }
        csv(r, id, csv.get());
    }

    /** Sends a tag list as a CSV download named after the device. */
    static void csv(Request r, String id, String csv) throws IOException {
        byte[] b = csv.getBytes(StandardCharsets.UTF_8);
        r.resp().setStatus(200);
        r.resp().setContentType("text/csv; charset=utf-8");
        r.resp().setHeader("Content-Disposition", "attachment; filename=\"" + id.replaceAll("[^A-Za-z0-9_.-]", "_")
                + "-tags.csv\"");
        r.resp().setContentLength(b.length);
        r.resp().getOutputStream().write(b);
    }

    private void importCsv(Request r, Identity who, String channel, String id) throws IOException {
        String type = r.req().getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("text/csv")) {
            r.json(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, Json.error("Content-Type: expected text/csv, got "
                    + Values.clip(String.valueOf(type))));
            return;
        }
        byte[] body;
        try (InputStream in = r.req().getInputStream()) {
            body = in.readNBytes(TagCsv.MAX_BYTES + 1);
        }
        if (body.length > TagCsv.MAX_BYTES) {
            r.json(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, Json.error("body: more than " + TagCsv.MAX_BYTES
                    + " bytes"));
            return;
        }
        send(r, devices.importCsv(who, channel, r.source(), id, new String(body, StandardCharsets.UTF_8)));
    }

    private static void read(Request r, Devices.Read read) throws IOException {
        if (read.value() == null) {
            r.json(read.status(), Json.error(read.message()));
            return;
        }
        TagValue v = read.value();
        r.json(200, Json.write(g -> {
            g.writeStartObject();
            g.writeBooleanField("ok", v.isGood());
            g.writeStringField("quality", v.quality().name());
            if (v.isGood() && v.value() != null) {
                g.writeStringField("value", String.valueOf(v.value()));
            } else if (!v.isGood()) {
                g.writeStringField("reason", v.reason().name());
                if (v.detail() != null) {
                    g.writeStringField("detail", v.detail());
                }
            }
            g.writeStringField("sourceTime", v.sourceTime().toString());
            g.writeStringField("display", Pages.quality(v));
            g.writeEndObject();
        }));
    }

    private static Optional<Map<String, String>> form(Request r) throws IOException {
        return body(r, DEVICE_FIELDS);
    }

    private static Optional<Map<String, String>> tagForm(Request r) throws IOException {
        return body(r, Set.copyOf(Devices.TAG_FIELDS));
    }

    /** A flat JSON object of the known fields, each one value; the 4xx answer is sent when it is not. */
    private static Optional<Map<String, String>> body(Request r, Set<String> known) throws IOException {
        Optional<String> body = Api.jsonBody(r, MAX_BODY);
        if (body.isEmpty()) {
            return Optional.empty();
        }
        Map<String, List<String>> fields;
        try {
            fields = ComponentsApi.fields(body.get());
        } catch (IllegalArgumentException e) {
            r.json(HttpServletResponse.SC_BAD_REQUEST, Json.error(e.getMessage()));
            return Optional.empty();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var f : fields.entrySet()) {
            if (!known.contains(f.getKey())) {
                r.json(HttpServletResponse.SC_BAD_REQUEST, Json.error(Values.clip(f.getKey()) + ": unknown field (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")"));
                return Optional.empty();
            }
            if (f.getValue().size() != 1) {
                r.json(HttpServletResponse.SC_BAD_REQUEST, Json.error(f.getKey() + ": expected one value, not a list"));
                return Optional.empty();
            }
            out.put(f.getKey(), f.getValue().get(0));
        }
        return Optional.of(out);
    }

    private static void send(Request r, Outcome o) {
        try {
            r.json(o.status(), Json.write(g -> {
                g.writeStartObject();
                if (o.ok()) {
                    g.writeBooleanField("ok", true);
                    g.writeStringField("message", o.message());
                } else {
                    g.writeStringField("error", o.errors().isEmpty() ? o.message()
                            : o.errors().get(0).field() + ": " + o.errors().get(0).reason());
                    Json.fieldErrors(g, o.errors());
                }
                g.writeEndObject();
            }));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
