package io.cellgate.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditFilter;
import io.cellgate.api.audit.AuditPage;
import io.cellgate.api.audit.AuditRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrailQueryTest {

    @TempDir
    Path dir;

    @BeforeEach
    void writeTrail() {
        try (AuditTrail t = Trails.open(dir, 2048)) {
            for (int i = 0; i < 40; i++) {
                assertThat(t.append(Trails.event(i))).isNotNull();
            }
        }
    }

    private static AuditFilter filter(java.time.Instant from, java.time.Instant to, String identity, String action,
            AuditEvent.Result result, String text) {
        return new AuditFilter(from, to, identity, action, result, text, 0, 1000);
    }

    private List<AuditEvent> events(AuditFilter f) throws IOException {
        return TrailQuery.query(dir, f).records().stream().map(AuditRecord::event).toList();
    }

    @Test
    void query_timeRange_fromInclusiveToExclusive() throws IOException {
        List<AuditEvent> e = events(filter(Trails.T0.plusSeconds(10), Trails.T0.plusSeconds(15), null, "write", null,
                null));
        assertThat(e).extracting(AuditEvent::resource)
                .containsExactly("cell/press/speed-10", "cell/press/speed-12", "cell/press/speed-14");
    }

    @Test
    void query_identityIgnoringCase_onlyThatIdentity() throws IOException {
        List<AuditEvent> e = events(filter(null, null, "USER-1", null, null, null));
        assertThat(e).hasSize(13).allSatisfy(x -> assertThat(x.identity()).isEqualTo("user-1"));
    }

    @Test
    void query_actionPrefix_includesLinkRecords() throws IOException {
        assertThat(events(filter(null, null, null, "audit.*", null, null))).isNotEmpty()
                .allSatisfy(x -> assertThat(x.action()).isEqualTo(RecordFormat.LINK_ACTION));
        assertThat(events(filter(null, null, null, "audit", null, null))).isEmpty();
    }

    @Test
    void query_resultAndText_combined() throws IOException {
        List<AuditEvent> e = events(filter(null, null, null, null, AuditEvent.Result.DENIED, "SPEED-3"));
        assertThat(e).extracting(AuditEvent::resource)
                .containsExactly("cell/press/speed-3", "cell/press/speed-31", "cell/press/speed-35",
                        "cell/press/speed-39");
    }

    @Test
    void query_paging_visitsEveryRecordOnce() throws IOException {
        AuditFilter f = new AuditFilter(null, null, null, "login", null, null, 0, 7);
        List<String> seen = new ArrayList<>();
        AuditPage page = TrailQuery.query(dir, f);
        int pages = 1;
        while (true) {
            page.records().forEach(r -> seen.add(r.event().resource()));
            if (!page.hasMore()) {
                break;
            }
            page = TrailQuery.query(dir, f.after(page.nextAfterSeq()));
            pages++;
        }
        assertThat(seen).hasSize(20).doesNotHaveDuplicates();
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void export_writesTheStoredLinesUnchanged() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = TrailQuery.export(dir, filter(null, null, "user-2", null, null, null), out);
        String exported = out.toString(StandardCharsets.UTF_8);
        assertThat(n).isEqualTo(13);
        String all = String.join("\n", TrailFiles.list(dir).values().stream().map(p -> {
            try {
                return Files.readString(p);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList());
        for (String line : exported.split("\n")) {
            assertThat(all).contains(line + "\n");
            assertThat(line).contains("\"identity\":\"user-2\"", "\"hash\":");
        }
    }

    @Test
    void filter_limitOutOfRange_isRefusedNamingIt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AuditFilter.all(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit: 0");
    }
}
