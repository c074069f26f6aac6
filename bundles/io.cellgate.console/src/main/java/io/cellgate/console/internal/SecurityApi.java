package io.cellgate.console.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.cellgate.api.policy.PolicyAdmin;
import io.cellgate.api.policy.PolicyRule;
import io.cellgate.api.policy.PolicyVersion;
import io.cellgate.console.internal.ConsoleServlet.Request;
import io.cellgate.console.internal.SecurityActions.Caller;
import io.cellgate.console.internal.SecurityActions.Outcome;
import io.cellgate.identity.Identity;
import io.cellgate.pki.TrustList;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/v1/security/...}: the Security page for scripts (same actions, same checks, JSON in and out). Errors are
 * {@code {"error": "<field>: <reason>", "field": "<field>"}}.
 *
 * <pre>
 * GET  certificates/gateway                       the gateway certificate
 * GET  certificates/gateway/csr                   a CSR (PEM, text/plain), audited certificate.csr
 * POST certificates/gateway        {"pem": ...}   install a CA-signed chain
 * GET  certificates/clients                       trusted and rejected client certificates
 * POST certificates/clients/{sha1}/{trust|reject|remove}
 * GET  users                                      users and applications
 * POST users        {"name", "roles", "password", "oneTime", "application"}
 * POST users/{name}/roles {"roles": [...]}
 * POST users/{name}/{disable|enable|remove|unlock|reset-password}
 * GET  policy                                     current version, rules, history
 * POST policy/preview {"identity", "action", "resource", "channel", "value"}
 * GET  policy/access                              the access: section of cell.yaml and the file's hash
 * POST policy/access {"text", "hash"}             replace it (validated and applied by the configuration editor)
 * </pre>
 */
final class SecurityApi {

