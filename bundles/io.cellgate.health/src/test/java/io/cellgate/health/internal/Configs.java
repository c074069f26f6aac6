package io.cellgate.health.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A configuration annotation with its defaults, some overridden, as SCR would build it. */
final class Configs {

    private Configs() {
    }

    static HealthConfig health(Map<String, Object> overrides) {
        return (HealthConfig) Proxy.newProxyInstance(Configs.class.getClassLoader(), new Class<?>[] {HealthConfig.class},
                (proxy, method, args) -> {
                    if (overrides.containsKey(method.getName())) {
                        return overrides.get(method.getName());
                    }
                    if (method.getDefaultValue() != null) {
                        return method.getDefaultValue();
                    }
                    if (method.getName().equals("annotationType")) {
                        return HealthConfig.class;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
