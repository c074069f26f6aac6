package io.cellgate.health.internal;

import io.cellgate.api.health.Severity;
import java.time.Duration;
import java.util.List;

/** The alarm rules of the issue (disk, heap, outbox fill, certificate expiry, device down), from the configuration. */
final class AlarmDefaults {

    /** The edge node's outbox fill (contributed by the mqtt bundle). */
    static final String OUTBOX_FILL = "Health/Northbound/Outbox Fill Ratio";
    /** The boundary bundle's firewall drift (contributed). */
    static final String FIREWALL_DRIFT = "Health/Security/Firewall Drift";

    private AlarmDefaults() {
    }

    static List<AlarmRule> rules(HealthConfig c) {
        Duration hold = Duration.ofSeconds(c.alarm_hold_s());
        return List.of(
                new AlarmRule("disk.free", GatewayMetrics.DISK_FREE_RATIO, AlarmRule.Direction.BELOW,
                        c.disk_free_raise_percent() / 100.0, c.disk_free_clear_percent() / 100.0, hold, Severity.HIGH,
                        "disk space of the state directory low"),
                new AlarmRule("heap", GatewayMetrics.HEAP_RATIO, AlarmRule.Direction.ABOVE, c.heap_raise_percent() / 100.0,
                        c.heap_clear_percent() / 100.0, hold, Severity.MEDIUM, "Java heap nearly full"),
                new AlarmRule("outbox.fill", OUTBOX_FILL, AlarmRule.Direction.ABOVE, c.outbox_raise_percent() / 100.0,
                        c.outbox_clear_percent() / 100.0, hold, Severity.HIGH,
                        "outbox filling up (the broker is not taking data)"),
                // Days change once a day: no hold needed, the thresholds alone keep it from flapping.
                new AlarmRule("certificate.expiry", GatewayMetrics.CERT_DAYS, AlarmRule.Direction.BELOW,
                        c.cert_raise_days() - 1, c.cert_clear_days(), Duration.ZERO, Severity.HIGH,
                        "gateway certificate expires soon"),
                new AlarmRule("peer.certificate.expiry", CertificateMetrics.PREFIX + "*/" + CertificateMetrics.EXPIRY,
                        AlarmRule.Direction.BELOW, c.cert_raise_days() - 1, c.cert_clear_days(), Duration.ZERO,
                        Severity.HIGH, "certificate expires soon"),
                // The listing is refreshed every minute: the hold lets a ruleset being reloaded settle first.
                new AlarmRule("firewall.drift", FIREWALL_DRIFT, AlarmRule.Direction.ABOVE, 1, 0.5, hold, Severity.HIGH,
                        "host firewall differs from the generated ruleset (the boundary may not be enforced)"),
                new AlarmRule("device.down", DeviceMetrics.PREFIX + "*/" + DeviceMetrics.DOWN, AlarmRule.Direction.ABOVE,
                        1, 0.5, Duration.ofSeconds(c.device_down_hold_s()), Severity.HIGH, "device not answering"));
    }
}
