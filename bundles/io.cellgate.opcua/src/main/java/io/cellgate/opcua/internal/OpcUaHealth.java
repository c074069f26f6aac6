package io.cellgate.opcua.internal;

import io.cellgate.api.health.HealthContributor;
import io.cellgate.api.health.HealthMetric;
import io.cellgate.api.health.MetricKind;
import io.cellgate.api.health.MetricType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The OPC UA server's health metrics: sessions open, connections rejected by cause, requests denied. Counters run
 * from the gateway's start (across server restarts); the session count is unknown while the server is not running.
 */
final class OpcUaHealth implements HealthContributor {

    static final String PREFIX = "Health/Northbound/OPC UA ";
    static final String REJECTED = "cellgate_opcua_rejected_connections";

    final AtomicLong untrustedCertificates = new AtomicLong();
    final AtomicLong badUserTokens = new AtomicLong();
    final AtomicLong deniedRequests = new AtomicLong();
    private final Supplier<Integer> sessions;

    /** @param sessions the sessions open now, or null while no server runs */
    OpcUaHealth(Supplier<Integer> sessions) {
        this.sessions = sessions;
    }

    @Override
    public List<HealthMetric> metrics() {
        Integer open = sessions.get();
        return List.of(
                new HealthMetric(PREFIX + "Sessions", "cellgate_opcua_sessions", Map.of(), MetricType.INT64,
                        MetricKind.GAUGE, "", "OPC UA sessions open now (unknown while the server is not running).",
                        open == null ? null : (long) open),
                rejected("Untrusted Certificate", "untrusted_certificate", untrustedCertificates,
                        "client application certificate refused (not trusted, expired, revoked, wrong URI or usage)"),
                rejected("Bad User Token", "bad_user_token", badUserTokens,
                        "user identity refused (wrong password, unknown, disabled or locked user, unmapped certificate)"),
                new HealthMetric(PREFIX + "Denied Requests", "cellgate_opcua_denied_requests", Map.of(),
                        MetricType.INT64, MetricKind.COUNTER, "",
                        "OPC UA writes the access policy refused to a session.", deniedRequests.get()));
    }

    private static HealthMetric rejected(String name, String reason, AtomicLong count, String what) {
        return new HealthMetric(PREFIX + "Rejected/" + name, REJECTED, Map.of("reason", reason), MetricType.INT64,
                MetricKind.COUNTER, "", "OPC UA connections rejected: " + what + ".", count.get());
    }
}
