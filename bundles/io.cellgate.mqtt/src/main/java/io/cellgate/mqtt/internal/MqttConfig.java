package io.cellgate.mqtt.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the northbound MQTT session (PID {@code cellgate.mqtt}). */
@ObjectClassDefinition(pid = MqttConfig.PID, name = "CellGate MQTT session",
        description = "Connection of the Sparkplug edge node to the central broker: URLs, TLS, reconnect")
public @interface MqttConfig {

    String PID = "cellgate.mqtt";

    @AttributeDefinition(description = "Broker URLs in failover order, e.g. ssl://broker1:8883 "
            + "(tcp:// needs allow.insecure)")
    String[] broker_urls() default {};

    @AttributeDefinition(description = "MQTT client identifier (unique on the broker)")
    String client_id() default "";

    @AttributeDefinition(description = "User name sent in CONNECT; empty for none (the broker may take the "
            + "identity from the client certificate instead)", required = false)
    String username() default "";

    @AttributeDefinition(description = "Password sent in CONNECT; empty for none", type = AttributeType.PASSWORD,
            required = false)
    String _password() default "";

    @AttributeDefinition(description = "PEM file with the CA certificate(s) that issued the broker's certificate",
            required = false)
    String ca_file() default "";

    @AttributeDefinition(description = "Also trust the certificates of the gateway PKI's trusted list")
    boolean use_pki_trust() default false;

    @AttributeDefinition(description = "TLS protocol versions offered (TLSv1.2, TLSv1.3)")
    String[] tls_protocols() default {"TLSv1.3", "TLSv1.2"};

    @AttributeDefinition(description = "Allow insecure settings (tcp:// URLs without TLS); each is logged as a "
            + "warning at every start")
    boolean allow_insecure() default false;

    @AttributeDefinition(description = "Keepalive in seconds; a silently dead link is detected within twice this",
            min = "1", max = "65535")
    int keepalive_s() default 30;

    @AttributeDefinition(description = "Seconds to wait for the TCP/TLS connection and CONNACK", min = "1")
    int connect_timeout_s() default 10;

    @AttributeDefinition(description = "Clean Start (Sparkplug 3.0 requires true: the outbox, not the broker "
            + "session, redelivers)")
    boolean clean_start() default true;

    @AttributeDefinition(description = "Session Expiry Interval in seconds (Sparkplug 3.0 requires 0)", min = "0")
    long session_expiry_s() default 0;

    @AttributeDefinition(description = "First reconnect delay in ms (doubled after each round of failed URLs, "
            + "with jitter)", min = "10")
    long reconnect_initial_ms() default 1_000;

    @AttributeDefinition(description = "Largest reconnect delay in ms", min = "10")
    long reconnect_max_ms() default 60_000;
}
