package io.cellgate.health.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.health.GatewayHealth;
import io.cellgate.identity.AuthResult;
import io.cellgate.identity.Authenticator;
import io.cellgate.identity.Identity;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * What {@code GET /metrics} answers, without the servlet API: HTTPS only, HTTP Basic through the identity bundle
 * (lockout, audited logins), then a role check, then the OpenMetrics text. The policy engine has no action for
 * health (its actions are tag reads/writes and management sections), so the roles allowed to scrape are configured
 * ({@code metrics.roles}); a refusal is audited as {@code health.metrics} DENIED.
 */
final class MetricsEndpoint {

    static final String AUDIT_ACTION = "health.metrics";
    static final String REALM = "Basic realm=\"cellgate metrics\", charset=\"UTF-8\"";

    /** An HTTP answer. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        static Response text(int status, String text, Map<String, String> headers) {
            return new Response(status, headers, (text + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private final Authenticator authenticator;
    private final Supplier<GatewayHealth> health;
    private final Supplier<AuditSink> audit;
    private final Set<String> roles;
    private final Clock clock;

    MetricsEndpoint(Authenticator authenticator, Supplier<GatewayHealth> health, Supplier<AuditSink> audit,
            Set<String> roles, Clock clock) {
        this.authenticator = authenticator;
        this.health = health;
        this.audit = audit;
        this.roles = Set.copyOf(roles);
        this.clock = clock;
    }

    Response get(boolean secure, String authorization, String source) {
        if (!secure) {
            return Response.text(403, "HTTPS only", Map.of());
        }
        if (authorization == null) {
            return Response.text(401, "authentication: send HTTP Basic credentials", Map.of("WWW-Authenticate", REALM));
        }
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Response.text(401, "Authorization: only the Basic scheme is supported", Map.of("WWW-Authenticate", REALM));
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Response.text(401, "Authorization: the Basic credentials are not valid Base64",
                    Map.of("WWW-Authenticate", REALM));
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0 || colon > 64 || decoded.length() - colon - 1 > 256) {
            return Response.text(401, "Authorization: expected user:password", Map.of("WWW-Authenticate", REALM));
        }
        char[] password = decoded.substring(colon + 1).toCharArray();
        AuthResult result;
        try {
            result = authenticator.authenticate(decoded.substring(0, colon), password, source);
        } finally {
            Arrays.fill(password, '\0');
        }
        if (!result.success()) {
            return Response.text(401, AuthResult.FAILED_MESSAGE, Map.of("WWW-Authenticate", REALM));
        }
        if (result.mustChangePassword()) {
            return Response.text(403, "the password is a one-time password; set a new one in the console first", Map.of());
        }
        Identity who = result.identity().orElseThrow();
        if (who.roles().stream().noneMatch(roles::contains)) {
            String reason = "roles " + new TreeSet<>(who.roles()) + " may not read the health metrics (metrics.roles "
                    + new TreeSet<>(roles) + ")";
            AuditSink sink = audit.get();
            if (sink != null) {
                sink.record(new AuditEvent(clock.instant(), who.name(), source, AUDIT_ACTION, "/metrics",
                        AuditEvent.Result.DENIED, reason, null));
            }
            return Response.text(403, "denied: " + reason, Map.of());
        }
        GatewayHealth h = health.get();
        if (h == null) {
            return Response.text(503, "health is not running", Map.of());
        }
        return new Response(200, Map.of("Content-Type", OpenMetricsWriter.CONTENT_TYPE),
                OpenMetricsWriter.write(h.metrics()).getBytes(StandardCharsets.UTF_8));
    }
}
