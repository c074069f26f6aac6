package io.cellgate.console.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** JSON in and out of the REST API, with Jackson's streaming core (no object mapping: nothing is constructed from input). */
final class Json {

    static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(4).maxStringLength(1024)
                    .maxNumberLength(64).build())
            .build();

    private Json() {
    }

    interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    static String write(Writer body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The {@code "errors": [{"field": ..., "reason": ...}]} member of an answer; nothing when there are none. */
    static void fieldErrors(JsonGenerator g, java.util.List<FieldError> errors) throws IOException {
        if (errors.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart("errors");
        for (FieldError e : errors) {
            g.writeStartObject();
            g.writeStringField("field", e.field());
            g.writeStringField("reason", e.reason());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    static String error(String message) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeEndObject();
        });
    }

    /**
     * The body of a write: exactly {@code {"value": <number|boolean|string>}}. Returns the value as text (the tag's
     * type decides how it is read, as for the form).
     *
     * @throws IllegalArgumentException naming what is wrong and where
     */
    static String writeValue(String body) {
        try (JsonParser p = FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("body: expected a JSON object {\"value\": ...}");
            }
            String value = null;
            boolean seen = false;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (!name.equals("value")) {
                    throw new IllegalArgumentException("body: unknown member '" + Values.clip(name) + "' (only 'value')");
                }
                if (seen) {
                    throw new IllegalArgumentException("body: 'value' given twice");
                }
                seen = true;
                JsonToken v = p.nextToken();
                value = switch (v) {
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_STRING -> p.getText();
                    case VALUE_TRUE -> "true";
                    case VALUE_FALSE -> "false";
                    default -> throw new IllegalArgumentException("value: expected a number, boolean or string, got "
                            + (v == null ? "nothing" : v.asString() == null ? v.name().toLowerCase(java.util.Locale.ROOT) : v.asString()));
                };
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IllegalArgumentException("body: trailing content after the JSON object");
            }
            if (!seen) {
                throw new IllegalArgumentException("value: missing");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(syntaxError(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What is wrong with a body the parser refused, naming where when the parser knows it. A refusal by the read
     * constraints (a number or text too long, nesting too deep) has no location, and its message names Jackson's
     * internals, which are cut off.
     */
    static String syntaxError(JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage());
        int internals = message.indexOf(", from `");
        if (internals > 0) {
            message = message.substring(0, internals) + ")";
        }
        if (e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException || e.getLocation() == null) {
            return "body: refused: " + message;
        }
        return "body: not valid JSON at line " + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr()
                + ": " + message;
    }
}
