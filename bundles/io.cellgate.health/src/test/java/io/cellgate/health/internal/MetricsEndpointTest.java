package io.cellgate.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.health.GatewayHealth;
import io.cellgate.api.health.HealthAlarm;
import io.cellgate.api.health.HealthMetric;
import io.cellgate.api.health.MetricType;
import io.cellgate.api.health.SecurityEvent;
import io.cellgate.identity.AuthResult;
import io.cellgate.identity.Authenticator;
import io.cellgate.identity.Identity;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsEndpointTest {

    /** Users in memory: name -> password, roles. Counts failed logins like the identity bundle audits them. */
    static final class Users implements Authenticator {
        final Map<String, String> passwords = Map.of("prometheus", "scrape-secret", "observer", "look", "fresh", "otp");
        final Map<String, Set<String>> roles = Map.of("prometheus", Set.of("Auditor"), "observer", Set.of("Observer"),
                "fresh", Set.of("Auditor"));
        final List<String> attempts = new ArrayList<>();

        @Override
        public AuthResult authenticate(String user, char[] password, String source) {
            attempts.add(user + "@" + source);
            if (!new String(password).equals(passwords.get(user))) {
                return AuthResult.FAILED;
            }
            return AuthResult.success(new Identity(user, roles.get(user), Identity.Kind.USER), user.equals("fresh"));
        }

        @Override
        public Optional<Identity> forCertificate(X509Certificate certificate, String source) {
            return Optional.empty();
        }

        @Override
        public void changeOwnPassword(String user, char[] oldPassword, char[] newPassword, String source) {
            throw new UnsupportedOperationException();
        }
    }

    static final GatewayHealth HEALTH = new GatewayHealth() {
        @Override public List<HealthMetric> metrics() {
            return List.of(MetricDef.gauge("Health/Gateway/Uptime", "cellgate_gateway_uptime", MetricType.INT64, "seconds",
                    "up").with(12L));
        }
        @Override public List<HealthAlarm> alarms() { return List.of(); }
        @Override public List<SecurityEvent> events() { return List.of(); }
        @Override public long eventCount() { return 0; }
    };

    private final Users users = new Users();
    private final List<AuditEvent> audited = new ArrayList<>();
    private final MetricsEndpoint endpoint = new MetricsEndpoint(users, () -> HEALTH, () -> e -> audited.add(e),
            Set.of("Auditor", "SecurityAdmin"), new FakeClock());

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String body(MetricsEndpoint.Response r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void get_allowedRole_openMetricsText() {
        MetricsEndpoint.Response r = endpoint.get(true, basic("prometheus", "scrape-secret"), "10.1.0.9:40000");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("Content-Type", OpenMetricsWriter.CONTENT_TYPE);
        assertThat(body(r)).contains("cellgate_gateway_uptime_seconds 12").endsWith("# EOF\n");
        assertThat(users.attempts).containsExactly("prometheus@10.1.0.9:40000");
    }

    @Test
    void get_plainHttp_refusedBeforeCredentialsAreLookedAt() {
        MetricsEndpoint.Response r = endpoint.get(false, basic("prometheus", "scrape-secret"), "10.1.0.9:1");

        assertThat(r.status()).isEqualTo(403);
        assertThat(users.attempts).isEmpty();
    }

    @Test
    void get_noOrBadCredentials_401WithChallenge_noMetrics() {
        for (String header : new String[] {null, "Bearer x", "Basic !!!", basic("prometheus", "wrong"), basic("", "x")}) {
            MetricsEndpoint.Response r = endpoint.get(true, header, "10.1.0.9:1");
            assertThat(r.status()).as(String.valueOf(header)).isEqualTo(401);
            assertThat(r.headers()).containsEntry("WWW-Authenticate", MetricsEndpoint.REALM);
            assertThat(body(r)).doesNotContain("cellgate_");
        }
    }

    @Test
    void get_roleNotAllowed_403Audited() {
        MetricsEndpoint.Response r = endpoint.get(true, basic("observer", "look"), "10.1.0.7:1");

        assertThat(r.status()).isEqualTo(403);
        assertThat(body(r)).contains("roles [Observer] may not read the health metrics");
        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo(MetricsEndpoint.AUDIT_ACTION);
            assertThat(e.result()).isEqualTo(AuditEvent.Result.DENIED);
            assertThat(e.identity()).isEqualTo("observer");
        });
    }

    @Test
    void get_oneTimePassword_403() {
        assertThat(endpoint.get(true, basic("fresh", "otp"), "10.1.0.7:1").status()).isEqualTo(403);
    }

    /** A real HTTPS exchange on loopback: the JDK's HTTPS server in front of the endpoint, the JDK's HTTP client. */
    @Test
    void get_overHttpsWithRealClient_basicChallengeThenMetrics(@TempDir Path dir) throws Exception {
        Path ks = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(),
                "-storepass", "changeit").redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLSv1.3");
        serverTls.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext clientTls = SSLContext.getInstance("TLSv1.3");
        clientTls.init(null, tmf.getTrustManagers(), null);

        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        server.createContext("/metrics", ex -> {
            MetricsEndpoint.Response r = endpoint.get(true, ex.getRequestHeaders().getFirst("Authorization"),
                    ex.getRemoteAddress().getAddress().getHostAddress() + ":" + ex.getRemoteAddress().getPort());
            r.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            ex.sendResponseHeaders(r.status(), r.body().length);
            ex.getResponseBody().write(r.body());
            ex.close();
        });
        server.start();
        try {
            HttpClient client = HttpClient.newBuilder().sslContext(clientTls).build();
            URI uri = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/metrics");

            HttpResponse<String> challenge = client.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> ok = client.send(HttpRequest.newBuilder(uri)
                    .header("Authorization", basic("prometheus", "scrape-secret")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(challenge.statusCode()).isEqualTo(401);
            assertThat(challenge.headers().firstValue("WWW-Authenticate")).contains(MetricsEndpoint.REALM);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("Content-Type")).contains(OpenMetricsWriter.CONTENT_TYPE);
            assertThat(ok.body()).contains("cellgate_gateway_uptime_seconds 12");
            assertThat(users.attempts).singleElement().asString().startsWith("prometheus@127.0.0.1:");
        } finally {
            server.stop(0);
        }
    }
}
