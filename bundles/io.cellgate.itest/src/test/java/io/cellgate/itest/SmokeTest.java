package io.cellgate.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/** Every bundle of the runtime starts, and no component is stuck unsatisfied for a reason other than missing configuration. */
class SmokeTest {

    @InjectBundleContext
    BundleContext context;
    @InjectService
    ConfigurationAdmin cm;

    private Configuration runtime;

    /**
     * The launcher always writes the state directory before anything else (the identity component refuses
     * to activate without one, by design), so the runtime checked here has one too.
     */
    @BeforeEach
    void stateDirectoryAsTheLauncherSetsIt() throws Exception {
        runtime = cm.getConfiguration("cellgate.runtime", "?");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("state.dir", Files.createTempDirectory("smoke-state").toString());
        runtime.update(p);
    }

    @AfterEach
    void removeStateDirectory() throws Exception {
        runtime.delete();
    }

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
                        "io.cellgate.simulator", "io.cellgate.modbus", "io.cellgate.opcua", "io.cellgate.pki",
                        "io.cellgate.identity", "io.cellgate.milo");
    }

    /**
     * Each CellGate bundle that declares components carries their descriptions and SCR knows them. Guards the
     * resolution itself: a test jar with its bundle's manifest once stood in for the real io.cellgate.mqtt (same
     * name and version, no components), and the gateway ran without an edge node.
     */
    @Test
    void bundles_everyDeclaredComponentPresent(@InjectService ServiceComponentRuntime scr) {
        List<String> missing = new java.util.ArrayList<>();
        for (Bundle b : context.getBundles()) {
            String header = b.getHeaders().get("Service-Component");
            if (b.getSymbolicName() == null || !b.getSymbolicName().startsWith("io.cellgate") || header == null) {
                continue;
            }
            for (String entry : header.split(",")) {
                if (b.getEntry(entry.trim()) == null) {
                    missing.add(b.getSymbolicName() + " (" + b.getLocation() + "): no " + entry.trim());
                }
            }
            if (scr.getComponentDescriptionDTOs(b).isEmpty()) {
                missing.add(b.getSymbolicName() + " (" + b.getLocation() + "): SCR knows none of its components");
            }
        }
        assertThat(missing).isEmpty();
        assertThat(scr.getComponentDescriptionDTOs().stream().map(d -> d.name))
                .as("the Sparkplug edge node and the OPC UA server in the running gateway")
                .contains("io.cellgate.mqtt.internal.EdgeNodeComponent", "io.cellgate.opcua.internal.OpcUaServerComponent");
    }

    @Test
    void components_noneUnsatisfiedByReference(@InjectService ServiceComponentRuntime scr) throws InterruptedException {
        List<String> broken = broken(scr);
        // SCR applies the configuration above asynchronously: wait for a state, bounded only against a hang.
        for (long end = System.nanoTime() + 10_000_000_000L; !broken.isEmpty() && System.nanoTime() < end; broken = broken(scr)) {
            Thread.sleep(50);
        }
        assertThat(broken).isEmpty();
    }

    private static List<String> broken(ServiceComponentRuntime scr) {
        return scr.getComponentDescriptionDTOs().stream()
                .filter(d -> d.name.startsWith("io.cellgate"))
                .flatMap(d -> scr.getComponentConfigurationDTOs(d).stream())
                .filter(c -> c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE
                        || c.state == ComponentConfigurationDTO.FAILED_ACTIVATION)
                .map(c -> c.description.name + " state " + c.state + " " + c.failure)
                .toList();
    }
}