    static final String PREFIX = "/api/v1/security/";
    /** Bodies carry PEM chains and YAML sections: larger than the tag API's 4 KiB. */
    static final int MAX_BODY = SecurityActions.MAX_YAML + 4096;
    private static final JsonFactory BODIES = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(3)
                    .maxStringLength(SecurityActions.MAX_YAML + 1).maxNumberLength(32).build())
            .build();

    private final SecurityActions actions;

    SecurityApi(SecurityActions actions) {
        this.actions = actions;
    }

    /** Answers a request under {@link #PREFIX}; false for every other path. */
    boolean handle(Request r, Identity who, String channel, String path) throws IOException {
        if (!path.startsWith(PREFIX)) {
            return false;
        }
        Caller c = new Caller(who, channel, r.source());
        String[] p = path.substring(PREFIX.length()).split("/", -1);
        String method = r.req().getMethod();
        boolean post = method.equals("POST");
        String first = p[0];
        if (!actions.maySeeAny(c)) {
            // Nothing of this page for those without a management role: not even which users exist.
            Outcome denied = actions.authorize(c, first.equals("users") ? io.cellgate.api.policy.Action.MANAGE_USERS
                    : first.equals("policy") ? io.cellgate.api.policy.Action.MANAGE_POLICY
                            : io.cellgate.api.policy.Action.MANAGE_CERTIFICATES, null, "security." + Values.clip(first))
                    .orElse(new Outcome(HttpServletResponse.SC_FORBIDDEN, null, "denied", null));
            send(r, denied);
            return true;
        }
        switch (first) {
            case "certificates" -> certificates(r, c, p, post);
            case "users" -> users(r, c, p, post);
            case "policy" -> policy(r, c, p, post);
            default -> notFound(r, path);
        }
        return true;
    }

    private void certificates(Request r, Caller c, String[] p, boolean post) throws IOException {
        if (p.length == 2 && p[1].equals("gateway")) {
            if (post) {
                Optional<Map<String, Object>> body = body(r, Set.of("pem"));
                if (body.isPresent()) {
                    send(r, actions.install(c, string(body.get(), "pem")));
                }
            } else if (view(r, c, io.cellgate.api.policy.Action.MANAGE_CERTIFICATES, "certificate.view")) {
                var cert = actions.gatewayCertificate();
                if (cert.isEmpty()) {
                    r.json(HttpServletResponse.SC_SERVICE_UNAVAILABLE, Json.error("the PKI is not running"));
                    return;
                }
                var g = cert.get();
                r.json(200, Json.write(j -> {
                    j.writeStartObject();
                    j.writeStringField("subject", g.subject());
                    j.writeStringField("issuer", g.issuer());
                    strings(j, "subjectAltNames", g.subjectAltNames());
                    j.writeStringField("applicationUri", g.applicationUri());
                    j.writeStringField("notBefore", g.notBefore().toString());
                    j.writeStringField("notAfter", g.notAfter().toString());
                    j.writeNumberField("daysLeft", g.daysLeft());
                    j.writeStringField("sha1", g.sha1());
                    j.writeStringField("sha256", g.sha256());
                    j.writeNumberField("chainLength", g.chainLength());
                    j.writeEndObject();
                }));
            }
        } else if (p.length == 3 && p[1].equals("gateway") && p[2].equals("csr")) {
            if (post) {
                Api.methodNotAllowed(r, "POST", "GET");
                return;
            }
            Outcome o = actions.csr(c);
            if (!o.ok()) {
                send(r, o);
                return;
            }
            SecurityPage.sendCsr(r, (String) o.data());
        } else if (p.length == 2 && p[1].equals("clients")) {
            if (post) {
                Api.methodNotAllowed(r, "POST", "GET");
            } else if (view(r, c, io.cellgate.api.policy.Action.MANAGE_CERTIFICATES, "certificate.view")) {
                var trusted = actions.clients(TrustList.TRUSTED);
                var rejected = actions.clients(TrustList.REJECTED);
                if (trusted.isEmpty() || rejected.isEmpty()) {
                    r.json(HttpServletResponse.SC_SERVICE_UNAVAILABLE, Json.error("the PKI is not running"));
                    return;
                }
                r.json(200, Json.write(j -> {
                    j.writeStartObject();
                    clientList(j, "trusted", trusted.get());
                    clientList(j, "rejected", rejected.get());
                    j.writeEndObject();
                }));
            }
        } else if (p.length == 4 && p[1].equals("clients")) {
            if (!post) {
                Api.methodNotAllowed(r, r.req().getMethod(), "POST");
                return;
            }
            send(r, actions.client(c, p[3], p[2]));
        } else {
            notFound(r, PREFIX + String.join("/", p));
        }
    }

    private static void clientList(JsonGenerator j, String name, List<SecurityActions.ClientCertificate> list)
            throws IOException {
        j.writeArrayFieldStart(name);
        for (var e : list) {
            j.writeStartObject();
            j.writeStringField("subject", e.subject());
            j.writeStringField("issuer", e.issuer());
            j.writeStringField("applicationUri", e.applicationUri());
            j.writeStringField("sha1", e.sha1());
            j.writeStringField("sha256", e.sha256());
            j.writeStringField("notBefore", e.notBefore().toString());
            j.writeStringField("notAfter", e.notAfter().toString());
            j.writeEndObject();
        }
        j.writeEndArray();
    }

    private void users(Request r, Caller c, String[] p, boolean post) throws IOException {
        if (p.length == 1) {
            if (post) {
                Optional<Map<String, Object>> body = body(r, Set.of("name", "roles", "password", "oneTime", "application"));
                if (body.isPresent()) {
                    Map<String, Object> b = body.get();
                    Optional<Optional<List<String>>> roles = roles(r, b);
                    Optional<Boolean> oneTime = roles.isEmpty() ? Optional.empty() : flag(r, b, "oneTime");
                    Optional<Boolean> application = oneTime.isEmpty() ? Optional.empty() : flag(r, b, "application");
                    if (application.isPresent()) {
                        send(r, actions.createUser(c, string(b, "name"), roles.get().orElse(null), string(b, "password"),
                                null, oneTime.get(), application.get()));
                    }
                }
            } else if (view(r, c, io.cellgate.api.policy.Action.MANAGE_USERS, "user.view")) {
                var list = actions.users();
                if (list.isEmpty()) {
                    r.json(HttpServletResponse.SC_SERVICE_UNAVAILABLE, Json.error("the identity service is not running"));
                    return;
                }
                r.json(200, Json.write(j -> {
                    j.writeStartObject();
                    j.writeArrayFieldStart("users");
                    for (var u : list.get()) {
                        j.writeStartObject();
                        j.writeStringField("name", u.info().name());
                        j.writeStringField("kind", u.info().kind().name().toLowerCase(Locale.ROOT));
                        strings(j, "roles", u.info().roles().stream().sorted().toList());
                        j.writeBooleanField("enabled", u.info().enabled());
                        j.writeBooleanField("mustChangePassword", u.info().mustChangePassword());
                        j.writeBooleanField("locked", u.lockedUntil() != null);
                        if (u.lockedUntil() != null) {
                            j.writeStringField("lockedUntil", u.lockedUntil().toString());
                        }
                        j.writeNumberField("certificates", u.info().certificates().size());
                        j.writeEndObject();
                    }
                    j.writeEndArray();
                    j.writeEndObject();
                }));
            }
            return;
        }
        if (p.length != 3) {
            notFound(r, PREFIX + String.join("/", p));
            return;
        }
        if (!post) {
            Api.methodNotAllowed(r, r.req().getMethod(), "POST");
            return;
        }
        String name = p[1];
        switch (p[2]) {
            case "roles" -> {
                Optional<Map<String, Object>> body = body(r, Set.of("roles"));
                if (body.isPresent()) {
                    Optional<Optional<List<String>>> roles = roles(r, body.get());
                    if (roles.isPresent()) {
                        send(r, actions.setRoles(c, name, roles.get().orElse(null)));
                    }
                }
            }
            case "reset-password" -> {
                Outcome o = actions.resetPassword(c, name);
                if (!o.ok()) {
                    send(r, o);
                    return;
                }
                r.json(200, Json.write(j -> {
                    j.writeStartObject();
                    j.writeBooleanField("ok", true);
                    j.writeStringField("message", o.message());
                    j.writeStringField("oneTimePassword", (String) o.data());
                    j.writeEndObject();
                }));
            }
            default -> send(r, actions.userState(c, name, p[2]));
        }
    }

    private void policy(Request r, Caller c, String[] p, boolean post) throws IOException {
        if (p.length == 1) {
            if (post) {
                Api.methodNotAllowed(r, "POST", "GET");
            } else if (view(r, c, io.cellgate.api.policy.Action.MANAGE_POLICY, "policy.view")) {
                Optional<PolicyAdmin> admin = actions.policyAdmin();
                if (admin.isEmpty()) {
                    r.json(HttpServletResponse.SC_SERVICE_UNAVAILABLE, Json.error("the access policy is not running"));
                    return;
                }
                r.json(200, Json.write(j -> policyJson(j, admin.get())));
            }
        } else if (p.length == 2 && p[1].equals("preview")) {
            if (!post) {
                Api.methodNotAllowed(r, r.req().getMethod(), "POST");
                return;
            }
            Optional<Map<String, Object>> body = body(r, Set.of("identity", "action", "resource", "channel", "value"));
            if (body.isEmpty()) {
                return;
            }
            Map<String, Object> b = body.get();
            Outcome o = actions.preview(c, string(b, "identity"), string(b, "action"), string(b, "resource"),
                    string(b, "channel"), string(b, "value"));
            if (!o.ok()) {
                send(r, o);
                return;
            }
            var pv = (SecurityActions.Preview) o.data();
            r.json(200, Json.write(j -> {
                j.writeStartObject();
                j.writeBooleanField("allowed", pv.decision().allowed());
                j.writeStringField("rule", pv.decision().ruleId());
                j.writeStringField("reason", pv.decision().reason());
                j.writeNumberField("policyVersion", pv.decision().policyVersion());
                j.writeStringField("explain", pv.decision().explain());
                strings(j, "roles", pv.roles().stream().sorted().toList());
                j.writeEndObject();
            }));
        } else if (p.length == 2 && p[1].equals("access")) {
            if (post) {
                Optional<Map<String, Object>> body = body(r, Set.of("text", "hash"));
                if (body.isEmpty()) {
                    return;
                }
                Outcome o = actions.changeAccess(c, string(body.get(), "text"), string(body.get(), "hash"));
                send(r, o);
            } else if (view(r, c, io.cellgate.api.policy.Action.MANAGE_POLICY, "policy.view")) {
                var section = actions.accessSection();
                if (section.isEmpty()) {
                    r.json(HttpServletResponse.SC_SERVICE_UNAVAILABLE, Json.error("the configuration editor is not running: "
                            + "change the access: section of cell.yaml in the configuration directory"));
                    return;
                }
                r.json(200, Json.write(j -> {
                    j.writeStartObject();
                    j.writeStringField("text", section.get().text());
                    j.writeStringField("hash", section.get().sha256());
                    j.writeEndObject();
                }));
            }
        } else {
            notFound(r, PREFIX + String.join("/", p));
        }
    }

    static void policyJson(JsonGenerator j, PolicyAdmin admin) throws IOException {
        PolicyVersion v = admin.current();
        j.writeStartObject();
        j.writeObjectFieldStart("current");
        version(j, v);
        j.writeEndObject();
        j.writeArrayFieldStart("rules");
        for (PolicyRule rule : admin.rules()) {
            j.writeStartObject();
            j.writeStringField("id", rule.id());
            j.writeStringField("effect", rule.allow() ? "allow" : "deny");
            j.writeStringField("role", rule.role());
            j.writeStringField("identity", rule.identity());
            strings(j, "actions", rule.actions().stream().sorted().toList());
            strings(j, "tags", rule.tags());
            strings(j, "sections", rule.sections());
            j.writeStringField("conditions", rule.conditions());
            j.writeStringField("origin", rule.origin());
            j.writeEndObject();
        }
        j.writeEndArray();
        j.writeArrayFieldStart("history");
        for (PolicyVersion h : admin.history()) {
            j.writeStartObject();
            version(j, h);
            j.writeEndObject();
        }
        j.writeEndArray();
        j.writeEndObject();
    }

    private static void version(JsonGenerator j, PolicyVersion v) throws IOException {
        j.writeNumberField("version", v.version());
        j.writeStringField("sha256", v.hash());
        j.writeStringField("time", v.time().toString());
        j.writeStringField("actor", v.actor());
    }

    /** A read of a section: the policy must allow its management action (a denial is audited and answered 403). */
    private boolean view(Request r, Caller c, io.cellgate.api.policy.Action action, String what) throws IOException {
        Optional<Outcome> denied = actions.authorize(c, action, null, what);
        if (denied.isPresent()) {
            send(r, denied.get());
            return false;
        }
        return true;
    }

    private static void strings(JsonGenerator j, String name, List<String> values) throws IOException {
        j.writeArrayFieldStart(name);
        for (String v : values) {
            j.writeString(v);
        }
        j.writeEndArray();
    }

    static void send(Request r, Outcome o) throws IOException {
        r.json(o.status(), Json.write(j -> {
            j.writeStartObject();
            if (o.ok()) {
                j.writeBooleanField("ok", true);
                j.writeStringField("message", o.message());
            } else {
                j.writeStringField("error", o.message());
                if (o.field() != null) {
                    j.writeStringField("field", o.field());
                }
                if (o.data() instanceof List<?> errors) {
                    j.writeArrayFieldStart("errors");
                    for (Object e : errors) {
                        j.writeString(String.valueOf(e));
                    }
                    j.writeEndArray();
                }
            }
            j.writeEndObject();
        }));
    }

    /** An optional boolean member: absent is false, anything but true/false is refused naming it. */
    private static Optional<Boolean> flag(Request r, Map<String, Object> body, String name) throws IOException {
        Object v = body.get(name);
        if (v == null || v instanceof Boolean) {
            return Optional.of(Boolean.TRUE.equals(v));
        }
        send(r, Outcome.bad(name, "expected true or false"));
        return Optional.empty();
    }

    private static void notFound(Request r, String path) throws IOException {
        r.json(HttpServletResponse.SC_NOT_FOUND, Json.error("path: no API resource " + Values.clip(path)));
    }

    private static String string(Map<String, Object> body, String name) {
        Object v = body.get(name);
        return v instanceof String s ? s : null;
    }

    /**
     * {@code roles}: a list of role names, or null when absent (the action then says it is missing, after the fields
     * before it); anything else is answered 400 naming the field and the result is empty.
     */
    @SuppressWarnings("unchecked")
    private static Optional<Optional<List<String>>> roles(Request r, Map<String, Object> body) throws IOException {
        Object v = body.get("roles");
        if (v != null && !(v instanceof List<?>)) {
            send(r, Outcome.bad("roles", "expected a list of role names"));
            return Optional.empty();
        }
        return Optional.of(Optional.ofNullable((List<String>) v));
    }

    /**
     * A JSON object with only {@code allowed} members; strings, booleans, numbers (kept as text) and lists of strings.
     * Sends the 415/413/400 answer and returns empty when the body is not such an object.
     */
    private static Optional<Map<String, Object>> body(Request r, Set<String> allowed) throws IOException {
        Optional<String> text = Api.jsonBody(r, MAX_BODY);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(text.get(), allowed));
        } catch (IllegalArgumentException e) {
            r.json(HttpServletResponse.SC_BAD_REQUEST, Json.error(e.getMessage()));
            return Optional.empty();
        }
    }

    static Map<String, Object> parse(String text, Set<String> allowed) {
        try (JsonParser p = BODIES.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("body: expected a JSON object");
            }
            Map<String, Object> out = new LinkedHashMap<>();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (!allowed.contains(name)) {
                    throw new IllegalArgumentException("body: unknown member '" + Values.clip(name) + "' (allowed: "
                            + String.join(", ", allowed.stream().sorted().toList()) + ")");
                }
                if (out.containsKey(name)) {
                    throw new IllegalArgumentException(name + ": given twice");
                }
                JsonToken v = p.nextToken();
                out.put(name, switch (v) {
                    case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getText();
                    case VALUE_TRUE -> Boolean.TRUE;
                    case VALUE_FALSE -> Boolean.FALSE;
                    case START_ARRAY -> {
                        List<String> items = new ArrayList<>();
                        JsonToken item;
                        while ((item = p.nextToken()) == JsonToken.VALUE_STRING) {
                            items.add(p.getText());
                        }
                        if (item != JsonToken.END_ARRAY) {
                            throw new IllegalArgumentException(name + ": expected a list of strings");
                        }
                        yield items;
                    }
                    default -> throw new IllegalArgumentException(name + ": expected a string, number, boolean or list "
                            + "of strings, got " + (v == null ? "nothing" : v.name().toLowerCase(Locale.ROOT)));
                });
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IllegalArgumentException("body: trailing content after the JSON object");
            }
            return out;
        } catch (JsonProcessingException e) {
            // Json.syntaxError also covers the parser's limits (no location: was a NullPointerException, a 500).
            throw new IllegalArgumentException(Json.syntaxError(e));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
