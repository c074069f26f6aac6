package io.cellgate.mqtt.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The session's settings, checked. Built from {@link MqttConfig} by {@link #of(MqttConfig)} or, without
 * OSGi, with {@link #builder()}. {@link #insecure()} names what is insecure (plain tcp:// URLs), for the
 * warning at every start; without {@code allow.insecure} such settings are refused.
 */
public record MqttSettings(List<URI> brokerUrls, String clientId, String username, char[] password,
        Path caFile, boolean usePkiTrust, List<String> tlsProtocols, Duration keepAlive, Duration connectTimeout,
        boolean cleanStart, long sessionExpirySeconds, Duration reconnectInitial, Duration reconnectMax,
        List<String> insecure) {

    static final Set<String> TLS_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    public MqttSettings {
        brokerUrls = List.copyOf(brokerUrls);
        tlsProtocols = List.copyOf(tlsProtocols);
        insecure = List.copyOf(insecure);
        password = password == null ? null : password.clone();
    }

    /** True when some URL uses TLS, so a socket factory is needed. */
    public boolean needsTls() {
        return brokerUrls.stream().anyMatch(u -> "ssl".equals(u.getScheme()));
    }

    @Override
    public char[] password() {
        return password == null ? null : password.clone();
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "MqttSettings[urls=" + brokerUrls + ", clientId=" + clientId + ", username=" + username
                + ", password=" + (password == null ? "none" : "***") + ", caFile=" + caFile + ", usePkiTrust="
                + usePkiTrust + ", tls=" + tlsProtocols + ", keepAlive=" + keepAlive + ", cleanStart=" + cleanStart
                + ", sessionExpiry=" + sessionExpirySeconds + "s, reconnect=" + reconnectInitial + ".." + reconnectMax
                + (insecure.isEmpty() ? "" : ", INSECURE=" + insecure) + "]";
    }

    public static MqttSettings of(MqttConfig c) {
        return builder().brokerUrls(c.broker_urls()).clientId(c.client_id()).username(c.username())
                .password(c._password().isEmpty() ? null : c._password().toCharArray())
                .caFile(c.ca_file().isBlank() ? null : Path.of(c.ca_file().trim())).usePkiTrust(c.use_pki_trust())
                .tlsProtocols(c.tls_protocols()).allowInsecure(c.allow_insecure())
                .keepAlive(Duration.ofSeconds(c.keepalive_s())).connectTimeout(Duration.ofSeconds(c.connect_timeout_s()))
                .cleanStart(c.clean_start()).sessionExpirySeconds(c.session_expiry_s())
                .reconnect(Duration.ofMillis(c.reconnect_initial_ms()), Duration.ofMillis(c.reconnect_max_ms()))
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects settings; {@link #build()} checks them and names the offending key. */
    public static final class Builder {
        private String[] urls = {};
        private String clientId = "";
        private String username = "";
        private char[] password;
        private Path caFile;
        private boolean usePkiTrust;
        private String[] tlsProtocols = {"TLSv1.3", "TLSv1.2"};
        private boolean allowInsecure;
        private Duration keepAlive = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private boolean cleanStart = true;
        private long sessionExpirySeconds;
        private Duration reconnectInitial = Duration.ofSeconds(1);
        private Duration reconnectMax = Duration.ofMinutes(1);

        public Builder brokerUrls(String... v) { urls = v.clone(); return this; }
        public Builder clientId(String v) { clientId = v; return this; }
        public Builder username(String v) { username = v; return this; }
        public Builder password(char[] v) { password = v; return this; }
        public Builder caFile(Path v) { caFile = v; return this; }
        public Builder usePkiTrust(boolean v) { usePkiTrust = v; return this; }
        public Builder tlsProtocols(String... v) { tlsProtocols = v.clone(); return this; }
        public Builder allowInsecure(boolean v) { allowInsecure = v; return this; }
        public Builder keepAlive(Duration v) { keepAlive = v; return this; }
        public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }
        public Builder cleanStart(boolean v) { cleanStart = v; return this; }
        public Builder sessionExpirySeconds(long v) { sessionExpirySeconds = v; return this; }
        public Builder reconnect(Duration initial, Duration max) { reconnectInitial = initial; reconnectMax = max; return this; }

        public MqttSettings build() {
            String pid = MqttConfig.PID;
            List<URI> list = new ArrayList<>();
            List<String> insecure = new ArrayList<>();
            for (String raw : urls) {
                String s = raw == null ? "" : raw.trim();
                if (s.isEmpty()) {
                    continue;
                }
                URI uri;
                try {
                    uri = new URI(s);
                } catch (URISyntaxException e) {
                    throw new IllegalArgumentException(pid + ": broker.urls: '" + s + "' is not a URL: " + e.getMessage(), e);
                }
                if (uri.getHost() == null || uri.getPort() < 1) {
                    throw new IllegalArgumentException(pid + ": broker.urls: '" + s + "' needs a host and a port");
                }
                if ("tcp".equals(uri.getScheme())) {
                    insecure.add("broker.urls: " + s + " (MQTT without TLS)");
                } else if (!"ssl".equals(uri.getScheme())) {
                    throw new IllegalArgumentException(pid + ": broker.urls: '" + s + "': scheme must be ssl:// (or tcp:// with allow.insecure)");
                }
                list.add(uri);
            }
            if (list.isEmpty()) {
                throw new IllegalArgumentException(pid + ": broker.urls is empty");
            }
            if (!insecure.isEmpty() && !allowInsecure) {
                throw new IllegalArgumentException(pid + ": insecure settings are not allowed: " + String.join("; ", insecure)
                        + ". Use ssl:// URLs; set allow.insecure=true to override");
            }
            if (clientId == null || clientId.isBlank()) {
                throw new IllegalArgumentException(pid + ": client.id is empty");
            }
            List<String> protocols = new ArrayList<>();
            for (String p : tlsProtocols) {
                if (!TLS_PROTOCOLS.contains(p.trim())) {
                    throw new IllegalArgumentException(pid + ": tls.protocols: '" + p + "' is not one of " + TLS_PROTOCOLS);
                }
                protocols.add(p.trim());
            }
            if (protocols.isEmpty()) {
                throw new IllegalArgumentException(pid + ": tls.protocols is empty");
            }
            boolean tls = list.stream().anyMatch(u -> "ssl".equals(u.getScheme()));
            if (tls && caFile == null && !usePkiTrust) {
                throw new IllegalArgumentException(pid + ": no trust anchors for the broker's certificate: set ca.file or use.pki.trust");
            }
            positive(pid, "keepalive.s", keepAlive);
            positive(pid, "connect.timeout.s", connectTimeout);
            positive(pid, "reconnect.initial.ms", reconnectInitial);
            if (keepAlive.toSeconds() > 65_535) {
                throw new IllegalArgumentException(pid + ": keepalive.s: " + keepAlive.toSeconds() + " is above 65535");
            }
            if (reconnectMax.compareTo(reconnectInitial) < 0) {
                throw new IllegalArgumentException(pid + ": reconnect.max.ms is below reconnect.initial.ms");
            }
            if (sessionExpirySeconds < 0 || sessionExpirySeconds > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException(pid + ": session.expiry.s: " + sessionExpirySeconds + " is outside 0..4294967295");
            }
            return new MqttSettings(list, clientId.trim(), username == null ? "" : username, password, caFile,
                    usePkiTrust, protocols, keepAlive, connectTimeout, cleanStart, sessionExpirySeconds,
                    reconnectInitial, reconnectMax, insecure);
        }

        private static void positive(String pid, String key, Duration d) {
            Objects.requireNonNull(d, key);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(pid + ": " + key + " must be positive, is " + d);
            }
        }
    }
}
