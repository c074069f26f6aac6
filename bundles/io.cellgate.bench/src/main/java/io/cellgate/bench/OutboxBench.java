package io.cellgate.bench;

import io.cellgate.outbox.Outbox;
import io.cellgate.outbox.OutboxEntry;
import io.cellgate.outbox.OutboxOptions;
import io.cellgate.outbox.Outboxes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Durable outbox throughput with fsync on every commit (docs/outbox.md): appends per second from 1 and
 * 4 threads (4 threads share commits and fsyncs: group commit), append+acknowledge cycles, replay of a
 * backlog (read 500, acknowledge 500) and disk use per buffered record. Not a test: prints a table.
 *
 * <pre>java -cp target/benchmarks.jar io.cellgate.bench.OutboxBench [--seconds 10] [--record 200]
 *      [--backlog 100000] [--dir /var/tmp]</pre>
 *
 * The directory must be on the disk the gateway uses: on tmpfs, fsync costs nothing and the numbers mean nothing.
 */
public final class OutboxBench {

    private OutboxBench() {}

    public static void main(String[] args) throws Exception {
        int seconds = 10;
        int recordSize = 200;
        int backlog = 100_000;
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--record" -> recordSize = Integer.parseInt(args[++i]);
                case "--backlog" -> backlog = Integer.parseInt(args[++i]);
                case "--dir" -> base = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--seconds N, --record BYTES, --backlog N, --dir PATH)");
            }
        }
        System.out.printf(Locale.ROOT, "outbox bench: %d B records, %d s per run, %d cores, java %s, dir %s%n", recordSize,
                seconds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), base);
        System.out.printf(Locale.ROOT, "%-28s %12s %12s%n", "run", "ops/s", "records/s");
        byte[] record = new byte[recordSize];
        run(base, "append, 1 thread", 1, seconds, record, false);
        run(base, "append, 4 threads", 4, seconds, record, false);
        run(base, "append+ack, 1 thread", 1, seconds, record, true);
        run(base, "append+ack, 4 threads", 4, seconds, record, true);
        replay(base, backlog, record);
    }

    /** Each op is one append (and, with {@code ack}, one acknowledge of it: two durable commits). */
    private static void run(Path base, String name, int threads, int seconds, byte[] record, boolean ack) throws Exception {
        Path dir = Files.createTempDirectory(base, "outbox-bench");
        try (Outbox outbox = Outboxes.open(OutboxOptions.defaults(dir))) {
            LongAdder ops = new LongAdder();
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(() -> {
                    while (System.nanoTime() < end) {
                        long seq = outbox.append(record);
                        if (ack) {
                            outbox.acknowledge(seq);
                        }
                        ops.increment();
                    }
                }, "bench-" + t);
                workers.add(worker);
            }
            long start = System.nanoTime();
            workers.forEach(Thread::start);
            for (Thread worker : workers) {
                worker.join();
            }
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "%-28s %12.0f %12.0f%n", name, ops.sum() / secs, ops.sum() / secs);
        } finally {
            delete(dir);
        }
    }

    /** Fills a backlog with 4 appenders, reports disk use per record, then drains it like a replay. */
    private static void replay(Path base, int backlog, byte[] record) throws Exception {
        Path dir = Files.createTempDirectory(base, "outbox-bench");
        try (Outbox outbox = Outboxes.open(OutboxOptions.defaults(dir).withMaxBytes(4L * 1024 * 1024 * 1024))) {
            long start = System.nanoTime();
            List<Thread> workers = new ArrayList<>();
            int perThread = backlog / 4;
            for (int t = 0; t < 4; t++) {
                Thread worker = new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        outbox.append(record);
                    }
                });
                workers.add(worker);
                worker.start();
            }
            for (Thread worker : workers) {
                worker.join();
            }
            double fillSecs = (System.nanoTime() - start) / 1e9;
            long entries = outbox.stats().entries();
            long file = outbox.stats().storeFileBytes();
            System.out.printf(Locale.ROOT, "%-28s %12.0f %12.0f%n", "fill backlog, 4 threads", entries / fillSecs, entries / fillSecs);
            System.out.printf(Locale.ROOT, "disk use: %d records of %d B in %d file bytes = %.1f B/record%n", entries,
                    record.length, file, (double) file / entries);

            start = System.nanoTime();
            long after = 0;
            long drained = 0;
            List<OutboxEntry> batch;
            while (!(batch = outbox.read(after, 500, 256 * 1024)).isEmpty()) {
                long[] seqs = batch.stream().mapToLong(OutboxEntry::seq).toArray();
                outbox.acknowledge(seqs);
                after = seqs[seqs.length - 1];
                drained += seqs.length;
            }
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "%-28s %12.0f %12.0f%n", "replay (read 500, ack 500)", drained / 500 / secs,
                    drained / secs);
            System.out.printf(Locale.ROOT, "after replay: %d entries, file %d bytes%n", outbox.stats().entries(),
                    outbox.stats().storeFileBytes());
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
