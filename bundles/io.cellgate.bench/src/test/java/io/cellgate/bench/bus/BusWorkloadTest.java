package io.cellgate.bench.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The benchmark's workload does what its parameters say; nothing here is timed. */
class BusWorkloadTest {

    private static final int TAGS = BusWorkload.DEVICES * BusWorkload.TAGS_PER_DEVICE;

    @Test
    void constructor_defines10000Tags() {
        assertThat(new BusWorkload(1).bus().tags()).hasSize(10_000);
    }

    @Test
    void updateNext_everyUpdateMode_deliversEveryUpdateToEverySubscriber() {
        BusWorkload w = new BusWorkload(4);
        BusWorkload.Producer p = w.producer(0, 1, false);

        for (int i = 0; i < 3 * TAGS; i++) {
            assertThat(p.updateNext()).isTrue();
        }

        assertThat(w.delivered()).containsExactly(3L * TAGS, 3L * TAGS, 3L * TAGS, 3L * TAGS);
    }

    @Test
    void updateNext_halfMode_deliversHalf() {
        BusWorkload w = new BusWorkload(1);
        BusWorkload.Producer p = w.producer(0, 1, true);

        for (int i = 0; i < 4 * TAGS; i++) {
            p.updateNext();
        }

        assertThat(w.delivered()).containsExactly(2L * TAGS);
    }

    @Test
    void producer_twoThreads_splitTheTagsWithoutOverlap() {
        BusWorkload w = new BusWorkload(1);
        BusWorkload.Producer a = w.producer(0, 2, false);
        BusWorkload.Producer b = w.producer(1, 2, false);
        assertThat(a.tagCount() + b.tagCount()).isEqualTo(TAGS);

        Set<Object> seen = new HashSet<>();
        w.bus().subscribe((tag, value) -> seen.add(tag.path()));
        for (int i = 0; i < a.tagCount(); i++) {
            a.updateNext();
        }
        for (int i = 0; i < b.tagCount(); i++) {
            b.updateNext();
        }

        assertThat(seen).hasSize(TAGS);
    }

    @Test
    void producer_indexOutOfRange_rejected() {
        assertThatThrownBy(() -> new BusWorkload(0).producer(2, 2, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("producer 2 of 2");
    }
}
