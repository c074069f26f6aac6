package io.cellgate.identity.internal;

import java.time.Duration;

/** The checked settings of the identity service (from {@code cellgate.identity}). */
record IdentitySettings(String algorithm, int pbkdf2Iterations, int argon2MemoryKib, int argon2Iterations,
        int argon2Parallelism, int hashConcurrency, int minPasswordLength, Lockout.Settings lockout) {

    static final int DEFAULT_PBKDF2_ITERATIONS = 600_000;
    static final int MIN_PBKDF2_ITERATIONS = 310_000;
    static final int MIN_ARGON2_MEMORY_KIB = 19_456;
    static final int MIN_PASSWORD_LENGTH = 12;
    static final int MAX_LOCKOUT_ENTRIES = 10_000;

    /** The defaults of {@link IdentityConfig} (the command line, which has no configuration). */
    static IdentitySettings defaults() {
        IdentityConfig config = (IdentityConfig) java.lang.reflect.Proxy.newProxyInstance(
                IdentityConfig.class.getClassLoader(), new Class<?>[] {IdentityConfig.class},
                (proxy, method, args) -> method.getDefaultValue());
        return from(config);
    }

    /** The settings of a configuration; a value below a security floor is refused, naming the property. */
    static IdentitySettings from(IdentityConfig c) {
        atLeast("pbkdf2.iterations", c.pbkdf2_iterations(), MIN_PBKDF2_ITERATIONS);
        atLeast("argon2.memory.kib", c.argon2_memory_kib(), MIN_ARGON2_MEMORY_KIB);
        atLeast("argon2.iterations", c.argon2_iterations(), 2);
        atLeast("argon2.parallelism", c.argon2_parallelism(), 1);
        atLeast("hash.concurrency", c.hash_concurrency(), 1);
        atLeast("password.min.length", c.password_min_length(), MIN_PASSWORD_LENGTH);
        atLeast("lockout.threshold", c.lockout_threshold(), 1);
        atLeast("lockout.initial.seconds", c.lockout_initial_seconds(), 1);
        atLeast("lockout.max.seconds", c.lockout_max_seconds(), c.lockout_initial_seconds());
        atLeast("source.threshold", c.source_threshold(), 1);
        atLeast("source.delay.initial.ms", c.source_delay_initial_ms(), 1);
        atLeast("source.delay.max.seconds", c.source_delay_max_seconds(), 1);
        return new IdentitySettings(c.hash_algorithm(), c.pbkdf2_iterations(), c.argon2_memory_kib(),
                c.argon2_iterations(), c.argon2_parallelism(), c.hash_concurrency(), c.password_min_length(),
                new Lockout.Settings(c.lockout_threshold(), Duration.ofSeconds(c.lockout_initial_seconds()),
                        Duration.ofSeconds(c.lockout_max_seconds()), c.source_threshold(),
                        Duration.ofMillis(c.source_delay_initial_ms()),
                        Duration.ofSeconds(c.source_delay_max_seconds()), MAX_LOCKOUT_ENTRIES));
    }

    private static void atLeast(String key, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(IdentityComponent.PID + " " + key + ": " + value + " is below the "
                    + "minimum " + min);
        }
    }
}
