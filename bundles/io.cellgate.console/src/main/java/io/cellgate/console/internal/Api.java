package io.cellgate.console.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.console.internal.ConsoleServlet.Request;
import io.cellgate.identity.AuthResult;
import io.cellgate.identity.Authenticator;
import io.cellgate.identity.Identity;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * The REST API under {@code /api/v1} (described in {@code openapi.json}). Scripts authenticate with HTTP Basic on
 * every request (the same users, lockout and audit as the login page; no challenge is sent, so a browser never
 * caches the credentials); the console's own pages use their session, and then a POST, PUT or DELETE needs the CSRF
 * token in {@code X-CSRF-Token}. PUT and DELETE reach only the resources the OpenAPI document gives them
 * ({@link ApiMethods}). Errors are {@code {"error": "..."}} naming what and where.
 */
final class Api {

    static final int MAX_BODY = 4096;

    private final Authenticator authenticator;
    private final Status status;
    private final TagWrites writes;
    private final Guard guard;
    private final java.util.List<Endpoint> endpoints;

    /**
     * A page's REST resources (its own class): called for every authenticated request under {@code /api/v1} that the
     * built-in resources do not answer; returns false when the path is not its own.
     */
    interface Endpoint {
        boolean handle(Request r, Identity who, String channel, String path) throws IOException;
    }

    Api(Authenticator authenticator, Status status, TagWrites writes, Guard guard, Endpoint... endpoints) {
        this.authenticator = authenticator;
        this.status = status;
        this.writes = writes;
        this.guard = guard;
        this.endpoints = java.util.List.of(endpoints);
    }

    /** Who is calling, and through which channel. */
    private record Caller(Identity identity, String channel) {
    }

    void handle(Request r, String path) throws IOException {
        Optional<Caller> caller = authenticate(r);
        if (caller.isEmpty()) {
            return;
        }
        Caller c = caller.get();
        String method = r.req().getMethod();
        if (method.equals("PUT") || method.equals("DELETE")) {
            // Only where the OpenAPI document has them: the resources below treat every method but POST as a read.
            if (ApiMethods.documented().allowed(path).isEmpty()) {
                r.json(HttpServletResponse.SC_NOT_FOUND, Json.error("path: no API resource " + Values.clip(path)));
                return;
            }
            if (!ApiMethods.documented().allows(path, method)) {
                methodNotAllowed(r, method, ApiMethods.documented().allowHeader(path));
                return;
            }
        }
        if (path.equals("/api/v1/openapi.json")) {
            get(r, method, () -> openapi(r));
        } else if (path.equals("/api/v1/status")) {
            get(r, method, () -> r.json(200, statusJson(c)));
        } else if (path.equals("/api/v1/tags")) {
            get(r, method, () -> r.json(200, tagsJson(c)));
        } else if (path.startsWith("/api/v1/tags/")) {
            String tag = path.substring("/api/v1/tags/".length());
            if (method.equals("POST")) {
                write(r, c, tag);
            } else {
                readOne(r, c, tag);
            }
        } else {
            for (Endpoint e : endpoints) {
                if (e.handle(r, c.identity(), c.channel(), path)) {
                    return;
                }
            }
            r.json(HttpServletResponse.SC_NOT_FOUND, Json.error("path: no API resource " + Values.clip(path)));
        }
    }

    private interface Action {
        void run() throws IOException;
    }

