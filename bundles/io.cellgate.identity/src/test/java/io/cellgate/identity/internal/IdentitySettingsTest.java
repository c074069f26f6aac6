package io.cellgate.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdentitySettingsTest {

    /** The configuration as DS would give it: the MetaType defaults, with {@code overrides} (by method name). */
    static IdentityConfig config(Map<String, Object> overrides) {
        return (IdentityConfig) Proxy.newProxyInstance(IdentityConfig.class.getClassLoader(),
                new Class<?>[] {IdentityConfig.class}, (proxy, method, args) -> overrides.containsKey(method.getName())
                        ? overrides.get(method.getName()) : method.getDefaultValue());
    }

    @Test
    void from_defaults_theDocumentedValues() {
        IdentitySettings s = IdentitySettings.from(config(Map.of()));

        assertThat(s.algorithm()).isEqualTo("pbkdf2-sha256");
        assertThat(s.pbkdf2Iterations()).isEqualTo(600_000);
        assertThat(s.minPasswordLength()).isEqualTo(12);
        assertThat(s.hashConcurrency()).isEqualTo(2);
        assertThat(s.lockout().threshold()).isEqualTo(5);
        assertThat(s.lockout().initial()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.lockout().max()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void from_belowASecurityFloor_refusedNamingTheProperty() {
        assertThatThrownBy(() -> IdentitySettings.from(config(Map.of("pbkdf2_iterations", 100_000))))
                .hasMessage("cellgate.identity pbkdf2.iterations: 100000 is below the minimum 310000");
        assertThatThrownBy(() -> IdentitySettings.from(config(Map.of("password_min_length", 8))))
                .hasMessage("cellgate.identity password.min.length: 8 is below the minimum 12");
        assertThatThrownBy(() -> IdentitySettings.from(config(Map.of("argon2_memory_kib", 4096))))
                .hasMessageContaining("argon2.memory.kib");
    }

    @Test
    void sourceKey_portsAndBrackets_stripped() {
        assertThat(Lockout.sourceKey("10.1.2.3:50123")).isEqualTo("10.1.2.3");
        assertThat(Lockout.sourceKey("/10.1.2.3:50123")).isEqualTo("10.1.2.3");
        assertThat(Lockout.sourceKey("[fe80::1]:4840")).isEqualTo("fe80::1");
        assertThat(Lockout.sourceKey("fe80::1")).isEqualTo("fe80::1");
        assertThat(Lockout.sourceKey("plc-host")).isEqualTo("plc-host");
    }
}
