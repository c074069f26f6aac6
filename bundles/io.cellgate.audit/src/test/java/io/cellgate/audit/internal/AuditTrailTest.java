package io.cellgate.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditRecord;
import io.cellgate.api.audit.AuditStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditTrailTest {

    @TempDir
    Path state;

    private Path dir() {
        return state.resolve("audit");
    }

    @Test
    void append_manyRecordsWithRotation_chainVerifiesAcrossFiles() throws IOException {
        try (AuditTrail t = Trails.open(dir(), 2048)) {
            for (int i = 0; i < 60; i++) {
                assertThat(t.append(Trails.event(i))).isNotNull();
            }
        }
        ChainVerifier.Result r = ChainVerifier.verify(dir());
        assertThat(r.problem()).isNull();
        assertThat(r.files()).isGreaterThan(5);
        assertThat(r.records()).isEqualTo(60 + r.files() - 1); // one link record per file after the first
        List<String> second = TrailFiles.lines(dir().resolve(TrailFiles.name(2)));
        assertThat(second.get(0)).contains("\"action\":\"audit.link\"", "\"resource\":\"trail-000001.jsonl\"");
    }

    @Test
    void append_returnsRecordChainedToThePreviousOne() {
        try (AuditTrail t = Trails.open(dir(), 1 << 20)) {
            AuditRecord a = t.append(Trails.event(1));
            AuditRecord b = t.append(Trails.event(2));
            assertThat(a.seq()).isEqualTo(1);
            assertThat(a.prevHash()).isEqualTo(RecordFormat.GENESIS);
            assertThat(b.seq()).isEqualTo(2);
            assertThat(b.prevHash()).isEqualTo(a.hash());
            assertThat(t.status().lastHash()).isEqualTo(b.hash());
            assertThat(t.status().writable()).isTrue();
        }
    }

    @Test
    void open_afterRestart_continuesSeqAndPrevHash() throws IOException {
        AuditRecord last;
        try (AuditTrail t = Trails.open(dir(), 2048)) {
            for (int i = 0; i < 20; i++) {
                t.append(Trails.event(i));
            }
            last = t.append(Trails.event(20));
        }
        try (AuditTrail t = Trails.open(dir(), 2048)) {
            AuditRecord next = t.append(Trails.event(21));
            assertThat(next.seq()).isEqualTo(last.seq() + 1);
            assertThat(next.prevHash()).isEqualTo(last.hash());
        }
        assertThat(ChainVerifier.verify(dir()).problem()).isNull();
    }

    @Test
    void open_afterCrashMidRecord_removesTornRecordAndRecordsTheRepair() throws IOException {
        long lastSeq;
        try (AuditTrail t = Trails.open(dir(), 1 << 20)) {
            for (int i = 0; i < 5; i++) {
                t.append(Trails.event(i));
            }
            lastSeq = t.status().lastSeq();
        }
        Files.writeString(dir().resolve(TrailFiles.name(1)), "{\"v\":1,\"seq\":6,\"ti", StandardOpenOption.APPEND);
        try (AuditTrail t = Trails.open(dir(), 1 << 20)) {
            AuditRecord next = t.append(Trails.event(9));
            assertThat(next.seq()).isEqualTo(lastSeq + 2); // the repair record comes first
        }
        assertThat(ChainVerifier.verify(dir()).problem()).isNull();
        assertThat(Files.readString(dir().resolve(TrailFiles.name(1))))
                .contains("\"action\":\"audit.recovered\"", "torn record");
    }

    @Test
    void open_afterTailRemovedWhileStopped_recordsTheGapInTheChain() throws IOException {
        try (AuditTrail t = Trails.open(dir(), 1 << 20)) {
            for (int i = 0; i < 5; i++) {
                t.append(Trails.event(i));
            }
        }
        Path file = dir().resolve(TrailFiles.name(1));
        List<String> lines = TrailFiles.lines(file);
        Files.writeString(file, String.join("\n", lines.subList(0, 3)) + "\n");
        try (AuditTrail t = Trails.open(dir(), 1 << 20)) {
            assertThat(t.append(Trails.event(7))).isNotNull();
        }
        assertThat(Files.readString(file)).contains("\"action\":\"audit.recovered\"",
                "the trail ends at seq 3 but seq 5 had been written");
    }

    @Test
    void append_concurrentWriters_keepAValidChain() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try (AuditTrail t = Trails.open(dir(), 8192)) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                int writer = w;
                results.add(pool.submit(() -> {
                    boolean all = true;
                    for (int i = 0; i < 80; i++) {
                        all &= t.append(Trails.event(writer * 1000 + i)) != null;
                    }
                    return all;
                }));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        ChainVerifier.Result r = ChainVerifier.verify(dir());
        assertThat(r.problem()).isNull();
        assertThat(r.records()).isEqualTo(480 + r.files() - 1);
    }

    @Test
    void open_createsPrivateDirectoryAndFiles() throws IOException {
        try (AuditTrail t = Trails.open(dir(), 1024)) {
            for (int i = 0; i < 10; i++) {
                t.append(Trails.event(i));
            }
        }
        assertThat(Files.getPosixFilePermissions(dir())).isEqualTo(TrailFiles.DIR_MODE);
        try (Stream<Path> files = Files.list(dir())) {
            List<Path> trailFiles = files.filter(p -> !p.getFileName().toString().equals(TrailFiles.LOCK)).toList();
            assertThat(trailFiles).hasSizeGreaterThan(2);
            for (Path p : trailFiles) {
                assertThat(Files.getPosixFilePermissions(p)).as(p.toString()).isEqualTo(TrailFiles.FILE_MODE);
            }
        }
    }

    @Test
    void append_directoryIsAFile_returnsNullAndRecoversWhenFixed() throws IOException {
        Files.writeString(dir(), "not a directory");
        try (AuditTrail t = Trails.open(dir(), 1 << 20)) {
            assertThat(t.append(Trails.event(1))).isNull();
            AuditStatus s = t.status();
            assertThat(s.writable()).isFalse();
            assertThat(s.problem()).contains("is not a directory");

            Files.delete(dir());
            assertThat(t.append(Trails.event(2))).isNotNull();
            assertThat(t.status().writable()).isTrue();
        }
        assertThat(ChainVerifier.verify(dir()).problem()).isNull();
    }

    @Test
    void append_directoryReplacedByAFileWhileRunning_failsClosedAtTheNextFile() throws IOException {
        try (AuditTrail t = Trails.open(dir(), 1024)) {
            assertThat(t.append(Trails.event(0))).isNotNull();
            deleteTree(dir());
            Files.writeString(dir(), "replaced");
            int firstFailure = -1;
            for (int i = 1; i < 20 && firstFailure < 0; i++) {
                if (t.append(Trails.event(i)) == null) {
                    firstFailure = i;
                }
            }
            assertThat(firstFailure).as("the rotation into the replaced directory fails").isPositive();
            assertThat(t.append(Trails.event(99))).isNull();
            assertThat(t.status().writable()).isFalse();
        }
    }

    @Test
    void open_secondWriterOnTheSameDirectory_isRefused() {
        try (AuditTrail first = Trails.open(dir(), 1 << 20); AuditTrail second = Trails.open(dir(), 1 << 20)) {
            assertThat(first.append(Trails.event(1))).isNotNull();
            assertThat(second.append(Trails.event(2))).isNull();
            assertThat(second.status().problem()).contains("in use by another writer");
        }
    }

    @Test
    void append_eventWithControlCharacters_staysOneLineAndVerifies() throws IOException {
        try (AuditTrail t = Trails.open(dir(), 1 << 20)) {
            t.append(new AuditEvent(Trails.T0, "eve\n{\"v\":1}", null, "login", null, AuditEvent.Result.FAILED,
                    "x".repeat(5000), null));
        }
        List<String> lines = TrailFiles.lines(dir().resolve(TrailFiles.name(1)));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).length()).isLessThan(2000);
        assertThat(ChainVerifier.verify(dir()).problem()).isNull();
    }

    @Test
    void append_loneSurrogate_storedAsReplacementCharacterAndVerifies() throws Exception {
        AuditRecord r;
        try (AuditTrail t = Trails.open(dir(), 1 << 20)) {
            r = t.append(new AuditEvent(Trails.T0, "ott\uD800o", null, "login", "\uDC00", AuditEvent.Result.FAILED,
                    null, null));
        }
        assertThat(r.event().identity()).isEqualTo("ott\uFFFDo");
        String line = TrailFiles.lines(dir().resolve(TrailFiles.name(1))).get(0);
        assertThat(RecordFormat.parse(line)).isEqualTo(r);
        assertThat(ChainVerifier.verify(dir()).problem()).isNull();
    }

    @Test
    void head_afterAppend_namesTheLastRecord() throws IOException {
        AuditRecord last;
        try (AuditTrail t = Trails.open(dir(), 1 << 20)) {
            t.append(Trails.event(1));
            last = t.append(Trails.event(2));
        }
        assertThat(Files.readString(dir().resolve(TrailFiles.HEAD), StandardCharsets.US_ASCII))
                .isEqualTo(String.format("%020d %s%n", last.seq(), last.hash()));
        assertThat(TrailFiles.Head.read(dir())).isEqualTo(new TrailFiles.Head(last.seq(), last.hash()));
    }

    static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
