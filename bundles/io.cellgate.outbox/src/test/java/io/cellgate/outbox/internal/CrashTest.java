package io.cellgate.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.outbox.Outbox;
import io.cellgate.outbox.OutboxEntry;
import io.cellgate.outbox.OutboxOptions;
import io.cellgate.outbox.Outboxes;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real kill -9: a child JVM appends and reports what it was promised; SIGKILL; everything promised is there. */
class CrashTest {

    @TempDir
    Path dir;

    @Test
    void append_childKilledWithSigkillMidStream_everyReturnedSeqSurvivesWithExactBytes() throws Exception {
        Path outboxDir = dir.resolve("outbox");
        Map<Long, Long> promised = new HashMap<>();
        for (int round = 0; round < 2; round++) {
            // Two rounds: the second kill hits a store that was itself recovered from a kill.
            promised.putAll(runAndKill(outboxDir, 300 + round * 200));
        }
        try (Outbox outbox = Outboxes.open(OutboxOptions.defaults(outboxDir))) {
            Map<Long, OutboxEntry> stored = new HashMap<>();
            long after = 0;
            List<OutboxEntry> batch;
            while (!(batch = outbox.read(after, 1000, Long.MAX_VALUE)).isEmpty()) {
                batch.forEach(e -> stored.put(e.seq(), e));
                after = batch.get(batch.size() - 1).seq();
            }
            assertThat(promised).hasSizeGreaterThanOrEqualTo(800);
            for (Map.Entry<Long, Long> p : promised.entrySet()) {
                assertThat(stored).as("seq %d", p.getKey()).containsKey(p.getKey());
                assertThat(stored.get(p.getKey()).record()).as("bytes of seq %d", p.getKey())
                        .isEqualTo(CrashChild.record(p.getValue()));
            }
            long maxPromised = promised.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
            assertThat(outbox.lastSeq()).isGreaterThanOrEqualTo(maxPromised);
            assertThat(outbox.append(new byte[] {1})).isGreaterThan(maxPromised);
        }
    }

    @Test
    void appendAllAndAcknowledgeLazily_childKilledWithSigkill_promisedEntriesKeptFlushedAcksGoneOthersWholeOrGone()
            throws Exception {
        Path outboxDir = dir.resolve("outbox");
        Map<Long, Long> promised = new HashMap<>();
        Set<Long> durablyAcked = new HashSet<>();
        Set<Long> lazilyAcked = new HashSet<>();
        for (int round = 0; round < 2; round++) {
            Set<Long> lazy = new HashSet<>();
            promised.putAll(runAndKill(outboxDir, 400 + round * 200, "batch-lazy", lazy, durablyAcked));
            lazilyAcked.addAll(lazy);
        }
        lazilyAcked.removeAll(durablyAcked);
        try (Outbox outbox = Outboxes.open(OutboxOptions.defaults(outboxDir))) {
            Map<Long, OutboxEntry> stored = readAll(outbox);
            assertThat(durablyAcked).isNotEmpty();
            for (Map.Entry<Long, Long> p : promised.entrySet()) {
                long seq = p.getKey();
                if (durablyAcked.contains(seq)) {
                    assertThat(stored).as("seq %d acknowledged before a flush", seq).doesNotContainKey(seq);
                } else if (!lazilyAcked.contains(seq)) {
                    assertThat(stored).as("seq %d", seq).containsKey(seq);
                }
                if (stored.containsKey(seq)) {
                    // Kept or back after the crash: always whole, never torn or swapped.
                    assertThat(stored.get(seq).record()).as("bytes of seq %d", seq).isEqualTo(CrashChild.record(p.getValue()));
                }
            }
            long maxPromised = promised.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
            assertThat(outbox.append(new byte[] {1})).isGreaterThan(maxPromised);
        }
    }

    private static Map<Long, OutboxEntry> readAll(Outbox outbox) {
        Map<Long, OutboxEntry> stored = new HashMap<>();
        long after = 0;
        List<OutboxEntry> batch;
        while (!(batch = outbox.read(after, 1000, Long.MAX_VALUE)).isEmpty()) {
            batch.forEach(e -> stored.put(e.seq(), e));
            after = batch.get(batch.size() - 1).seq();
        }
        return stored;
    }

    private static Map<Long, Long> runAndKill(Path outboxDir, int lines) throws Exception {
        return runAndKill(outboxDir, lines, "append", new HashSet<>(), new HashSet<>());
    }

    /**
     * Starts the child, waits until it reported {@code lines} appends, kills it; returns seq → record number.
     * Fills {@code lazy} with the seqs reported lazily acknowledged and {@code durable} with those of them a
     * reported flush covered.
     */
    private static Map<Long, Long> runAndKill(Path outboxDir, int lines, String mode, Set<Long> lazy, Set<Long> durable)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), outboxDir.toString(), mode)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Map<Long, Long> promised = new HashMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("L ")) {
                    lazy.add(Long.parseLong(line.substring(2)));
                } else if (line.equals("F")) {
                    durable.addAll(lazy);
                } else if (line.startsWith("A ")) {
                    String[] parts = line.split(" ");
                    promised.put(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
                    if (promised.size() == lines) {
                        // Mid-stream: the child is inside further appends when the signal lands. Through the
                        // handle (SIGKILL too), because Process.destroyForcibly also closes our end of the pipe
                        // and the lines the child printed just before dying would be lost to the check.
                        child.toHandle().destroyForcibly();
                    }
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        // A line read after the kill was still printed after append returned, so it counts as promised.
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        assertThat(promised).hasSizeGreaterThanOrEqualTo(lines);
        return promised;
    }
}