    private static void get(Request r, String method, Action action) throws IOException {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            methodNotAllowed(r, method, "GET");
            return;
        }
        action.run();
    }

    static void methodNotAllowed(Request r, String method, String allowed) throws IOException {
        r.resp().setHeader("Allow", allowed);
        r.json(HttpServletResponse.SC_METHOD_NOT_ALLOWED, Json.error("method: " + method + " is not allowed here; use "
                + allowed));
    }

    /**
     * The body of a POST as text: Content-Type application/json and at most {@code max} bytes, else the 415 or 413
     * answer is sent and the result is empty.
     */
    static Optional<String> jsonBody(Request r, int max) throws IOException {
        String type = r.req().getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            r.json(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, Json.error("Content-Type: expected application/json, got "
                    + Values.clip(String.valueOf(type))));
            return Optional.empty();
        }
        byte[] body;
        try (InputStream in = r.req().getInputStream()) {
            body = in.readNBytes(max + 1);
        }
        if (body.length > max) {
            r.json(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, Json.error("body: more than " + max + " bytes"));
            return Optional.empty();
        }
        return Optional.of(new String(body, StandardCharsets.UTF_8));
    }

    private Optional<Caller> authenticate(Request r) throws IOException {
        String header = r.req().getHeader("Authorization");
        if (header != null) {
            return basic(r, header);
        }
        Session s = r.session();
        if (s == null) {
            r.json(HttpServletResponse.SC_UNAUTHORIZED, Json.error("authentication: send HTTP Basic credentials "
                    + "(user name and password) or use a console session"));
            return Optional.empty();
        }
        if (s.mustChangePassword()) {
            r.json(HttpServletResponse.SC_FORBIDDEN, Json.error("authentication: set a new password in the console first"));
            return Optional.empty();
        }
        if (ApiMethods.changes(r.req().getMethod())) {
            String given = r.req().getHeader(ConsoleKeys.CSRF_HEADER);
            if (!SessionStore.sameToken(s.csrfToken(), given)) {
                guard.record(guard.event(s.identity().name(), r.source(), "console.request", r.req().getRequestURI(),
                        AuditEvent.Result.DENIED, "CSRF token missing or wrong"));
                r.json(HttpServletResponse.SC_FORBIDDEN, Json.error(ConsoleKeys.CSRF_HEADER
                        + ": missing or wrong (a session's POST, PUT or DELETE must carry its CSRF token)"));
                return Optional.empty();
            }
        }
        return Optional.of(new Caller(s.identity(), ConsoleKeys.CHANNEL_CONSOLE));
    }

    private Optional<Caller> basic(Request r, String header) throws IOException {
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            r.json(HttpServletResponse.SC_UNAUTHORIZED, Json.error("Authorization: only the Basic scheme is supported"));
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            r.json(HttpServletResponse.SC_UNAUTHORIZED, Json.error("Authorization: the Basic credentials are not valid Base64"));
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0 || colon > 64 || decoded.length() - colon - 1 > 256) {
            r.json(HttpServletResponse.SC_UNAUTHORIZED, Json.error("Authorization: expected user:password"));
            return Optional.empty();
        }
        char[] password = decoded.substring(colon + 1).toCharArray();
        AuthResult result;
        try {
            result = authenticator.authenticate(decoded.substring(0, colon), password, r.source());
        } finally {
            Arrays.fill(password, '\0');
        }
        if (!result.success()) {
            r.json(HttpServletResponse.SC_UNAUTHORIZED, Json.error(AuthResult.FAILED_MESSAGE));
            return Optional.empty();
        }
        if (result.mustChangePassword()) {
            r.json(HttpServletResponse.SC_FORBIDDEN, Json.error("authentication: the password is a one-time password; "
                    + "set a new one in the console first"));
            return Optional.empty();
        }
        return Optional.of(new Caller(result.identity().orElseThrow(), ConsoleKeys.CHANNEL_REST));
    }

    private void readOne(Request r, Caller c, String text) throws IOException {
        TagPath path;
        try {
            path = TagPath.parse(text);
        } catch (IllegalArgumentException e) {
            r.json(HttpServletResponse.SC_BAD_REQUEST, Json.error("tag: " + Values.clip(e.getMessage())));
            return;
        }
        if (status.tag(path).isEmpty()) {
            r.json(HttpServletResponse.SC_NOT_FOUND, Json.error("tag: " + path + " is not configured"));
            return;
        }
        var decision = guard.decide(c.identity(), io.cellgate.api.policy.Action.READ,
                io.cellgate.api.policy.Resource.tag(path.toString()), c.channel(), r.source(), null);
        if (!decision.allowed()) {
            r.json(HttpServletResponse.SC_FORBIDDEN, Json.error(guard.denied(c.identity(), r.source(), "read", path.toString(),
                    decision)));
            return;
        }
        Optional<TagValue> v = status.value(path);
        r.json(200, Json.write(g -> tag(g, path.toString(), status.tag(path).map(i -> i.unit()).orElse(null), v.orElse(null))));
    }

    private void write(Request r, Caller c, String tag) throws IOException {
        Optional<String> body = jsonBody(r, MAX_BODY);
        if (body.isEmpty()) {
            return;
        }
        String value;
        try {
            value = Json.writeValue(body.get());
        } catch (IllegalArgumentException e) {
            r.json(HttpServletResponse.SC_BAD_REQUEST, Json.error(e.getMessage()));
            return;
        }
        TagWrites.Outcome o = writes.write(c.identity(), c.channel(), r.source(), tag, value, "value");
        if (!o.ok()) {
            r.json(o.status(), Json.error(o.message()));
            return;
        }
        r.json(o.status(), Json.write(g -> {
            g.writeStartObject();
            g.writeBooleanField("ok", true);
            g.writeStringField("message", o.message());
            if (o.result() != null && o.result().readBack() != null) {
                g.writeObjectFieldStart("readBack");
                value(g, o.result().readBack());
                g.writeEndObject();
            }
            g.writeEndObject();
        }));
    }

    private String statusJson(Caller c) {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("user");
            g.writeStringField("name", c.identity().name());
            g.writeArrayFieldStart("roles");
            for (String role : c.identity().roles().stream().sorted().toList()) {
                g.writeString(role);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeArrayFieldStart("devices");
            for (DeviceState d : status.devices()) {
                g.writeStartObject();
                g.writeStringField("id", d.deviceId());
                g.writeStringField("status", d.status().name());
                g.writeStringField("lastError", d.lastError());
                g.writeStringField("lastGoodRead", d.lastGoodRead() == null ? null : d.lastGoodRead().toString());
                g.writeNumberField("pollCount", d.pollCount());
                g.writeNumberField("errorCount", d.errorCount());
                g.writeEndObject();
            }
            g.writeEndArray();
            var northbound = status.northbound();
            if (northbound.isPresent()) {
                g.writeObjectFieldStart("northbound");
                for (var m : northbound.get()) {
                    g.writeFieldName(m.name().substring(Status.NORTHBOUND.length()));
                    scalar(g, m.value());
                }
                g.writeEndObject();
            }
            var alarms = status.alarms();
            if (alarms.isPresent()) {
                g.writeArrayFieldStart("alarms");
                for (var a : alarms.get()) {
                    g.writeStartObject();
                    g.writeStringField("rule", a.rule());
                    g.writeStringField("subject", a.subject());
                    g.writeStringField("severity", a.severity().name());
                    g.writeStringField("since", a.since().toString());
                    g.writeStringField("message", a.message());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            var cert = status.certificate();
            if (cert.isPresent()) {
                g.writeObjectFieldStart("certificate");
                g.writeStringField("subject", cert.get().subject());
                g.writeStringField("thumbprint", cert.get().thumbprint());
                g.writeStringField("notAfter", cert.get().notAfter().toString());
                g.writeNumberField("daysLeft", cert.get().daysLeft());
                g.writeEndObject();
            }
            g.writeEndObject();
        });
    }

    private String tagsJson(Caller c) {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("tags");
            for (Status.TagRow row : status.tags(c.identity(), c.channel(), null)) {
                tag(g, row.info().path().toString(), row.info().unit(), row.value().orElse(null));
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void tag(JsonGenerator g, String path, String unit, TagValue v) throws IOException {
        g.writeStartObject();
        g.writeStringField("path", path);
        if (unit != null) {
            g.writeStringField("unit", unit);
        }
        if (v != null) {
            value(g, v);
        }
        g.writeEndObject();
    }

    /** The value fields, into the current object; a value that is not Good carries no value (it must never be shown as current). */
    private static void value(JsonGenerator g, TagValue v) throws IOException {
        g.writeStringField("quality", v.quality().name());
        if (v.isGood()) {
            if (v.value() != null) {
                g.writeFieldName("value");
                scalar(g, v.value());
            }
        } else {
            g.writeStringField("reason", v.reason().name());
            if (v.detail() != null) {
                g.writeStringField("detail", v.detail());
            }
        }
        g.writeStringField("sourceTime", v.sourceTime().toString());
        g.writeStringField("display", Pages.quality(v));
    }

    private static void scalar(JsonGenerator g, Object value) throws IOException {
        if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Number n) {
            writeNumber(g, n);
        } else if (value == null) {
            g.writeNull();
        } else {
            g.writeString(value.toString());
        }
    }

    private static void writeNumber(JsonGenerator g, Number n) throws IOException {
        if (n instanceof Double || n instanceof Float) {
            g.writeNumber(n.doubleValue());
        } else {
            g.writeNumber(n.longValue());
        }
    }

    private void openapi(Request r) throws IOException {
        try (InputStream in = Api.class.getResourceAsStream("/static/openapi.json")) {
            r.json(200, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
