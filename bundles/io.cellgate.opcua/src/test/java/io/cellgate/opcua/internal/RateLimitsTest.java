package io.cellgate.opcua.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.Map;
import org.eclipse.milo.opcua.stack.core.Stack;
import org.junit.jupiter.api.Test;

class RateLimitsTest {

    @Test
    void apply_firstStart_setsMilosLimitsThenKeepsThem() {
        RateLimits.apply(config(Map.of("rate_limit_max_attempts", 7, "rate_limit_max_connections_per_address", 3)));
        RateLimits.apply(config(Map.of("rate_limit_max_attempts", 9)));

        assertThat(Stack.ConnectionLimits.RATE_LIMIT_MAX_ATTEMPTS).isEqualTo(7);
        assertThat(Stack.ConnectionLimits.RATE_LIMIT_WINDOW_MS).isEqualTo(1000);
        assertThat(Stack.ConnectionLimits.RATE_LIMIT_MAX_CONNECTIONS).isEqualTo(100);
        assertThat(Stack.ConnectionLimits.RATE_LIMIT_MAX_CONNECTIONS_PER_ADDRESS).isEqualTo(3);
        assertThat(RateLimits.applied()).containsExactly(7, 1000, 100, 3);
    }

    @Test
    void apply_zero_refusedWithName() {
        assertThatThrownBy(() -> RateLimits.apply(config(Map.of("rate_limit_window_ms", 0))))
                .hasMessageContaining("rate.limit.window.ms must be >= 1");
    }

    /** An OpcUaConfig with its defaults, some overridden. */
    static OpcUaConfig config(Map<String, Object> overrides) {
        return (OpcUaConfig) Proxy.newProxyInstance(OpcUaConfig.class.getClassLoader(), new Class<?>[] {OpcUaConfig.class},
                (proxy, method, args) -> overrides.containsKey(method.getName()) ? overrides.get(method.getName())
                        : method.getDefaultValue());
    }
}
