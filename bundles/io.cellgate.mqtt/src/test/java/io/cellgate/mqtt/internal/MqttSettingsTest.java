package io.cellgate.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class MqttSettingsTest {

    private static MqttSettings.Builder valid() {
        return MqttSettings.builder().brokerUrls("ssl://broker:8883").clientId("gw1").caFile(Path.of("/etc/ca.pem"));
    }

    @Test
    void build_plainTcpWithoutOverride_refusedNamingTheUrl() {
        assertThatThrownBy(() -> valid().brokerUrls("tcp://broker:1883").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cellgate.mqtt").hasMessageContaining("tcp://broker:1883")
                .hasMessageContaining("allow.insecure");
    }

    @Test
    void build_plainTcpWithOverride_acceptedAndNamedInsecure() {
        MqttSettings s = valid().brokerUrls("tcp://broker:1883").allowInsecure(true).build();
        assertThat(s.insecure()).singleElement().asString().contains("tcp://broker:1883");
        assertThat(s.needsTls()).isFalse();
    }

    @Test
    void build_tlsWithoutTrustAnchors_refused() {
        assertThatThrownBy(() -> valid().caFile(null).build()).hasMessageContaining("ca.file");
    }

    @Test
    void build_unknownSchemeOrMissingPort_refused() {
        assertThatThrownBy(() -> valid().brokerUrls("ws://broker:80").build()).hasMessageContaining("ws://broker:80");
        assertThatThrownBy(() -> valid().brokerUrls("ssl://broker").build()).hasMessageContaining("needs a host and a port");
        assertThatThrownBy(() -> valid().tlsProtocols("TLSv1.1").build()).hasMessageContaining("TLSv1.1");
        assertThatThrownBy(() -> valid().clientId(" ").build()).hasMessageContaining("client.id");
    }

    @Test
    void toString_withPassword_neverShowsIt() {
        MqttSettings s = valid().username("u").password("s3cret-pass".toCharArray()).build();
        assertThat(s.toString()).doesNotContain("s3cret-pass").contains("***");
    }

    @Test
    void delay_growsPerRoundWithinJitterAndCap() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), new SplittableRandom(1));
        for (int i = 0; i < 50; i++) {
            assertThat(b.delay(0).toMillis()).isBetween(50L, 100L);
            assertThat(b.delay(2).toMillis()).isBetween(200L, 400L);
            assertThat(b.delay(40).toMillis()).isBetween(500L, 1000L);
        }
    }

    @Test
    void packetSize_countsHeaderTopicIdPropertiesAndPayload() {
        // 1 fixed + 1 length + (2+3 topic + 2 id + 1 props + 5 payload = 13)
        assertThat(MqttSession.packetSize(new Message("a/b", new byte[5], 1, false))).isEqualTo(15);
        assertThat(MqttSession.packetSize(new Message("a/b", new byte[200], 0, false))).isEqualTo(1 + 2 + 2 + 3 + 1 + 200);
    }
}
