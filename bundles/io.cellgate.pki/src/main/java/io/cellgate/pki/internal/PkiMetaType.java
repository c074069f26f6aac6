package io.cellgate.pki.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Publishes the MetaType of {@code cellgate.pki} for the console. It exists because bnd refuses a
 * designation on {@link PkiComponent}, which takes three configuration PIDs. Does nothing else.
 */
@Component(service = PkiMetaType.class, configurationPid = PkiComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PkiConfig.class)
public final class PkiMetaType {
}
