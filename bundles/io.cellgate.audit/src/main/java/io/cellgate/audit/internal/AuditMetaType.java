package io.cellgate.audit.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Publishes the MetaType of {@code cellgate.audit} for the console. It exists because bnd refuses a designation on
 * {@link AuditTrailComponent}, which takes two configuration PIDs. Does nothing else.
 */
@Component(service = AuditMetaType.class, configurationPid = HashChainAuditSink.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = AuditConfig.class)
public final class AuditMetaType {
}
