package io.cellgate.console.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.cellgate.console.internal.Components.Component;
import io.cellgate.console.internal.Components.Field;
import io.cellgate.console.internal.ConsoleServlet.Request;
import io.cellgate.identity.Identity;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/v1/components}: the components with their fields and present values (never a password), and
 * {@code POST /api/v1/components/{pid}} with a JSON object of the fields to change ({@code {"sample.interval.s": 10}};
 * a field not given keeps its value). Invalid input answers 400 with {@code error} (the first field and why) and
 * {@code errors} (every field).
 */
final class ComponentsApi implements Api.Endpoint {

    static final String PATH = "/api/v1/components";
    /** A component's whole form fits easily; anything larger is not a form. */
    static final int MAX_BODY = 16 * 1024;

    private final ComponentChanges changes;

    ComponentsApi(ComponentChanges changes) {
        this.changes = changes;
    }

    @Override
    public boolean handle(Request r, Identity who, String channel, String path) throws IOException {
        if (!path.equals(PATH) && !path.startsWith(PATH + "/")) {
            return false;
        }
        String method = r.req().getMethod();
        if (!changes.components().available()) {
            r.json(HttpServletResponse.SC_SERVICE_UNAVAILABLE, Json.error("components: the MetaType service or ConfigAdmin is not running"));
            return true;
        }
        if (path.equals(PATH)) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                Api.methodNotAllowed(r, method, "GET");
                return true;
            }
            List<Component> all = changes.components().list();
            r.json(200, Json.write(g -> {
                g.writeStartObject();
                g.writeArrayFieldStart("components");
                for (Component c : all) {
                    component(g, c, changes.mayChange(who, c, channel, r.source()));
                }
                g.writeEndArray();
                g.writeEndObject();
            }));
            return true;
        }
        String pid = path.substring(PATH.length() + 1);
        if (method.equals("POST")) {
            post(r, who, channel, pid);
            return true;
        }
        Optional<Component> c = changes.components().find(pid);
        if (c.isEmpty()) {
            r.json(HttpServletResponse.SC_NOT_FOUND, Json.error("pid: no configurable component " + Values.clip(pid)));
            return true;
        }
        r.json(200, Json.write(g -> component(g, c.get(), changes.mayChange(who, c.get(), channel, r.source()))));
        return true;
    }

    private void post(Request r, Identity who, String channel, String pid) throws IOException {
        Optional<String> body = Api.jsonBody(r, MAX_BODY);
        if (body.isEmpty()) {
            return;
        }
        Map<String, List<String>> input;
        try {
            input = fields(body.get());
        } catch (IllegalArgumentException e) {
            r.json(HttpServletResponse.SC_BAD_REQUEST, Json.error(e.getMessage()));
            return;
        }
        ComponentChanges.Outcome o = changes.change(who, channel, r.source(), pid, input);
        r.json(o.status(), Json.write(g -> {
            g.writeStartObject();
            if (o.ok()) {
                g.writeBooleanField("ok", true);
                g.writeStringField("message", o.message());
                g.writeArrayFieldStart("changed");
                for (String f : o.changed()) {
                    g.writeString(f);
                }
                g.writeEndArray();
            } else {
                g.writeStringField("error", o.message());
                Json.fieldErrors(g, o.errors());
            }
            g.writeEndObject();
        }));
    }

    /**
     * The body: one JSON object of field ids to a number, boolean or string, or an array of them for a multi-valued
     * field. Returns each field's values as text (the field's type decides how they are read, as for the form).
     *
     * @throws IllegalArgumentException naming what is wrong and where
     */
    static Map<String, List<String>> fields(String body) {
        try (JsonParser p = Json.FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("body: expected a JSON object {\"<field>\": <value>, ...}");
            }
            Map<String, List<String>> out = new LinkedHashMap<>();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (out.containsKey(name)) {
                    throw new IllegalArgumentException(Values.clip(name) + ": given twice");
                }
                JsonToken v = p.nextToken();
                List<String> values = new ArrayList<>();
                if (v == JsonToken.START_ARRAY) {
                    JsonToken e;
                    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                        values.add(scalar(p, e, name));
                    }
                } else {
                    values.add(scalar(p, v, name));
                }
                out.put(name, values);
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IllegalArgumentException("body: trailing content after the JSON object");
            }
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(Json.syntaxError(e));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String scalar(JsonParser p, JsonToken v, String name) throws IOException {
        return switch (v) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_STRING -> p.getText();
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            default -> throw new IllegalArgumentException(Values.clip(name) + ": expected a number, boolean or string"
                    + " (or an array of them), got " + (v == null ? "nothing" : v.asString() == null
                            ? v.name().toLowerCase(Locale.ROOT) : v.asString()));
        };
    }

    private static void component(JsonGenerator g, Component c, boolean mayChange) throws IOException {
        g.writeStartObject();
        g.writeStringField("pid", c.pid());
        if (c.factoryPid() != null) {
            g.writeStringField("factoryPid", c.factoryPid());
        }
        g.writeStringField("name", c.name());
        g.writeStringField("description", c.description());
        g.writeStringField("bundle", c.bundle());
        g.writeBooleanField("configured", c.configured());
        g.writeBooleanField("editable", c.editable());
        g.writeBooleanField("mayChange", mayChange);
        if (c.managedBy() != null) {
            g.writeStringField("managedBy", c.managedBy());
        }
        g.writeStringField("policy", c.action().key() + " " + c.resource().name());
        g.writeArrayFieldStart("fields");
        for (Field f : c.fields()) {
            g.writeStartObject();
            g.writeStringField("id", f.id());
            g.writeStringField("name", f.name());
            g.writeStringField("type", f.kind());
            g.writeNumberField("cardinality", f.cardinality());
            if (f.description() != null) {
                g.writeStringField("description", f.description());
            }
            if (!f.optionValues().isEmpty()) {
                g.writeArrayFieldStart("options");
                for (int i = 0; i < f.optionValues().size(); i++) {
                    g.writeStartObject();
                    g.writeStringField("value", f.optionValues().get(i));
                    g.writeStringField("label", i < f.optionLabels().size() ? f.optionLabels().get(i) : f.optionValues().get(i));
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (!f.password()) {
                g.writeArrayFieldStart("default");
                for (String d : f.defaults()) {
                    g.writeString(d);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeObjectFieldStart("values");
        for (var e : c.values().entrySet()) {
            g.writeFieldName(e.getKey());
            value(g, e.getValue());
        }
        g.writeEndObject();
        g.writeObjectFieldStart("passwordSet");
        for (var e : c.passwordSet().entrySet()) {
            g.writeBooleanField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void value(JsonGenerator g, Object v) throws IOException {
        if (v != null && v.getClass().isArray()) {
            g.writeStartArray();
            for (int i = 0; i < java.lang.reflect.Array.getLength(v); i++) {
                value(g, java.lang.reflect.Array.get(v, i));
            }
            g.writeEndArray();
        } else if (v instanceof java.util.Collection<?> col) {
            g.writeStartArray();
            for (Object o : col) {
                value(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Double || v instanceof Float) {
            g.writeNumber(((Number) v).doubleValue());
        } else if (v instanceof Number n) {
            g.writeNumber(n.longValue());
        } else {
            g.writeString(String.valueOf(v));
        }
    }
}
