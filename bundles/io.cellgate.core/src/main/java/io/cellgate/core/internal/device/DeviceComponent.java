package io.cellgate.core.internal.device;

import io.cellgate.api.config.ConfigKeys;
import io.cellgate.api.config.DeviceConfig;
import io.cellgate.api.config.ProfileRegistry;
import io.cellgate.api.driver.DeviceDriver;
import io.cellgate.core.internal.bus.TagBusProducer;
import io.cellgate.core.internal.poll.PollScheduler;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device of the cell: a factory component instance per {@value ConfigKeys#DEVICE_FACTORY_PID}
 * configuration, as on Eclipse Kura. Changing one device modifies only its instance; the others keep polling.
 *
 * <p>Driver matching: all {@link DeviceDriver} services are bound (dynamic, multiple) and the device picks the
 * one whose {@value DeviceDriver#PROTOCOL_PROPERTY} property (or, without it, {@link DeviceDriver#protocols()})
 * contains its protocol; with several, the highest service ranking wins. A DS {@code driver.target} filter
 * would need a property the configuration loader does not write, and a device whose driver is missing
 * would not be activated at all; this way the device is on the bus (FAILING, "no driver for protocol")
 * and starts polling as soon as its driver arrives.
 */
@Component(configurationPid = ConfigKeys.DEVICE_FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = Config.class, factory = true)
public final class DeviceComponent {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceComponent.class);

    private final TagBusProducer bus;
    private final ProfileRegistry profiles;
    private final PollScheduler scheduler;
    private final DeviceRegistry registry;
    private final List<DriverRef> drivers = new ArrayList<>(); // guarded by this
    private Config config; // guarded by this
    private DevicePoller poller; // guarded by this
    private DeviceConfig applied; // guarded by this
    private DeviceDriver appliedDriver; // guarded by this

    @Activate
    public DeviceComponent(Config config, @Reference(name = "bus") TagBusProducer bus,
            @Reference(name = "profiles") ProfileRegistry profiles, @Reference(name = "scheduler") PollScheduler scheduler,
            @Reference(name = "registry") DeviceRegistry registry) {
        this.config = config;
        this.bus = bus;
        this.profiles = profiles;
        this.scheduler = scheduler;
        this.registry = registry;
    }

    /** Runs after the constructor and the first driver bindings, so a present driver is used right away. */
    @Activate
    synchronized void activate() {
        applyConfig(config);
    }

    @Modified
    synchronized void modified(Config newConfig) {
        applyConfig(newConfig);
    }

    @Deactivate
    synchronized void deactivate() {
        if (poller != null) {
            poller.close();
            poller = null;
        }
    }

    @Reference(name = "driver", service = DeviceDriver.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindDriver(DeviceDriver driver, Map<String, Object> properties) {
        drivers.add(new DriverRef(driver, protocols(driver, properties), ranking(properties)));
        reapplyIfDriverChanged();
    }

    synchronized void unbindDriver(DeviceDriver driver) {
        drivers.removeIf(d -> d.driver == driver);
        reapplyIfDriverChanged();
    }

    /** The one path for activate and modify. */
    private void applyConfig(Config newConfig) {
        config = newConfig;
        String id = newConfig.device_id();
        if (poller != null && !poller.deviceId().equals(id)) {
            poller.close();
            poller = null;
        }
        if (poller == null) {
            poller = new DevicePoller(id, bus, profiles, scheduler, registry); // rejects an invalid id
        }
        try {
            applied = DeviceConfigMapper.toDeviceConfig(newConfig);
        } catch (IllegalArgumentException e) {
            applied = null;
            appliedDriver = null;
            poller.fail(e.getMessage());
            return;
        }
        appliedDriver = select(applied.endpoint().protocol());
        poller.apply(applied, appliedDriver);
    }

    private void reapplyIfDriverChanged() {
        if (poller == null || applied == null) {
            return; // not active yet (activate() applies), or the configuration is invalid anyway
        }
        DeviceDriver driver = select(applied.endpoint().protocol());
        if (driver != appliedDriver) {
            LOG.info("Device '{}': driver for '{}' is now {}", applied.id(), applied.endpoint().protocol(),
                    driver == null ? "missing" : driver);
            appliedDriver = driver;
            poller.apply(applied, driver);
        }
    }

    private DeviceDriver select(String protocol) {
        return drivers.stream().filter(d -> d.protocols.contains(protocol))
                .max(Comparator.comparingInt(DriverRef::ranking)).map(DriverRef::driver).orElse(null);
    }

    static Set<String> protocols(DeviceDriver driver, Map<String, Object> properties) {
        Object p = properties.get(DeviceDriver.PROTOCOL_PROPERTY);
        if (p instanceof String s) {
            return Set.of(s);
        }
        if (p instanceof String[] a) {
            return Set.of(a);
        }
        if (p instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).collect(java.util.stream.Collectors.toUnmodifiableSet());
        }
        try {
            return Set.copyOf(driver.protocols());
        } catch (RuntimeException e) {
            LOG.warn("Driver {} has no {} property and protocols() failed; it serves nothing", driver,
                    DeviceDriver.PROTOCOL_PROPERTY, e);
            return Set.of();
        }
    }

    private static int ranking(Map<String, Object> properties) {
        return properties.get(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
    }

    /** The poller, for tests in this package. */
    synchronized DevicePoller poller() {
        return poller;
    }

    private record DriverRef(DeviceDriver driver, Set<String> protocols, int ranking) {
    }
}
