package io.cellgate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditFilter;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AuditTrailAccessTest {

    private static AuditFilter filter(Map<String, String> params) throws Exception {
        return AuditTrailAccess.filter(params::get, 50, 500);
    }

    @Test
    void filter_allParameters_becomeTheFilter() throws Exception {
        AuditFilter f = filter(Map.of("from", "2026-11-25T08:00", "to", "2026-11-25", "identity", " anna ",
                "action", "login.*", "result", "denied", "text", "press", "after", "17", "limit", "20"));
        assertThat(f.from()).isEqualTo(Instant.parse("2026-11-25T08:00:00Z"));
        assertThat(f.to()).as("a date as 'to' is the end of that day").isEqualTo(Instant.parse("2026-11-26T00:00:00Z"));
        assertThat(f.identity()).isEqualTo("anna");
        assertThat(f.action()).isEqualTo("login.*");
        assertThat(f.result()).isEqualTo(AuditEvent.Result.DENIED);
        assertThat(f.afterSeq()).isEqualTo(17);
        assertThat(f.limit()).isEqualTo(20);
        assertThat(filter(Map.of()).limit()).isEqualTo(50);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "from   | yesterday            | from: 'yesterday' is not a time",
        "to     | 2026-13-01           | to: '2026-13-01' is not a time",
        "result | MAYBE                | result: 'MAYBE' is not SUCCESS, DENIED or FAILED",
        "limit  | 0                    | limit: 0 is not within 1..500",
        "limit  | 501                  | limit: 501 is not within 1..500",
        "limit  | many                 | limit: 'many' is not a whole number",
        "after  | -1                   | after: -1 is not within 0..",
    })
    void filter_badParameter_isNamed(String name, String value, String message) {
        assertThatThrownBy(() -> filter(Map.of(name, value))).isInstanceOf(AuditTrailAccess.BadFilterException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void filter_toNotAfterFrom_isRefused() {
        assertThatThrownBy(() -> filter(Map.of("from", "2026-11-25T10:00:00Z", "to", "2026-11-25T09:00:00Z")))
                .hasMessageStartingWith("to: 2026-11-25T09:00:00Z is not after from");
    }

    @Test
    void csv_quotesSeparators_andDefusesFormulas() {
        assertThat(AuditTrailAccess.csv("plain")).isEqualTo("plain");
        assertThat(AuditTrailAccess.csv("a,b")).isEqualTo("\"a,b\"");
        assertThat(AuditTrailAccess.csv("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(AuditTrailAccess.csv("=HYPERLINK(1)")).isEqualTo("'=HYPERLINK(1)");
        assertThat(AuditTrailAccess.csv("line\nbreak")).isEqualTo("\"line\nbreak\"");
        assertThat(AuditTrailAccess.csv(null)).isEmpty();
    }
}
