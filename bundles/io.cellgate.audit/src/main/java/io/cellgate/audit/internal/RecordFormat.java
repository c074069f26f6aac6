package io.cellgate.audit.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * One record = one line of JSON in a fixed canonical form:
 * {@code {"v":1,"seq":N,"time":"<ISO UTC>","identity":..,"source":..,"action":..,"resource":..,"result":..,
 * "reason":..,"rule":..,"prev":"<hex>","hash":"<hex>"}}. The hash is SHA-256 over the UTF-8 bytes of the same
 * object without the {@code hash} member (which therefore covers {@code prev}: the chain). A stored line is
 * accepted only if it is byte for byte what this class would write for its content, so no edit goes unnoticed,
 * not even one that keeps the JSON meaning.
 */
final class RecordFormat {

    static final int VERSION = 1;
    static final String GENESIS = "0".repeat(64);
    /** Action of the first record of every file after the first: it names the previous file. */
    static final String LINK_ACTION = "audit.link";
    static final String SYSTEM = "system";
    /** Longest stored field, so that one crafted value cannot make a huge line. */
    static final int MAX_FIELD = 1000;

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private RecordFormat() {
    }

    /** Seals the record that follows {@code prev}: its hash over the canonical form. */
    static AuditRecord seal(long seq, AuditEvent event, String prev) {
        String canonical = canonical(seq, event, prev);
        return new AuditRecord(seq, event, prev, sha256(canonical));
    }

    static String line(AuditRecord r) {
        String canonical = canonical(r.seq(), r.event(), r.prevHash());
        return canonical.substring(0, canonical.length() - 1) + ",\"hash\":\"" + r.hash() + "\"}";
    }

    /** Bounds the event's text fields (the trail keeps what it was given otherwise, control characters escaped). */
    static AuditEvent bounded(AuditEvent e) {
        return new AuditEvent(e.time(), bound(e.identity()), bound(e.source()), bound(e.action()),
                bound(e.resource()), e.result(), bound(e.reason()), bound(e.rule()));
    }

    private static String bound(String s) {
        if (s == null) {
            return null;
        }
        String b = s.length() <= MAX_FIELD ? s : s.substring(0, MAX_FIELD) + "...";
        // a lone surrogate has no UTF-8 form: stored and hashed bytes must be what the record says
        StringBuilder out = null;
        for (int i = 0; i < b.length(); i++) {
            char c = b.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < b.length()
                    && Character.isLowSurrogate(b.charAt(i + 1));
            if (paired) {
                if (out != null) {
                    out.append(c).append(b.charAt(i + 1));
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                if (out == null) {
                    out = new StringBuilder(b.substring(0, i));
                }
                out.append('\uFFFD');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? b : out.toString();
    }

    static AuditEvent link(Instant time, String previousFile) {
        return new AuditEvent(time, SYSTEM, null, LINK_ACTION, previousFile, AuditEvent.Result.SUCCESS, null, null);
    }

    static String canonical(long seq, AuditEvent e, String prev) {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeNumberField("v", VERSION);
            g.writeNumberField("seq", seq);
            writeEvent(g, e);
            g.writeStringField("prev", prev);
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex); // a StringWriter does not fail
        }
        return w.toString();
    }

    /** One line of the audit inbox: the event alone, {@code {"v":1,"time":..,..,"rule":..}} (no chain yet). */
    static String inboxLine(AuditEvent event) {
        AuditEvent e = bounded(event);
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeNumberField("v", VERSION);
            writeEvent(g, e);
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex); // a StringWriter does not fail
        }
        return w.toString();
    }

    /** Parses one line of the audit inbox (its content is checked when it is sealed into the chain). */
    static AuditEvent parseInbox(String line) throws BadRecordException {
        Map<String, Object> fields = fields(line);
        try {
            return event(fields);
        } catch (DateTimeParseException ex) {
            throw new BadRecordException("time: '" + ex.getParsedString() + "' is not a UTC time like "
                    + "2026-11-25T08:00:00Z");
        } catch (NullPointerException | IllegalArgumentException ex) {
            throw new BadRecordException("a field is missing or invalid (" + ex.getMessage() + ")");
        }
    }

    private static void writeEvent(JsonGenerator g, AuditEvent e) throws IOException {
        g.writeStringField("time", e.time().toString());
        g.writeStringField("identity", e.identity());
        g.writeStringField("source", e.source());
        g.writeStringField("action", e.action());
        g.writeStringField("resource", e.resource());
        g.writeStringField("result", e.result().name());
        g.writeStringField("reason", e.reason());
        g.writeStringField("rule", e.rule());
    }

    private static AuditEvent event(Map<String, Object> fields) throws BadRecordException {
        return new AuditEvent(Instant.parse(string(fields, "time")), string(fields, "identity"),
                string(fields, "source"), string(fields, "action"), string(fields, "resource"),
                AuditEvent.Result.valueOf(string(fields, "result")), string(fields, "reason"),
                string(fields, "rule"));
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is not available", ex);
        }
    }

    /**
     * Parses a stored line and checks it: canonical form and hash.
     *
     * @throws BadRecordException naming what is wrong
     */
    static AuditRecord parse(String line) throws BadRecordException {
        Map<String, Object> fields = fields(line);
        AuditRecord r;
        try {
            AuditEvent e = event(fields);
            Object seq = fields.get("seq");
            if (!(seq instanceof Long)) {
                throw new BadRecordException("seq is missing");
            }
            r = new AuditRecord((Long) seq, e, string(fields, "prev"), string(fields, "hash"));
        } catch (DateTimeParseException | NullPointerException | IllegalArgumentException ex) {
            throw new BadRecordException("a field is missing or invalid (" + ex.getMessage() + ")");
        }
        if (!line.equals(line(r))) {
            throw new BadRecordException("not in canonical form");
        }
        String expected = sha256(canonical(r.seq(), r.event(), r.prevHash()));
        if (!expected.equals(r.hash())) {
            throw new BadRecordException("hash does not match the content");
        }
        return r;
    }

    /** The members of one flat JSON object of this format version (strings, integers, nulls). */
    private static Map<String, Object> fields(String line) throws BadRecordException {
        Map<String, Object> fields = new HashMap<>();
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadRecordException("not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                fields.put(name, switch (v) {
                    case VALUE_NULL -> null;
                    case VALUE_STRING -> p.getText();
                    case VALUE_NUMBER_INT -> p.getLongValue();
                    default -> throw new BadRecordException("field " + name + ": unexpected " + v);
                });
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new BadRecordException("not one JSON object");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new BadRecordException("not valid JSON (" + ex.getOriginalMessage() + ")");
        } catch (IOException ex) {
            throw new BadRecordException("not valid JSON (" + ex.getMessage() + ")");
        }
        if (!Long.valueOf(VERSION).equals(fields.get("v"))) {
            throw new BadRecordException("unknown record version " + fields.get("v"));
        }
        return fields;
    }

    private static String string(Map<String, Object> fields, String name) throws BadRecordException {
        Object o = fields.get(name);
        if (o != null && !(o instanceof String)) {
            throw new BadRecordException("field " + name + " is not a string");
        }
        return (String) o;
    }

    static final class BadRecordException extends Exception {
        private static final long serialVersionUID = 1L;

        BadRecordException(String message) {
            super(message);
        }
    }
}
