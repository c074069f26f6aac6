package io.cellgate.bench.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench's workload and counting tools (nothing here times anything). */
class SparkplugBenchToolsTest {

    @Test
    void benchBus_publish_reachesEverySubscriberAndUpdatesTheValue() {
        BenchBus bus = new BenchBus(3, 4);
        List<String> seen = new ArrayList<>();
        bus.subscribe((tag, value) -> seen.add(tag.path() + "=" + value.value()));
        TagInfo last = bus.tagAt(bus.size() - 1);
        bus.publish(last, TagValue.good(7.0, Instant.EPOCH));

        assertThat(bus.size()).isEqualTo(12);
        assertThat(bus.devices()).hasSize(3);
        assertThat(last.path().device()).isEqualTo("dev002");
        assertThat(last.path().tag()).isEqualTo("t0003");
        assertThat(seen).containsExactly(last.path() + "=7.0");
        assertThat(bus.value(last.path())).map(TagValue::value).contains(7.0);
    }

    @Test
    void latencyPercentile_windowOfBuckets_countsOnlyTheWindow() {
        SparkplugBench.Host host = new SparkplugBench.Host();
        long[] before = new long[60_001];
        long[] after = new long[60_001];
        before[500] = 1_000; // before the window: must not count
        after[500] = 1_000;
        after[1] = 90;
        after[20] = 9;
        after[300] = 1;

        assertThat(host.latencyPercentile(before, after, 0.5)).isEqualTo(1);
        assertThat(host.latencyPercentile(before, after, 0.99)).isEqualTo(20);
        assertThat(host.latencyMax(before, after)).isEqualTo(300);
        assertThat(host.latencyPercentile(before, before, 0.5)).isEqualTo(-1);
    }
}
