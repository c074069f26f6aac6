package io.cellgate.audit.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditRecord;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One audit record as an RFC 5424 syslog message, framed for TLS transport as RFC 5425 says (octet counting:
 * {@code MSG-LEN SP SYSLOG-MSG}). Facility 13 (log audit); severity notice for SUCCESS, warning for DENIED and
 * FAILED. MSGID is the action; the structured data element carries seq, identity, source, resource, result, rule
 * and hash for the SIEM's fields; MSG is the record's JSON line exactly as stored, so the SIEM can check the chain.
 */
final class Syslog5424 {

    static final int FACILITY_LOG_AUDIT = 13;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Syslog5424() {
    }

    /** The frame to write to the TLS stream: the message's length in octets, a space, the message. */
    static byte[] frame(AuditRecord r, String hostname, String sdId) {
        byte[] msg = message(r, hostname, sdId).getBytes(StandardCharsets.UTF_8);
        byte[] len = (msg.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[len.length + msg.length];
        System.arraycopy(len, 0, out, 0, len.length);
        System.arraycopy(msg, 0, out, len.length, msg.length);
        return out;
    }

    static String message(AuditRecord r, String hostname, String sdId) {
        AuditEvent e = r.event();
        int severity = e.result() == AuditEvent.Result.SUCCESS ? 5 : 4;
        StringBuilder b = new StringBuilder(512);
        b.append('<').append(FACILITY_LOG_AUDIT * 8 + severity).append(">1 ")
                .append(TIME.format(e.time())).append(' ')
                .append(header(hostname, 255)).append(' ')
                .append("cellgate - ")
                .append(header(e.action(), 32)).append(' ')
                .append('[').append(sdId);
        param(b, "seq", Long.toString(r.seq()));
        param(b, "identity", e.identity());
        param(b, "source", e.source());
        param(b, "resource", e.resource());
        param(b, "result", e.result().name());
        param(b, "rule", e.rule());
        param(b, "hash", r.hash());
        b.append("] ").append(RecordFormat.line(r));
        return b.toString();
    }

    /** A header field: printable US-ASCII without spaces, at most {@code max} characters; "-" when empty. */
    static String header(String s, int max) {
        if (s == null || s.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            b.append(c > 32 && c < 127 ? c : '_');
        }
        return b.toString();
    }

    /**
     * A PARAM-VALUE: '"', '\' and ']' escaped with a backslash (RFC 5424 6.3.3), control characters replaced (the
     * JSON in MSG keeps them, escaped); absent values are left out.
     */
    private static void param(StringBuilder b, String name, String value) {
        if (value == null) {
            return;
        }
        b.append(' ').append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == ']') {
                b.append('\\');
            }
            b.append(Character.isISOControl(c) ? '?' : c); // one message is one line for every receiver
        }
        b.append('"');
    }
}
