package io.cellgate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.health.HealthMetric;
import io.cellgate.api.health.MetricKind;
import io.cellgate.api.health.MetricType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthPageTest {

    private static HealthMetric m(String name) {
        return new HealthMetric(name, "x", Map.of(), MetricType.INT64, MetricKind.GAUGE, "", "", 1L);
    }

    @Test
    void groups_foldersDevicesAndCertificatesEachTheirOwn() {
        var groups = HealthPage.groups(List.of(m("Health/Gateway/Uptime"), m("Health/Devices/press-1/Errors/timeout"),
                m("Health/Devices/press-1/Polls"), m("Health/Devices/press-2/Polls"),
                m("Health/Certificates/MQTT CA root/Expiry Days"), m("Health/Northbound/OPC UA Rejected/Bad User Token"),
                m("Odd")));

        assertThat(groups).containsOnlyKeys("Gateway", "Devices: press-1", "Devices: press-2",
                "Certificates: MQTT CA root", "Northbound", "Other");
        assertThat(groups.get("Devices: press-1")).extracting(HealthMetric::name)
                .containsExactly("Health/Devices/press-1/Errors/timeout", "Health/Devices/press-1/Polls");
        assertThat(HealthPage.prefix("Health/Devices/press-1/Errors/timeout")).isEqualTo("Health/Devices/press-1/");
        assertThat(HealthPage.prefix("Health/Northbound/OPC UA Rejected/Bad User Token")).isEqualTo("Health/Northbound/");
    }
}
