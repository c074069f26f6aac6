package io.cellgate.health.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Publishes the MetaType of {@code cellgate.health} (designates it), so that the console's Components page lists it
 * with a form. It exists because bnd refuses a designation on {@link HealthComponent}, which takes three
 * configuration PIDs. Does nothing else.
 */
@Component(service = HealthMetaType.class, configurationPid = HealthConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = HealthConfig.class)
public final class HealthMetaType {
}
