package io.cellgate.audit.internal;

import io.cellgate.api.audit.AuditRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Recomputes the whole chain, across files, and names the first break: where (file:line) and what (edited,
 * removed, reordered, truncated). Reads only; works on a running gateway's trail (a record being appended is at
 * most a truncated last line, and is reported as such).
 */
final class ChainVerifier {

    enum Kind { EDITED, REMOVED, REORDERED, TRUNCATED }

    /** Where the chain breaks. */
    record Break(String file, int line, Kind kind, String detail) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + kind.name().toLowerCase(java.util.Locale.ROOT) + ": " + detail;
        }
    }

    /** The outcome: the records checked and the last hash, or the first break. */
    record Result(long records, int files, long lastSeq, String lastHash, Break problem) {
        boolean ok() {
            return problem == null;
        }
    }

    private ChainVerifier() {
    }

    static Result verify(Path dir) throws IOException {
        // the head first: it is written after its record is in a file, so on a live trail it never runs ahead
        TrailFiles.Head head = TrailFiles.Head.read(dir);
        TreeMap<Integer, Path> files = TrailFiles.list(dir);
        long count = 0;
        long expectedSeq = 1;
        String expectedPrev = RecordFormat.GENESIS;
        int expectedIndex = 1;
        String previousName = null;
        int lastLine = 0;
        String lastName = TrailFiles.name(1);
        for (Map.Entry<Integer, Path> f : files.entrySet()) {
            String name = TrailFiles.name(f.getKey());
            if (f.getKey() != expectedIndex) {
                return broken(count, files.size(), expectedSeq, expectedPrev,
                        new Break(TrailFiles.name(expectedIndex), 0, Kind.REMOVED, "the file is missing (the next is "
                                + name + "): records from seq " + expectedSeq + " on are lost"));
            }
            List<String> lines = TrailFiles.lines(f.getValue());
            int complete = lines.size() - 1;
            for (int i = 0; i < complete; i++) {
                int lineNo = i + 1;
                AuditRecord r;
                try {
                    r = RecordFormat.parse(lines.get(i));
                } catch (RecordFormat.BadRecordException e) {
                    return broken(count, files.size(), expectedSeq, expectedPrev,
                            new Break(name, lineNo, Kind.EDITED, e.getMessage()));
                }
                if (r.seq() != expectedSeq) {
                    return broken(count, files.size(), expectedSeq, expectedPrev,
                            new Break(name, lineNo, sequenceBreak(lines, i + 1, complete, expectedSeq, r.seq()),
                                    "seq " + r.seq() + " where seq " + expectedSeq + " was expected"
                                            + (r.seq() > expectedSeq && !laterInFile(lines, i + 1, complete, expectedSeq)
                                                    ? " (records " + expectedSeq + ".." + (r.seq() - 1) + " are gone)"
                                                    : "")));
                }
                if (!r.prevHash().equals(expectedPrev)) {
                    // seq fits but the link does not: the record before was replaced by a re-hashed one
                    return broken(count, files.size(), expectedSeq, expectedPrev,
                            new Break(name, lineNo, Kind.EDITED, "prev hash does not match the record before"
                                    + " (it or this one was rewritten)"));
                }
                boolean link = RecordFormat.LINK_ACTION.equals(r.event().action());
                if (i == 0 && previousName != null && !(link && previousName.equals(r.event().resource()))) {
                    return broken(count, files.size(), expectedSeq, expectedPrev,
                            new Break(name, lineNo, Kind.EDITED, "the file does not start with the link record to "
                                    + previousName));
                }
                if (link && i != 0) {
                    return broken(count, files.size(), expectedSeq, expectedPrev,
                            new Break(name, lineNo, Kind.EDITED, "a link record inside a file"));
                }
                count++;
                expectedSeq++;
                expectedPrev = r.hash();
            }
            if (!lines.get(complete).isEmpty()) {
                return broken(count, files.size(), expectedSeq, expectedPrev,
                        new Break(name, complete + 1, Kind.TRUNCATED, "the record is cut off (no end of line)"));
            }
            if (complete == 0 && f.getKey() != files.lastKey()) {
                return broken(count, files.size(), expectedSeq, expectedPrev,
                        new Break(name, 1, Kind.REMOVED, "the file is empty"));
            }
            previousName = name;
            lastName = name;
            lastLine = complete;
            expectedIndex++;
        }
        long lastSeq = expectedSeq - 1;
        if (head != null && head.seq() > lastSeq) {
            return broken(count, files.size(), expectedSeq, expectedPrev, new Break(lastName, lastLine + 1,
                    Kind.TRUNCATED, "the trail ends at seq " + lastSeq + " but seq " + head.seq()
                            + " was written (head file): the records after it are gone"));
        }
        if (head != null && head.seq() == lastSeq && lastSeq > 0 && !head.hash().equals(expectedPrev)
                && files.size() > 0) {
            return broken(count, files.size(), expectedSeq, expectedPrev, new Break(lastName, lastLine,
                    Kind.EDITED, "the last record's hash differs from the one written (head file)"));
        }
        return new Result(count, files.size(), lastSeq, expectedPrev, null);
    }

    private static Kind sequenceBreak(List<String> lines, int from, int to, long expectedSeq, long seq) {
        if (seq < expectedSeq) {
            return Kind.REORDERED;
        }
        return laterInFile(lines, from, to, expectedSeq) ? Kind.REORDERED : Kind.REMOVED;
    }

    /** Whether a record with {@code seq} comes later in the file (then the records were swapped, not removed). */
    private static boolean laterInFile(List<String> lines, int from, int to, long seq) {
        for (int i = from; i < to; i++) {
            try {
                if (RecordFormat.parse(lines.get(i)).seq() == seq) {
                    return true;
                }
            } catch (RecordFormat.BadRecordException e) {
                // an edited record further on does not matter here
            }
        }
        return false;
    }

    private static Result broken(long count, int files, long expectedSeq, String lastHash, Break b) {
        return new Result(count, files, expectedSeq - 1, lastHash, b);
    }
}
