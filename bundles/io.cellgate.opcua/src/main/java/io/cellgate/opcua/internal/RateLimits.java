package io.cellgate.opcua.internal;

import java.util.List;
import org.eclipse.milo.opcua.stack.core.Stack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Milo's connection rate limiter as a setting. Milo reads {@link Stack.ConnectionLimits} once, when the first
 * server transport binds in this JVM, so values changed later apply only after a restart (logged). Loopback
 * clients are never limited by Milo.
 */
final class RateLimits {

    private static final Logger LOG = LoggerFactory.getLogger(RateLimits.class);
    private static List<Integer> applied;

    private RateLimits() {
    }

    /** Sets Milo's limits before the first bind; afterwards only warns when the configuration differs. */
    static synchronized void apply(OpcUaConfig config) {
        List<Integer> wanted = List.of(config.rate_limit_max_attempts(), config.rate_limit_window_ms(),
                config.rate_limit_max_connections(), config.rate_limit_max_connections_per_address());
        for (int i = 0; i < wanted.size(); i++) {
            if (wanted.get(i) < 1) {
                throw new IllegalArgumentException(OpcUaServerComponent.PID + ": "
                        + List.of("rate.limit.max.attempts", "rate.limit.window.ms", "rate.limit.max.connections",
                                "rate.limit.max.connections.per.address").get(i) + " must be >= 1, got " + wanted.get(i));
            }
        }
        if (applied == null) {
            Stack.ConnectionLimits.RATE_LIMIT_ENABLED = true;
            Stack.ConnectionLimits.RATE_LIMIT_MAX_ATTEMPTS = wanted.get(0);
            Stack.ConnectionLimits.RATE_LIMIT_WINDOW_MS = wanted.get(1);
            Stack.ConnectionLimits.RATE_LIMIT_MAX_CONNECTIONS = wanted.get(2);
            Stack.ConnectionLimits.RATE_LIMIT_MAX_CONNECTIONS_PER_ADDRESS = wanted.get(3);
            applied = wanted;
        } else if (!applied.equals(wanted)) {
            LOG.warn("OPC UA connection rate limits changed to {} (attempts, window ms, connections, per address); "
                    + "Milo keeps {} until the gateway restarts", wanted, applied);
        }
    }

    /** The limits in force: attempts per window, window in ms, connections in total, connections per address. */
    static synchronized List<Integer> applied() {
        return applied;
    }
}
