package io.cellgate.health.internal;

import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.health.GatewayHealth;
import io.cellgate.identity.Authenticator;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /metrics} on the console's HTTPS server (Felix HTTP whiteboard; the exact pattern wins over the
 * console's {@code /*}). See {@link MetricsEndpoint}.
 */
@Component(service = Servlet.class, configurationPid = HealthConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@HttpWhiteboardServletName("cellgate-health-metrics")
@HttpWhiteboardServletPattern("/metrics")
public final class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient MetricsEndpoint endpoint;
    private final transient GatewayHealth health;

    // Greedy: the audit trail (ranked 100) replaces the core's log sink if this bound that one first.
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile transient AuditSink audit;

    @Activate
    public MetricsServlet(@Reference Authenticator authenticator, @Reference GatewayHealth health, HealthConfig config) {
        this.health = health;
        this.endpoint = new MetricsEndpoint(authenticator, () -> this.health, () -> audit, Set.of(config.metrics_roles()),
                Clock.systemUTC());
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        MetricsEndpoint.Response r = endpoint.get(req.isSecure(), req.getHeader("Authorization"),
                req.getRemoteAddr() + ":" + req.getRemotePort());
        resp.setStatus(r.status());
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Strict-Transport-Security", "max-age=31536000");
        resp.setContentType("text/plain; charset=utf-8");
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            resp.setHeader(h.getKey(), h.getValue());
        }
        resp.setContentLength(r.body().length);
        resp.getOutputStream().write(r.body());
    }
}
