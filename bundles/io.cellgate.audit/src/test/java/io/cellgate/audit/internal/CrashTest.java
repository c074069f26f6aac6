package io.cellgate.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.audit.AuditRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real kill -9 of a writing JVM, twice: every confirmed record is in the trail, and the chain continues. */
class CrashTest {

    @TempDir
    Path dir;

    @Test
    void append_writerKilledWithSigkill_everyConfirmedRecordKeptAndChainContinues() throws Exception {
        Path trailDir = dir.resolve("audit");
        Map<Long, String> promised = new HashMap<>();
        for (int round = 0; round < 2; round++) {
            promised.putAll(runAndKill(trailDir, 150 + round * 100));
        }
        long next;
        try (AuditTrail t = Trails.open(trailDir, 4096)) {
            AuditRecord r = t.append(Trails.event(0));
            assertThat(r).isNotNull();
            next = r.seq();
        }
        ChainVerifier.Result result = ChainVerifier.verify(trailDir);
        assertThat(result.problem()).isNull();
        Map<Long, String> stored = storedHashes(trailDir);
        assertThat(promised).hasSizeGreaterThanOrEqualTo(250);
        for (Map.Entry<Long, String> p : promised.entrySet()) {
            assertThat(stored.get(p.getKey())).as("seq %d", p.getKey()).isEqualTo(p.getValue());
        }
        assertThat(next).isGreaterThan(promised.keySet().stream().mapToLong(Long::longValue).max().orElseThrow());
    }

    private static Map<Long, String> storedHashes(Path trailDir) throws IOException {
        Map<Long, String> hashes = new HashMap<>();
        for (Path f : TrailFiles.list(trailDir).values()) {
            List<String> lines = TrailFiles.lines(f);
            for (int i = 0; i < lines.size() - 1; i++) {
                try {
                    AuditRecord r = RecordFormat.parse(lines.get(i));
                    hashes.put(r.seq(), r.hash());
                } catch (RecordFormat.BadRecordException e) {
                    throw new AssertionError(f + ":" + (i + 1) + ": " + e.getMessage());
                }
            }
        }
        return hashes;
    }

    private static Map<Long, String> runAndKill(Path trailDir, int confirmations) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), trailDir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Map<Long, String> promised = new HashMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (!line.startsWith("C ")) {
                    continue; // the child's log
                }
                String[] parts = line.split(" ");
                promised.put(Long.parseLong(parts[1]), parts[2]);
                if (promised.size() == confirmations) {
                    // kill through the handle: our end of the pipe stays open, so lines printed just before
                    // the kill are still read and checked
                    child.toHandle().destroyForcibly();
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(promised).hasSizeGreaterThanOrEqualTo(confirmations);
        return promised;
    }
}
