package io.cellgate.policy.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Publishes the MetaType of {@code cellgate.policy} (designates it), so that the console's Components page lists it
 * with a form (changed with manage_policy). It exists because bnd refuses a designation on {@link PolicyComponent},
 * which takes three configuration PIDs. Does nothing else.
 */
@Component(service = PolicyMetaType.class, configurationPid = PolicyComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PolicyConfig.class)
public final class PolicyMetaType {
}
