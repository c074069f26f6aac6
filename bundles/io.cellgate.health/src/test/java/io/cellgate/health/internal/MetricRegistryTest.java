package io.cellgate.health.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellgate.api.health.HealthMetric;
import io.cellgate.api.health.MetricKind;
import io.cellgate.api.health.MetricType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MetricRegistryTest {

    private final MetricRegistry registry = new MetricRegistry();

    @Test
    void sample_suppliersAndSources_everyMetricOrderedByNameWithCurrentValue() {
        AtomicLong n = new AtomicLong(1);
        registry.register(MetricDef.counter("B/Count", "b_count", "a count"), n::get);
        registry.register(() -> List.of(MetricDef.gauge("A/Level", "a_level", MetricType.DOUBLE, "ratio", "x").with(0.5)));
        n.set(7);

        List<HealthMetric> sample = registry.sample();

        assertThat(sample).extracting(HealthMetric::name).containsExactly("A/Level", "B/Count");
        assertThat(Metrics.get(sample, "B/Count")).satisfies(m -> {
            assertThat(m.value()).isEqualTo(7L);
            assertThat(m.kind()).isEqualTo(MetricKind.COUNTER);
            assertThat(m.description()).isEqualTo("a count");
        });
    }

    @Test
    void sample_supplierThrows_valueUnknownOthersKept() {
        registry.register(MetricDef.counter("Broken", "broken", ""), () -> {
            throw new IllegalStateException("boom");
        });
        registry.register(MetricDef.counter("Fine", "fine", ""), () -> 3L);

        List<HealthMetric> sample = registry.sample();

        assertThat(Metrics.value(sample, "Broken")).isNull();
        assertThat(Metrics.value(sample, "Fine")).isEqualTo(3L);
    }

    @Test
    void sample_supplierGivesWrongType_valueUnknown() {
        registry.register(MetricDef.counter("Wrong", "wrong", ""), () -> "text");

        assertThat(Metrics.value(registry.sample(), "Wrong")).isNull();
    }

    @Test
    void sample_sourceThrows_otherSourcesStillSampled() {
        registry.register(() -> {
            throw new IllegalStateException("boom");
        });
        registry.register(() -> List.of(MetricDef.counter("Ok", "ok", "").with(1L)));

        assertThat(registry.sample()).extracting(HealthMetric::name).containsExactly("Ok");
    }

    @Test
    void sample_sameNameFromSourceAndSingle_singleWins() {
        registry.register(MetricDef.counter("X", "x", ""), () -> 1L);
        registry.register(() -> List.of(MetricDef.counter("X", "x", "").with(2L)));

        assertThat(registry.sample()).singleElement().extracting(HealthMetric::value).isEqualTo(1L);
    }

    @Test
    void register_nameTwice_refusedNamingIt() {
        registry.register(MetricDef.counter("Dup", "dup", ""), () -> 1L);

        assertThatThrownBy(() -> registry.register(MetricDef.counter("Dup", "dup2", ""), () -> 2L))
                .hasMessageContaining("Dup").hasMessageContaining("twice");
    }

    @Test
    void unregister_source_itsMetricsGone() {
        MetricSource s = () -> List.of(MetricDef.counter("S", "s", "").with(1L));
        registry.register(s);
        registry.unregister(s);

        assertThat(registry.sample()).isEmpty();
    }

    @Test
    void healthMetric_badFamilyOrLabelOrValueOrCounterType_refusedNamingTheMetric() {
        assertThatThrownBy(() -> MetricDef.counter("M", "Bad-Family", "")).hasMessageContaining("M")
                .hasMessageContaining("Bad-Family");
        assertThatThrownBy(() -> new HealthMetric("M", "m", Map.of("Device", "x"), MetricType.INT64, MetricKind.GAUGE,
                "", "", 1L)).hasMessageContaining("label 'Device'");
        assertThatThrownBy(() -> new HealthMetric("M", "m", Map.of(), MetricType.INT64, MetricKind.GAUGE, "", "", 1.5))
                .hasMessageContaining("not Long");
        assertThatThrownBy(() -> new HealthMetric("M", "m", Map.of(), MetricType.DOUBLE, MetricKind.COUNTER, "", "", 1.5))
                .hasMessageContaining("counter must be INT64");
        assertThatThrownBy(() -> MetricDef.counter("M/", "m", "")).hasMessageContaining("'M/'");
    }

    @Test
    void forSubject_device_nameUnderPrefixAndLabelAdded() {
        MetricDef d = MetricDef.counter("Polls", "polls", "").forSubject("Health/Devices/p1/", "device", "p1");

        assertThat(d.name()).isEqualTo("Health/Devices/p1/Polls");
        assertThat(d.labels()).containsEntry("device", "p1");
    }
}
