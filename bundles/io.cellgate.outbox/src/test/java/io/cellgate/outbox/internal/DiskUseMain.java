package io.cellgate.outbox.internal;

import io.cellgate.outbox.Outbox;
import io.cellgate.outbox.OutboxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A measurement, not a test: store-file bytes per record when the outbox is filled with {@code appendAll} batches
 * (fsync off: the same file layout, minutes faster). Numbers in docs/outbox.md, "Batched appends".
 *
 * <pre>java -cp target/test-classes:../io.cellgate.bench/target/benchmarks.jar io.cellgate.outbox.internal.DiskUseMain
 *     DIR RECORDS BATCH [RECORD_BYTES=300]</pre>
 */
public final class DiskUseMain {

    private DiskUseMain() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int records = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        int size = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        Random rnd = new Random(1);
        long recordBytes = 0;
        long t0 = System.nanoTime();
        try (Outbox o = MvStoreOutbox.open(OutboxOptions.defaults(dir).withMaxBytes(8L << 30), false, System::currentTimeMillis)) {
            for (int n = 0; n < records; n += batch) {
                List<byte[]> b = new ArrayList<>();
                for (int i = 0; i < batch; i++) {
                    byte[] r = new byte[size + rnd.nextInt(47)];
                    rnd.nextBytes(r);
                    recordBytes += r.length;
                    b.add(r);
                }
                o.appendAll(b);
            }
            long file = o.stats().storeFileBytes();
            System.out.printf(Locale.ROOT, "batch %d: %d records of %.1f B on average, %.1f s; file %d B = %.1f B per record (%.2fx)%n",
                    batch, records, (double) recordBytes / records, (System.nanoTime() - t0) / 1e9, file,
                    (double) file / records, (double) file / recordBytes);
        }
        long dirBytes = 0;
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                dirBytes += Files.size(p);
            }
        }
        System.out.printf(Locale.ROOT, "  after close: directory %d B = %.1f B per record%n", dirBytes, (double) dirBytes / records);
    }
}
