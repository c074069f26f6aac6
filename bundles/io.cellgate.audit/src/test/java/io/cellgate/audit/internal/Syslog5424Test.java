package io.cellgate.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditRecord;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Syslog5424Test {

    private static AuditRecord record(String identity, AuditEvent.Result result) {
        return RecordFormat.seal(7, new AuditEvent(Trails.T0, identity, null, "write.opcua", "press/speed",
                result, null, null), RecordFormat.GENESIS);
    }

    @Test
    void message_denied_warningOfLogAuditWithFieldsAndTheStoredLine() {
        AuditRecord r = record("otto", AuditEvent.Result.DENIED);

        String m = Syslog5424.message(r, "gw-1", "cellgate@32473");

        assertThat(m).isEqualTo("<108>1 2026-11-25T08:00:00.000000Z gw-1 cellgate - write.opcua [cellgate@32473"
                + " seq=\"7\" identity=\"otto\" resource=\"press/speed\" result=\"DENIED\" hash=\"" + r.hash() + "\"] "
                + RecordFormat.line(r));
    }

    @Test
    void message_crafted_identity_escapedAndOnOneLine() {
        String m = Syslog5424.message(record("a\"b]c\\d\ne", AuditEvent.Result.SUCCESS), "gw 1", "x@1");

        assertThat(m).startsWith("<109>1 ").contains(" gw_1 ").contains("identity=\"a\\\"b\\]c\\\\d?e\"")
                .doesNotContain("\n");
    }

    @Test
    void frame_lengthInOctetsOfTheUtf8Message() {
        AuditRecord r = record("Jürgen", AuditEvent.Result.SUCCESS);
        byte[] msg = Syslog5424.message(r, "gw", "x@1").getBytes(StandardCharsets.UTF_8);

        String frame = new String(Syslog5424.frame(r, "gw", "x@1"), StandardCharsets.UTF_8);

        assertThat(frame).startsWith(msg.length + " <109>1 ");
        assertThat(msg.length).isGreaterThan(Syslog5424.message(r, "gw", "x@1").length()); // ü is two octets
    }
}
