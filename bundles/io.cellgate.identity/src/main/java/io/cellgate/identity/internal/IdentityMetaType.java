package io.cellgate.identity.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Publishes the MetaType of {@code cellgate.identity} for the console. It exists because bnd refuses a
 * designation on {@link IdentityComponent}, which takes two configuration PIDs. Does nothing else.
 */
@Component(service = IdentityMetaType.class, configurationPid = IdentityComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = IdentityConfig.class)
public final class IdentityMetaType {
}
