package io.cellgate.audit.internal;

import io.cellgate.api.audit.AuditQuery;
import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.config.ConfigKeys;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the {@link HashChainAuditSink} (as {@link AuditSink} and {@link AuditQuery}, ranking 100) once a state
 * directory is configured ({@code cellgate.runtime} state.dir, or {@code cellgate.audit} state.dir), and only then.
 * A DS service whose constructor fails stays registered and hands out null: the greedy consumers (identity, OPC UA,
 * edge node) would bind that before the state directory arrives and fail. Without a state directory (command mode)
 * nothing is registered, and the core's log sink is used.
 */
@Component(service = {}, immediate = true, configurationPid = {ConfigKeys.RUNTIME_PID, HashChainAuditSink.PID},
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class AuditTrailComponent {

    private static final Logger LOG = LoggerFactory.getLogger(AuditTrailComponent.class);

    private final BundleContext context;
    private HashChainAuditSink sink;
    private ServiceRegistration<?> registration;

    @Activate
    public AuditTrailComponent(BundleContext context, AuditConfig config) {
        this.context = context;
        apply(config);
    }

    @Modified
    synchronized void apply(AuditConfig config) {
        if (sink != null) {
            sink.modified(config);
            return;
        }
        if (config.state_dir().isBlank()) {
            LOG.debug("Audit trail: no state directory configured yet (command mode?); not registered");
            return;
        }
        sink = new HashChainAuditSink(config);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, HashChainAuditSink.RANKING);
        props.put(AuditSink.DURABLE, Boolean.TRUE);
        registration = context.registerService(new String[] {AuditSink.class.getName(), AuditQuery.class.getName()},
                sink, props);
    }

    @Deactivate
    synchronized void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // gone with the bundle
            }
            registration = null;
        }
        if (sink != null) {
            sink.deactivate();
            sink = null;
        }
    }
}
