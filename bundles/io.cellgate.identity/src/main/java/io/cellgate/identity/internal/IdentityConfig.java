package io.cellgate.identity.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(id = IdentityComponent.PID, name = "CellGate users and login",
        description = "Password hashing, password rules and lockout after failed logins. Users themselves live in "
                + "<state dir>/identity/users.yaml and are managed through the console.")
@interface IdentityConfig {

    @AttributeDefinition(name = "State directory", required = false,
            description = "Directory holding identity/. Default: state.dir of the cellgate.runtime configuration (--state).")
    String state_dir() default "";

    @AttributeDefinition(name = "Hash algorithm", description = "For new and changed passwords; existing hashes "
            + "are upgraded at the next successful login.",
            options = {@Option(label = "PBKDF2-HMAC-SHA256 (no memory per login)", value = PasswordHasher.PBKDF2),
                @Option(label = "Argon2id (memory-hard; needs argon2.memory.kib per concurrent login)",
                        value = PasswordHasher.ARGON2ID)})
    String hash_algorithm() default PasswordHasher.PBKDF2;

    @AttributeDefinition(name = "PBKDF2 iterations", min = "310000", description = "At least 310000.")
    int pbkdf2_iterations() default IdentitySettings.DEFAULT_PBKDF2_ITERATIONS;

    @AttributeDefinition(name = "Argon2id memory (KiB)", min = "19456", description = "At least 19456 (19 MiB).")
    int argon2_memory_kib() default 19456;

    @AttributeDefinition(name = "Argon2id passes", min = "2")
    int argon2_iterations() default 2;

    @AttributeDefinition(name = "Argon2id parallelism", min = "1", max = "4")
    int argon2_parallelism() default 1;

    @AttributeDefinition(name = "Concurrent password checks", min = "1", max = "16",
            description = "Password hashing is slow on purpose; this caps the CPU (and memory) a flood of logins takes.")
    int hash_concurrency() default 2;

    @AttributeDefinition(name = "Minimum password length", min = "12")
    int password_min_length() default 12;

    @AttributeDefinition(name = "Failures before lockout", min = "3", max = "20",
            description = "Consecutive failed logins for one user name before it is locked.")
    int lockout_threshold() default 5;

    @AttributeDefinition(name = "First lockout (seconds)", min = "10",
            description = "Doubles with every further failure, up to the maximum.")
    int lockout_initial_seconds() default 60;

    @AttributeDefinition(name = "Longest lockout (seconds)", min = "60")
    int lockout_max_seconds() default 1800;

    @AttributeDefinition(name = "Failures per source before delay", min = "1", max = "20",
            description = "Consecutive failures from one address before it must wait between attempts.")
    int source_threshold() default 3;

    @AttributeDefinition(name = "First source delay (milliseconds)", min = "100")
    int source_delay_initial_ms() default 1000;

    @AttributeDefinition(name = "Longest source delay (seconds)", min = "1")
    int source_delay_max_seconds() default 60;
}
