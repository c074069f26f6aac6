package io.cellgate.runtime.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.config.ConfigKeys;
import java.time.Instant;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the gateway's start and stop in the audit trail ({@code gateway.start}, {@code gateway.stop}, identity
 * {@code system}). Runs only when the gateway runs (the launcher wrote the state directory: not in command mode)
 * and binds only the durable trail, so that a start is never recorded in the log fallback and then again in the
 * trail. The trail's bundle starts before this one and stops after it, so the stop is recorded.
 */
@Component(service = {}, immediate = true, configurationPid = ConfigKeys.RUNTIME_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class GatewayAudit {

    static final String START = "gateway.start";
    static final String STOP = "gateway.stop";
    private static final Logger LOG = LoggerFactory.getLogger(GatewayAudit.class);

    private final AuditSink audit;

    @Activate
    public GatewayAudit(@Reference(name = "audit", target = "(" + AuditSink.DURABLE + "=true)") AuditSink audit,
            BundleContext context, Map<String, Object> properties) {
        this(audit, context.getBundle().getVersion().toString(), String.valueOf(properties.get(ConfigKeys.STATE_DIR)));
    }

    GatewayAudit(AuditSink audit, String version, String stateDir) {
        this.audit = audit;
        record(START, AuditEvent.Result.SUCCESS, "CellGate " + version + ", state directory " + stateDir);
    }

    @Deactivate
    void deactivate(int reason) {
        record(STOP, AuditEvent.Result.SUCCESS, stopReason(reason));
    }

    static String stopReason(int reason) {
        return switch (reason) {
            case ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED,
                 ComponentConstants.DEACTIVATION_REASON_DISPOSED -> "the gateway stops";
            case ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED -> "the runtime configuration was removed";
            case ComponentConstants.DEACTIVATION_REASON_REFERENCE -> "the audit trail went away";
            default -> "deactivated (reason " + reason + ")";
        };
    }

    private void record(String action, AuditEvent.Result result, String reason) {
        AuditEvent e = new AuditEvent(Instant.now(), "system", null, action, "gateway", result, reason, null);
        if (!audit.record(e)) {
            LOG.error("{} could not be recorded in the audit trail ({})", action, reason);
        }
    }
}
