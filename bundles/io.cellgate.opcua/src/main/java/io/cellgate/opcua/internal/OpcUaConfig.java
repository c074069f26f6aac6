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

    @AttributeDefinition(description = "Users as name:iterations:base64(salt):base64(PBKDF2WithHmacSHA256 hash)")
    String[] users() default {};

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

    @AttributeDefinition(description = "Maximum message size in bytes")
    int max_message_size() default 2 * 1024 * 1024;

    @AttributeDefinition(description = "Maximum chunks per message")
    int max_chunk_count() default 64;

    @AttributeDefinition(description = "Seconds a connection may take to send Hello")
    int hello_deadline_ms() default 5_000;
}
