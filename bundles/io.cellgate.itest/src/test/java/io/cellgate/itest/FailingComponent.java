package io.cellgate.itest;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/** A component that always fails to activate, once configured: the subject of {@link LoggingTest}. */
@Component(configurationPid = FailingComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {})
public class FailingComponent {

    static final String PID = "itest.failing";

    @Activate
    public FailingComponent() {
        throw new IllegalStateException("itest: this component refuses to activate");
    }
}
