package io.cellgate.audit.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditFilter;
import io.cellgate.api.audit.AuditPage;
import io.cellgate.api.audit.AuditRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the trail files in order and returns the records that match a filter. Damaged lines are skipped here
 * ({@code cellgate audit verify} reports them). A query scans the files from the first one that can hold records
 * after {@code afterSeq}; fine for the trail sizes of one cell, an index would be the next step.
 */
final class TrailQuery {

    private TrailQuery() {
    }

    /** A matching record with its stored line. */
    private record Hit(AuditRecord record, String line) {
    }

    static AuditPage query(Path dir, AuditFilter filter) throws IOException {
        List<Hit> hits = scan(dir, filter, filter.limit() + 1);
        List<AuditRecord> records = new ArrayList<>();
        for (int i = 0; i < Math.min(filter.limit(), hits.size()); i++) {
            records.add(hits.get(i).record());
        }
        long next = hits.size() > filter.limit() ? records.get(records.size() - 1).seq() : -1;
        return new AuditPage(records, next);
    }

    static long export(Path dir, AuditFilter filter, OutputStream out) throws IOException {
        List<Hit> hits = scan(dir, filter, filter.limit());
        for (Hit h : hits) {
            out.write((h.line() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
        return hits.size();
    }

    private static List<Hit> scan(Path dir, AuditFilter filter, int max) throws IOException {
        List<Hit> hits = new ArrayList<>();
        for (Path file : TrailFiles.list(dir).values()) {
            List<String> lines = TrailFiles.lines(file);
            if (filter.afterSeq() > 0 && !lines.isEmpty() && lastSeq(lines) <= filter.afterSeq()) {
                continue; // the whole file is before the page
            }
            for (int i = 0; i < lines.size() - 1; i++) {
                AuditRecord r;
                try {
                    r = RecordFormat.parse(lines.get(i));
                } catch (RecordFormat.BadRecordException e) {
                    continue;
                }
                if (r.seq() > filter.afterSeq() && matches(r.event(), filter)) {
                    hits.add(new Hit(r, lines.get(i)));
                    if (hits.size() >= max) {
                        return hits;
                    }
                }
            }
        }
        return hits;
    }

    private static long lastSeq(List<String> lines) {
        for (int i = lines.size() - 2; i >= 0; i--) {
            try {
                return RecordFormat.parse(lines.get(i)).seq();
            } catch (RecordFormat.BadRecordException e) {
                // look further up
            }
        }
        return Long.MAX_VALUE;
    }

    static boolean matches(AuditEvent e, AuditFilter f) {
        if (f.from() != null && e.time().isBefore(f.from())) {
            return false;
        }
        if (f.to() != null && !e.time().isBefore(f.to())) {
            return false;
        }
        if (f.identity() != null && !f.identity().equalsIgnoreCase(e.identity())) {
            return false;
        }
        if (f.action() != null) {
            boolean prefix = f.action().endsWith(".*");
            String a = prefix ? f.action().substring(0, f.action().length() - 1) : f.action();
            if (prefix ? !e.action().startsWith(a) : !e.action().equals(a)) {
                return false;
            }
        }
        if (f.result() != null && f.result() != e.result()) {
            return false;
        }
        if (f.text() != null) {
            String t = f.text().toLowerCase(Locale.ROOT);
            return contains(e.identity(), t) || contains(e.source(), t) || contains(e.action(), t)
                    || contains(e.resource(), t) || contains(e.reason(), t) || contains(e.rule(), t);
        }
        return true;
    }

    private static boolean contains(String field, String lowerText) {
        return field != null && field.toLowerCase(Locale.ROOT).contains(lowerText);
    }
}
