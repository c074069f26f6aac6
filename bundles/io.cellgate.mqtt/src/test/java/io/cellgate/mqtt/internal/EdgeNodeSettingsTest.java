package io.cellgate.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EdgeNodeSettingsTest {

    private final EdgeNodeSettings defaults = EdgeNodeSettings.of("plant", "cell1", Path.of("/var/lib/cellgate"));

    @Test
    void of_defaults_batchInterval20Millis() {
        assertThat(defaults.batchInterval()).isEqualTo(Duration.ofMillis(20));
        assertThat(defaults.withBatchInterval(Duration.ZERO).batchInterval()).isZero();
    }

    @Test
    void withBatchInterval_negativeOrAboveOneSecond_throwsNamingTheKey() {
        assertThatThrownBy(() -> defaults.withBatchInterval(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch.interval.ms");
        assertThatThrownBy(() -> defaults.withBatchInterval(Duration.ofMillis(1001)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch.interval.ms");
    }

    @Test
    void withers_keepTheBatchInterval() {
        EdgeNodeSettings s = defaults.withBatchInterval(Duration.ofMillis(50)).withMaxInFlight(7).withPrimaryHost("scada");

        assertThat(s.batchInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(s.maxInFlight()).isEqualTo(7);
    }
}
