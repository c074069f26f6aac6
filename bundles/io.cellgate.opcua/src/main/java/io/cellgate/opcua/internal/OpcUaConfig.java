package io.cellgate.opcua.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the OPC UA server (PID {@code cellgate.opcua}). */
@ObjectClassDefinition(pid = OpcUaServerComponent.PID, name = "CellGate OPC UA server",
        description = "Northbound OPC UA server: endpoints, security and limits")
public @interface OpcUaConfig {

    @AttributeDefinition(description = "Address to bind to")
    String bind_address() default "0.0.0.0";

    @AttributeDefinition(description = "Host name advertised in endpoint URLs")
    String hostname() default "localhost";

    @AttributeDefinition(description = "TCP port", min = "1", max = "65535")
    int port() default 4840;

    @AttributeDefinition(description = "Endpoint path")
    String path() default "/cellgate";

    @AttributeDefinition(description = "Security policies offered: Basic256Sha256, Aes128_Sha256_RsaOaep, "
            + "Aes256_Sha256_RsaPss (None, Basic128Rsa15 and Basic256 need allow.insecure)")
    String[] security_policies() default {"Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss"};

    @AttributeDefinition(description = "Message security modes offered: Sign, SignAndEncrypt")
    String[] security_modes() default {"Sign", "SignAndEncrypt"};

    @AttributeDefinition(description = "Accept anonymous sessions (insecure: needs allow.insecure)")
    boolean anonymous() default false;

    @AttributeDefinition(description = "Allow insecure settings (policy or mode None for sessions, Basic128Rsa15, "
            + "Basic256, anonymous); each is logged as a warning at every start")
    boolean allow_insecure() default false;

    @AttributeDefinition(description = "Maximum concurrent sessions")
    int max_sessions() default 20;

    @AttributeDefinition(description = "Maximum session timeout in ms (idle sessions expire)")
    long max_session_timeout_ms() default 120_000;

    @AttributeDefinition(description = "Maximum subscriptions, all sessions together")
    int max_subscriptions() default 100;

    @AttributeDefinition(description = "Maximum subscriptions per session")
    int max_subscriptions_per_session() default 10;

    @AttributeDefinition(description = "Maximum monitored items, all sessions together")
    int max_monitored_items() default 50_000;

    @AttributeDefinition(description = "Maximum monitored items per session")
    int max_monitored_items_per_session() default 10_000;

    @AttributeDefinition(description = "Maximum message size in bytes (at least 524288: Milo loads its standard nodes "
            + "with this limit)", min = "524288")
    int max_message_size() default 2 * 1024 * 1024;

    @AttributeDefinition(description = "Maximum chunks per message")
    int max_chunk_count() default 64;

    @AttributeDefinition(description = "Connection attempts allowed per address within rate.limit.window.ms "
            + "(Milo's rate limiter; loopback is exempt; applied at the first start of the JVM)")
    int rate_limit_max_attempts() default 4;

    @AttributeDefinition(description = "Window of the connection rate limiter in ms")
    int rate_limit_window_ms() default 1000;

    @AttributeDefinition(description = "Maximum open connections, all addresses together")
    int rate_limit_max_connections() default 100;

    @AttributeDefinition(description = "Maximum open connections from one address")
    int rate_limit_max_connections_per_address() default 20;

    @AttributeDefinition(description = "Milliseconds a new connection may take to send Hello (half-open connections are closed)",
            min = "100")
    int hello_deadline_ms() default 5_000;

    @AttributeDefinition(description = "Smallest sampling interval granted to any monitored item, in ms (Milo's default 0 "
            + "lets a client make the server sample as fast as it can)", min = "1")
    int min_sampling_interval_ms() default 50;

    @AttributeDefinition(description = "How often open sessions are checked against their users, in ms: sessions of "
            + "users disabled, removed or given other roles since they logged in are closed", min = "100")
    int session_recheck_ms() default 2_000;
}
