package io.cellgate.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellgate.outbox.Outbox;
import io.cellgate.outbox.OutboxEntry;
import io.cellgate.outbox.OutboxOptions;
import io.cellgate.outbox.OutboxStats;
import io.cellgate.outbox.OverflowPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** appendAll (one commit per batch) and acknowledgeLazily/flush (removals that ride on the next commit). */
class BatchAndLazyAckTest {

    @TempDir
    Path tmp;

    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private final List<MvStoreOutbox> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(Outbox::close);
    }

    private MvStoreOutbox open(OutboxOptions options) {
        MvStoreOutbox outbox = MvStoreOutbox.open(options, true, clock::get);
        opened.add(outbox);
        return outbox;
    }

    private MvStoreOutbox open() {
        return open(OutboxOptions.defaults(tmp.resolve("outbox")));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(List<OutboxEntry> entries) {
        return entries.stream().map(e -> new String(e.record(), StandardCharsets.UTF_8)).toList();
    }

    private static long[] seqs(MvStoreOutbox outbox) {
        return outbox.read(0, 100_000, Long.MAX_VALUE).stream().mapToLong(OutboxEntry::seq).toArray();
    }

    @Test
    void appendAll_batch_ascendingSeqsAndExactRecordsAfterCrash() {
        MvStoreOutbox first = open();
        first.append(bytes("single"));
        long[] seqs = first.appendAll(List.of(bytes("a"), bytes("bb"), new byte[0]));
        first.closeWithoutCommit();

        MvStoreOutbox second = open();
        assertThat(seqs).containsExactly(2, 3, 4);
        assertThat(texts(second.read(0, 10, 1000))).containsExactly("single", "a", "bb", "");
        OutboxStats stats = second.stats();
        assertThat(stats.appended()).isEqualTo(4);
        assertThat(stats.bytes()).isEqualTo(9);
        assertThat(second.lastSeq()).isEqualTo(4);
    }

    @Test
    void appendAll_emptyList_returnsEmptyAndChangesNothing() {
        MvStoreOutbox outbox = open();

        assertThat(outbox.appendAll(List.of())).isEmpty();
        assertThat(outbox.lastSeq()).isZero();
    }

    @Test
    void appendAll_nullRecord_throwsNamingItsIndexAndStoresNothing() {
        MvStoreOutbox outbox = open();
        List<byte[]> records = Arrays.asList(bytes("a"), null);

        assertThatThrownBy(() -> outbox.appendAll(records)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("record 1");
        assertThat(outbox.stats().entries()).isZero();
    }

    @Test
    void appendAll_rejectNewWhenFull_refusedRecordsGetZeroAndOthersAreStored() {
        MvStoreOutbox outbox = open(OutboxOptions.defaults(tmp.resolve("outbox")).withMaxBytes(1024)
                .withOverflow(OverflowPolicy.REJECT_NEW));

        long[] seqs = outbox.appendAll(List.of(new byte[600], new byte[600], new byte[2000], new byte[400]));

        assertThat(seqs).containsExactly(1, 0, 0, 2);
        OutboxStats stats = outbox.stats();
        assertThat(stats.entries()).isEqualTo(2);
        assertThat(stats.bytes()).isEqualTo(1000);
        assertThat(stats.rejected()).isEqualTo(2);
    }

    @Test
    void appendAll_dropOldestWhenFull_dropsOldestAndCounts() {
        MvStoreOutbox outbox = open(OutboxOptions.defaults(tmp.resolve("outbox")).withMaxBytes(1024));
        outbox.append(new byte[500]);

        long[] seqs = outbox.appendAll(List.of(new byte[500], new byte[500]));

        assertThat(seqs).containsExactly(2, 3);
        assertThat(seqs(outbox)).containsExactly(2, 3);
        assertThat(outbox.stats().droppedOverflow()).isEqualTo(1);
    }

    @Test
    void acknowledgeLazily_removesAtOnceButCrashBringsEntriesBackWhole() {
        MvStoreOutbox first = open();
        first.appendAll(List.of(bytes("r1"), bytes("r2"), bytes("r3")));

        first.acknowledgeLazily(2, 3, 99);

        assertThat(seqs(first)).containsExactly(1);
        assertThat(first.pendingLazyAcknowledgements()).isEqualTo(2);
        assertThat(first.stats().acknowledged()).isEqualTo(2);
        first.closeWithoutCommit();

        MvStoreOutbox second = open();
        assertThat(texts(second.read(0, 10, 1000))).containsExactly("r1", "r2", "r3");
        assertThat(second.stats().acknowledged()).isZero();
        assertThat(second.stats().bytes()).isEqualTo(6);
    }

    @Test
    void acknowledgeLazily_thenFlush_removalSurvivesCrash() {
        MvStoreOutbox first = open();
        first.appendAll(List.of(bytes("r1"), bytes("r2"), bytes("r3")));
        first.acknowledgeLazily(3, 1);

        first.flush();

        assertThat(first.pendingLazyAcknowledgements()).isZero();
        first.closeWithoutCommit();
        MvStoreOutbox second = open();
        assertThat(texts(second.read(0, 10, 1000))).containsExactly("r2");
        assertThat(second.stats().acknowledged()).isEqualTo(2);
    }

    @Test
    void acknowledgeLazily_thenAppend_removalCommittedWithTheAppend() {
        MvStoreOutbox first = open();
        first.appendAll(List.of(bytes("r1"), bytes("r2")));
        first.acknowledgeLazily(1);

        first.append(bytes("r3"));

        assertThat(first.pendingLazyAcknowledgements()).isZero();
        first.closeWithoutCommit();
        MvStoreOutbox second = open();
        assertThat(texts(second.read(0, 10, 1000))).containsExactly("r2", "r3");
    }

    @Test
    void acknowledgeLazily_reachingTheBound_commitsOnItsOwn() {
        MvStoreOutbox first = open();
        int n = Outbox.LAZY_ACK_FLUSH_ENTRIES;
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < n + 1; i++) {
            records.add(bytes("r" + i));
        }
        first.appendAll(records);

        first.acknowledgeLazily(LongStream.rangeClosed(1, n - 1).toArray());
        assertThat(first.pendingLazyAcknowledgements()).isEqualTo(n - 1);
        first.acknowledgeLazily(n);

        assertThat(first.pendingLazyAcknowledgements()).isZero();
        first.closeWithoutCommit();
        MvStoreOutbox second = open();
        assertThat(seqs(second)).containsExactly(n + 1L);
    }

    @Test
    void flush_nothingPending_isHarmlessAndAfterCloseThrows() {
        MvStoreOutbox outbox = open();
        outbox.flush();
        outbox.append(bytes("x"));
        outbox.flush();
        outbox.close();

        assertThatThrownBy(outbox::flush).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> outbox.acknowledgeLazily(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void close_withLazyAcknowledgements_makesThemDurable() {
        MvStoreOutbox first = open();
        first.appendAll(List.of(bytes("r1"), bytes("r2")));
        first.acknowledgeLazily(2);
        first.close();

        MvStoreOutbox second = open();
        assertThat(texts(second.read(0, 10, 1000))).containsExactly("r1");
    }

    @Test
    void appendAll_batchesOf100_fileFarBelowOneBlockPerRecord() {
        MvStoreOutbox outbox = open();
        long recordBytes = 0;
        for (int b = 0; b < 50; b++) {
            List<byte[]> batch = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                byte[] r = new byte[300 + (i % 50)];
                Arrays.fill(r, (byte) i);
                batch.add(r);
                recordBytes += r.length;
            }
            outbox.appendAll(batch);
        }

        // One commit per record costs ~1.3 KB per 323-B record (docs/benchmarks.md 5c); batched it must stay
        // well below that.
        assertThat(outbox.stats().storeFileBytes()).isLessThan(recordBytes * 2);
    }
}
