package io.cellgate.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellgate.outbox.Outbox;
import io.cellgate.outbox.OutboxEntry;
import io.cellgate.outbox.OutboxException;
import io.cellgate.outbox.OutboxFullException;
import io.cellgate.outbox.OutboxOptions;
import io.cellgate.outbox.OutboxStats;
import io.cellgate.outbox.Outboxes;
import io.cellgate.outbox.OverflowPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MvStoreOutboxTest {

    @TempDir
    Path tmp;

    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private final List<Outbox> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(Outbox::close);
    }

    private Path dir() {
        return tmp.resolve("outbox");
    }

    private Outbox open(OutboxOptions options) {
        Outbox outbox = MvStoreOutbox.open(options, true, clock::get);
        opened.add(outbox);
        return outbox;
    }

    private Outbox open() {
        return open(OutboxOptions.defaults(dir()));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(List<OutboxEntry> entries) {
        return entries.stream().map(e -> new String(e.record(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void append_thenRead_returnsRecordsAscendingWithExactBytesAndTimes() {
        Outbox outbox = open();
        long a = outbox.append(bytes("a"));
        clock.addAndGet(5);
        long b = outbox.append(bytes("bb"));
        long c = outbox.append(new byte[0]);

        assertThat(a).isEqualTo(1);
        assertThat(b).isEqualTo(2);
        assertThat(c).isEqualTo(3);
        List<OutboxEntry> read = outbox.read(0, 10, 1000);
        assertThat(read).extracting(OutboxEntry::seq).containsExactly(1L, 2L, 3L);
        assertThat(texts(read)).containsExactly("a", "bb", "");
        assertThat(read.get(0).appendedAtMillis()).isEqualTo(1_700_000_000_000L);
        assertThat(read.get(1).appendedAtMillis()).isEqualTo(1_700_000_000_005L);
    }

    @Test
    void append_callerReusesArray_storedCopyUnchanged() {
        Outbox outbox = open();
        byte[] buffer = bytes("first");
        outbox.append(buffer);
        buffer[0] = 'X';

        assertThat(texts(outbox.read(0, 1, 100))).containsExactly("first");
    }

    @Test
    void read_afterSeqAndLimits_returnsWindowButAtLeastOneEntry() {
        Outbox outbox = open();
        for (int i = 1; i <= 5; i++) {
            outbox.append(new byte[100]);
        }

        assertThat(outbox.read(2, 10, 10_000)).extracting(OutboxEntry::seq).containsExactly(3L, 4L, 5L);
        assertThat(outbox.read(0, 2, 10_000)).extracting(OutboxEntry::seq).containsExactly(1L, 2L);
        assertThat(outbox.read(0, 10, 250)).extracting(OutboxEntry::seq).containsExactly(1L, 2L);
        assertThat(outbox.read(0, 10, 10)).extracting(OutboxEntry::seq).containsExactly(1L);
        assertThat(outbox.read(5, 10, 10)).isEmpty();
    }

    @Test
    void read_badArguments_throwNamingTheArgument() {
        Outbox outbox = open();
        assertThatThrownBy(() -> outbox.read(-1, 1, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("afterSeq");
        assertThatThrownBy(() -> outbox.read(0, 0, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxEntries");
        assertThatThrownBy(() -> outbox.read(0, 1, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBytes");
    }

    @Test
    void acknowledge_outOfOrderAndUnknown_removesExactlyThoseAndCounts() {
        Outbox outbox = open();
        for (int i = 1; i <= 6; i++) {
            outbox.append(bytes("r" + i));
        }

        outbox.acknowledge(5, 2, 99, 2);
        outbox.acknowledge(1);

        assertThat(outbox.read(0, 10, 1000)).extracting(OutboxEntry::seq).containsExactly(3L, 4L, 6L);
        OutboxStats stats = outbox.stats();
        assertThat(stats.entries()).isEqualTo(3);
        assertThat(stats.bytes()).isEqualTo(6);
        assertThat(stats.acknowledged()).isEqualTo(3);
        assertThat(stats.oldestSeq()).isEqualTo(3);
    }

    @Test
    void lastSeq_acrossReopenAfterEverythingAcknowledged_neverReused() {
        Outbox first = open();
        assertThat(first.lastSeq()).isZero();
        first.append(bytes("x"));
        first.append(bytes("y"));
        first.acknowledge(1, 2);
        first.close();

        Outbox second = open();
        assertThat(second.lastSeq()).isEqualTo(2);
        assertThat(second.append(bytes("z"))).isEqualTo(3);
        assertThat(second.stats().entries()).isEqualTo(1);
    }

    @Test
    void reopen_afterClose_keepsEntriesAndCounters() {
        Outbox first = open(OutboxOptions.defaults(dir()).withMaxBytes(1024));
        for (int i = 0; i < 12; i++) {
            first.append(new byte[100]);
        }
        first.acknowledge(12);
        first.close();
        assertThatThrownBy(() -> first.append(new byte[1])).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        first.close();

        Outbox second = open(OutboxOptions.defaults(dir()).withMaxBytes(1024));
        OutboxStats stats = second.stats();
        assertThat(stats.entries()).isEqualTo(9);
        assertThat(stats.bytes()).isEqualTo(900);
        assertThat(stats.appended()).isEqualTo(12);
        assertThat(stats.acknowledged()).isEqualTo(1);
        assertThat(stats.droppedOverflow()).isEqualTo(2);
        assertThat(second.read(0, 100, 100_000)).extracting(OutboxEntry::seq).containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
    }

    @Test
    void append_pastMaxBytesWithDropOldest_dropsOldestAndCounts() {
        Outbox outbox = open(OutboxOptions.defaults(dir()).withMaxBytes(1024));
        for (int i = 0; i < 10; i++) {
            outbox.append(new byte[100]);
        }
        long seq = outbox.append(new byte[300]);

        assertThat(seq).isEqualTo(11);
        OutboxStats stats = outbox.stats();
        assertThat(stats.droppedOverflow()).isEqualTo(3);
        assertThat(stats.bytes()).isEqualTo(1000);
        assertThat(stats.fillRatio()).isEqualTo(1000.0 / 1024);
        assertThat(outbox.read(0, 100, 100_000)).extracting(OutboxEntry::seq).startsWith(4L).endsWith(11L).hasSize(8);
    }

    @Test
    void append_pastMaxBytesWithRejectNew_throwsAndKeepsEntries() {
        Outbox outbox = open(OutboxOptions.defaults(dir()).withMaxBytes(1024).withOverflow(OverflowPolicy.REJECT_NEW));
        for (int i = 0; i < 10; i++) {
            outbox.append(new byte[100]);
        }

        assertThatThrownBy(() -> outbox.append(new byte[100]))
                .isInstanceOf(OutboxFullException.class)
                .hasMessageContaining("full").hasMessageContaining("REJECT_NEW").hasMessageContaining("1024");
        assertThat(outbox.append(new byte[24])).isEqualTo(11);
        OutboxStats stats = outbox.stats();
        assertThat(stats.entries()).isEqualTo(11);
        assertThat(stats.rejected()).isEqualTo(1);
        assertThat(stats.droppedOverflow()).isZero();
        assertThat(outbox.lastSeq()).isEqualTo(11);
    }

    @Test
    void append_recordLargerThanOutbox_throwsUnderBothPolicies() {
        Outbox outbox = open(OutboxOptions.defaults(dir()).withMaxBytes(1024));
        outbox.append(new byte[10]);

        assertThatThrownBy(() -> outbox.append(new byte[1025])).isInstanceOf(OutboxFullException.class)
                .hasMessageContaining("1025 bytes");
        assertThat(outbox.stats().entries()).isEqualTo(1);
        assertThat(outbox.stats().droppedOverflow()).isZero();
    }

    @Test
    void readAppendAndSweep_entriesOlderThanMaxAge_droppedAndCountedAcrossReopen() {
        OutboxOptions options = OutboxOptions.defaults(dir()).withMaxAge(Duration.ofMinutes(10));
        Outbox outbox = open(options);
        outbox.append(bytes("old1"));
        outbox.append(bytes("old2"));
        clock.addAndGet(Duration.ofMinutes(6).toMillis());
        outbox.append(bytes("young"));
        clock.addAndGet(Duration.ofMinutes(5).toMillis());

        assertThat(texts(outbox.read(0, 10, 1000))).containsExactly("young");
        assertThat(outbox.stats().droppedAge()).isEqualTo(2);

        clock.addAndGet(Duration.ofMinutes(6).toMillis());
        assertThat(outbox.sweep()).isEqualTo(1);
        outbox.append(bytes("new"));
        outbox.close();

        Outbox reopened = open(options);
        assertThat(reopened.stats().droppedAge()).isEqualTo(3);
        assertThat(texts(reopened.read(0, 10, 1000))).containsExactly("new");
    }

    @Test
    void stats_describeFillAndOldestEntry() {
        Outbox outbox = open(OutboxOptions.defaults(dir()).withMaxBytes(4096).withMaxAge(Duration.ofHours(1)));
        assertThat(outbox.stats().oldestSeq()).isZero();
        outbox.append(new byte[1024]);
        clock.addAndGet(1000);
        outbox.append(new byte[1024]);

        OutboxStats stats = outbox.stats();
        assertThat(stats.entries()).isEqualTo(2);
        assertThat(stats.bytes()).isEqualTo(2048);
        assertThat(stats.maxBytes()).isEqualTo(4096);
        assertThat(stats.maxAgeMillis()).isEqualTo(3_600_000);
        assertThat(stats.fillRatio()).isEqualTo(0.5);
        assertThat(stats.oldestSeq()).isEqualTo(1);
        assertThat(stats.oldestAppendedAtMillis()).isEqualTo(1_700_000_000_000L);
        assertThat(stats.lastSeq()).isEqualTo(2);
        assertThat(stats.appended()).isEqualTo(2);
        assertThat(stats.storeFileBytes()).isGreaterThan(2048);
    }

    @Test
    void append_fourConcurrentAppenders_distinctSeqsAndEveryRecordStored() throws Exception {
        Outbox outbox = open();
        int threads = 4;
        int perThread = 250;
        ConcurrentLinkedQueue<Long> seqs = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit((Callable<Void>) () -> {
                    for (int i = 0; i < perThread; i++) {
                        long seq = outbox.append(bytes(thread + ":" + i));
                        seqs.add(seq);
                        if (i % 3 == 0) {
                            outbox.acknowledge(seq);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(new HashSet<>(seqs)).hasSize(threads * perThread);
        assertThat(outbox.lastSeq()).isEqualTo(threads * perThread);
        int acked = threads * ((perThread + 2) / 3);
        List<OutboxEntry> left = outbox.read(0, 10_000, Long.MAX_VALUE);
        assertThat(left).hasSize(threads * perThread - acked);
        assertThat(left).isSortedAccordingTo((x, y) -> Long.compare(x.seq(), y.seq()));
        Set<String> records = new HashSet<>(texts(left));
        assertThat(records).contains("0:1", "3:" + (perThread - 2)).doesNotContain("2:0");
    }

    @Test
    void open_newDirectory_ownerOnlyModes() throws Exception {
        Outbox outbox = open();
        outbox.append(bytes("secret process data"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir().resolve(MvStoreOutbox.STORE_FILE))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir().resolve(DirectoryLock.FILE_NAME))))
                .isEqualTo("rw-------");
    }

    @Test
    void open_existingLooseDirectory_tightenedToOwnerOnly() throws Exception {
        Files.createDirectories(dir(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(dir(), PosixFilePermissions.fromString("rwxr-xr-x"));
        open();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir()))).isEqualTo("rwx------");
    }

    @Test
    void open_directoryAlreadyOpen_failsClearlyUntilClosed() {
        Outbox first = open();

        assertThatThrownBy(() -> open()).isInstanceOf(OutboxException.class)
                .hasMessageContaining("already open").hasMessageContaining(dir().toString());
        first.close();
        assertThat(open().stats().entries()).isZero();
    }

    @Test
    void open_garbageStoreFile_quarantinedAndEmptyOutboxCountsIt() throws Exception {
        Files.createDirectories(dir());
        byte[] garbage = new byte[64 * 1024];
        new Random(7).nextBytes(garbage);
        Files.write(dir().resolve(MvStoreOutbox.STORE_FILE), garbage);

        Outbox outbox = open();

        assertThat(outbox.stats().quarantined()).isEqualTo(1);
        assertThat(outbox.stats().entries()).isZero();
        try (Stream<Path> files = Files.list(dir())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith(MvStoreOutbox.STORE_FILE + MvStoreOutbox.QUARANTINE_INFIX));
        }
        assertThat(outbox.append(bytes("after"))).isEqualTo(1);
        outbox.close();
        assertThat(open().stats().quarantined()).isEqualTo(1);
    }

    @Test
    void open_storeDamagedAfterHeader_quarantinedOrRecoveredNeverThrows() throws Exception {
        Outbox first = open();
        for (int i = 0; i < 50; i++) {
            first.append(new byte[200]);
        }
        first.close();
        Path file = dir().resolve(MvStoreOutbox.STORE_FILE);
        byte[] content = Files.readAllBytes(file);
        // Both file headers overwritten: MVStore cannot find its chunks from them.
        for (int i = 0; i < 8192 && i < content.length; i++) {
            content[i] = (byte) 0xA5;
        }
        Files.write(file, content);

        Outbox second = open();

        assertThat(second.stats().quarantined()).isEqualTo(1);
        assertThat(second.append(bytes("x"))).isPositive();
    }

    @Test
    void open_storePathUnreadable_refusesNamingTheFile() throws Exception {
        // A directory where the store file belongs: an I/O failure, not corruption, so nothing is moved aside.
        Files.createDirectories(dir().resolve(MvStoreOutbox.STORE_FILE));

        assertThatThrownBy(() -> open()).isInstanceOf(OutboxException.class)
                .hasMessageContaining(dir().resolve(MvStoreOutbox.STORE_FILE).toString());
        assertThat(dir().resolve(MvStoreOutbox.STORE_FILE)).isDirectory();
    }

    @Test
    void options_invalid_throwNamingTheOption() {
        OutboxOptions ok = OutboxOptions.defaults(dir());
        assertThatThrownBy(() -> ok.withMaxBytes(10)).hasMessageContaining("maxBytes");
        assertThatThrownBy(() -> ok.withMaxAge(Duration.ZERO)).hasMessageContaining("maxAge");
        assertThatThrownBy(() -> ok.withCacheSizeMb(0)).hasMessageContaining("cacheSizeMb");
        assertThatThrownBy(() -> ok.withOverflow(null)).hasMessageContaining("overflow");
        assertThat(ok.overflow()).isEqualTo(OverflowPolicy.DROP_OLDEST);
    }

    @Test
    void outboxes_open_usesTheMvStoreOutbox() {
        try (Outbox outbox = Outboxes.open(OutboxOptions.defaults(dir()))) {
            assertThat(outbox).isInstanceOf(MvStoreOutbox.class);
            assertThat(outbox.append(bytes("x"))).isEqualTo(1);
        }
    }
}
