package io.cellgate.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.outbox.OutboxOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store file stays bounded under append/acknowledge churn with out-of-order acknowledgements.
 * Runs without fsync: space reuse and compaction do not depend on it, and 100,000 fsynced commits
 * would take minutes here (about 1 ms each). 12,000 cycles (60 window turnovers, about 23 compaction checks)
 * keep the test under ~15 s on a shared 2-core machine; -Doutbox.churn.cycles=50000 ran once: max file
 * 651,264 bytes (final 503,808).
 */
class ChurnTest {

    private static final int CYCLES = Integer.getInteger("outbox.churn.cycles", 12_000);
    private static final int WINDOW = 200;
    private static final int RECORD = 200;
    /**
     * Live data is about WINDOW x RECORD = 40 KB. MVStore writes one chunk of at least one 4 KiB block
     * per commit and reuses freed blocks only after they are unused by the last few versions, so the
     * steady state measured is about 0.3-1 MB; 4 MiB leaves room for allocator noise but catches
     * growth with the number of cycles (the 45 s default retention reached 160 MB after 10,000 cycles).
     */
    private static final long BOUND = 4L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void appendAndAcknowledge_manyCyclesOutOfOrder_fileStaysBounded() {
        try (MvStoreOutbox outbox = MvStoreOutbox.open(OutboxOptions.defaults(dir), false, System::currentTimeMillis)) {
            Random random = new Random(42);
            List<Long> outstanding = new ArrayList<>();
            byte[] record = new byte[RECORD];
            long maxFile = 0;
            for (int i = 1; i <= CYCLES; i++) {
                outstanding.add(outbox.append(record));
                if (outstanding.size() > WINDOW) {
                    // A publisher acknowledges in bursts and not in FIFO order (live data between replayed data).
                    long[] acks = new long[4];
                    for (int k = 0; k < acks.length; k++) {
                        acks[k] = outstanding.remove(random.nextInt(outstanding.size()));
                    }
                    outbox.acknowledge(acks);
                }
                if (i % 1000 == 0) {
                    maxFile = Math.max(maxFile, outbox.stats().storeFileBytes());
                }
            }
            System.out.println("churn: " + CYCLES + " cycles, max file " + maxFile + " bytes, final " + outbox.stats());
            assertThat(outbox.stats().entries()).isEqualTo(outstanding.size());
            assertThat(outbox.stats().acknowledged()).isEqualTo(CYCLES - outstanding.size());
            assertThat(maxFile).isLessThan(BOUND);
        }
    }
}
