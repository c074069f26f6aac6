package io.cellgate.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/** Every bundle of the runtime starts, and no component is stuck unsatisfied for a reason other than missing configuration. */
class SmokeTest {

    @InjectBundleContext
    BundleContext context;

    @Test
    void bundles_allStarted() {
        List<String> notActive = Arrays.stream(context.getBundles())
                .filter(b -> b.getHeaders().get("Fragment-Host") == null)
                .filter(b -> b.getState() != Bundle.ACTIVE)
                .map(b -> b.getSymbolicName() + " state " + b.getState())
                .toList();
        assertThat(notActive).isEmpty();
        assertThat(Arrays.stream(context.getBundles()).map(Bundle::getSymbolicName))
                .contains("io.cellgate.api", "io.cellgate.core", "io.cellgate.config", "io.cellgate.driver.modbus",
                        "io.cellgate.simulator", "io.cellgate.modbus");
    }

    @Test
    void components_noneUnsatisfiedByReference(@InjectService ServiceComponentRuntime scr) {
        List<String> broken = scr.getComponentDescriptionDTOs().stream()
                .filter(d -> d.name.startsWith("io.cellgate"))
                .flatMap(d -> scr.getComponentConfigurationDTOs(d).stream())
                .filter(c -> c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE
                        || c.state == ComponentConfigurationDTO.FAILED_ACTIVATION)
                .map(c -> c.description.name + " state " + c.state + " " + c.failure)
                .toList();
        assertThat(broken).isEmpty();
    }
}
