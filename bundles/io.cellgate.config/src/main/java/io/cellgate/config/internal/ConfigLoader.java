package io.cellgate.config.internal;

import io.cellgate.api.config.CellConfig;
import io.cellgate.api.config.ConfigKeys;
import io.cellgate.api.config.ProfileRegistry;
import io.cellgate.config.ConfigurationService;
import io.cellgate.config.LoadResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the configuration directory named by {@code cellgate.config}, and when it is valid writes the
 * cell and one named factory configuration per device, as a diff. Watches the directory and re-applies
 * on change; an invalid change is logged and not applied. Deactivation leaves the device
 * configurations in place, so that a restart of this bundle or of the gateway does not flap devices.
 */
@Component(configurationPid = ConfigKeys.LOADER_PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = ConfigurationService.class)
@Designate(ocd = LoaderConfig.class)
// The ProfileRegistry is registered by hand (only once a valid cell is applied); declare it for the resolver.
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.cellgate.api.config.ProfileRegistry",
        uses = ProfileRegistry.class)
public final class ConfigLoader implements ConfigurationService {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
    private static final String DEVICE_FILTER = "(service.factoryPid=" + ConfigKeys.DEVICE_FACTORY_PID + ")";

    private final ConfigurationAdmin cm;
    private final BundleContext context;
    private final ProfileRegistryImpl registry = new ProfileRegistryImpl();
    private final ScheduledExecutorService scheduler;
    private final Object lock = new Object();

    // Guarded by lock.
    private ServiceRegistration<ProfileRegistry> registration;
    private Path directory;
    private long watchInterval;
    private ScheduledFuture<?> watchTask;
    private DirectoryWatch watch;
    private volatile CellConfig current;

    @Activate
    public ConfigLoader(@Reference ConfigurationAdmin cm, BundleContext context, LoaderConfig config) {
        this.cm = cm;
        this.context = context;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cellgate-config-watch");
            t.setDaemon(true);
            return t;
        });
        configure(config);
    }

    @Modified
    void modified(LoaderConfig config) {
        configure(config);
    }

    @Deactivate
    void deactivate() {
        scheduler.shutdownNow();
        synchronized (lock) {
            if (registration != null) {
                registration.unregister();
                registration = null;
            }
        }
        // The device configurations stay: removing them would stop every device on a mere bundle restart.
    }

    /** Points the loader at the configured directory; the first load and apply happen right here. */
    private void configure(LoaderConfig config) {
        if (config.directory() == null || config.directory().isBlank()) {
            LOG.error("{}: '{}' is not set; no configuration loaded", ConfigKeys.LOADER_PID,
                    ConfigKeys.LOADER_DIRECTORY);
            return;
        }
        Path dir = Path.of(config.directory()).toAbsolutePath().normalize();
        synchronized (lock) {
            boolean sameDir = dir.equals(directory);
            if (!sameDir) {
                directory = dir;
                watch = new DirectoryWatch(dir);
                watch.poll();
                watch.markSeen();
                loadAndApply(dir);
            }
            if (!sameDir || watchInterval != config.watch_interval()) {
                watchInterval = config.watch_interval();
                restartWatch();
            }
        }
    }

    private void restartWatch() {
        if (watchTask != null) {
            watchTask.cancel(false);
            watchTask = null;
        }
        if (watchInterval > 0) {
            watchTask = scheduler.scheduleWithFixedDelay(this::checkForChanges, watchInterval, watchInterval,
                    TimeUnit.MILLISECONDS);
        }
    }

    private void checkForChanges() {
        try {
            synchronized (lock) {
                if (watch != null && watch.poll()) {
                    LOG.info("configuration files in {} changed; reloading", directory);
                    watch.markSeen();
                    loadAndApply(directory);
                }
            }
        } catch (RuntimeException e) {
            // One bad tick must not end the watch (a scheduled task that throws is never run again).
            LOG.error("checking {} for changes failed: {}", directory, e.toString(), e);
        }
    }

    private LoadResult loadAndApply(Path dir) {
        LoadResult result = CellLoader.load(dir);
        if (!result.isValid()) {
            LOG.error("configuration in {} is invalid and was NOT applied ({} error{}); the running configuration "
                    + "stays as it was:{}{}", dir, result.errors().size(), result.errors().size() == 1 ? "" : "s",
                    System.lineSeparator(), result.errorReport());
            return result;
        }
        try {
            apply(result.config().orElseThrow());
        } catch (IOException | RuntimeException e) {
            LOG.error("applying the configuration in {} failed part-way: {}; it is retried on the next change",
                    dir, e.toString(), e);
        }
        return result;
    }

    private void apply(CellConfig cell) throws IOException {
        Map<String, Configuration> existing = deviceConfigurations();
        Map<String, Dictionary<String, Object>> props = new HashMap<>();
        existing.forEach((id, c) -> props.put(id, c.getProperties()));
        ConfigDiff diff = ConfigDiff.between(props, cell);

        // Profiles first: a device component reconfigured below must find the profile it now names.
        registry.set(cell.profiles());
        if (registration == null) {
            registration = context.registerService(ProfileRegistry.class, registry, null);
        }
        cm.getConfiguration(ConfigKeys.CELL_PID, "?").updateIfDifferent(dictionary(DeviceProperties.cell(cell)));
        for (Map.Entry<String, Map<String, Object>> e : diff.create().entrySet()) {
            cm.getFactoryConfiguration(ConfigKeys.DEVICE_FACTORY_PID, e.getKey(), "?")
                    .updateIfDifferent(dictionary(e.getValue()));
        }
        for (Map.Entry<String, Map<String, Object>> e : diff.update().entrySet()) {
            existing.get(e.getKey()).updateIfDifferent(dictionary(e.getValue()));
        }
        for (String id : diff.delete()) {
            existing.get(id).delete();
        }
        current = cell;
        LOG.info("cell {} applied (config {}): {}", cell.cellId(), cell.hash().substring(0, 12), diff.summary());
    }

    /** The device configurations that exist, by device id; configurations without one are not ours. */
    private Map<String, Configuration> deviceConfigurations() throws IOException {
        Configuration[] all;
        try {
            all = cm.listConfigurations(DEVICE_FILTER);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("constant filter is valid", e);
        }
        Map<String, Configuration> byId = new HashMap<>();
        if (all != null) {
            for (Configuration c : all) {
                Dictionary<String, Object> p = c.getProperties();
                if (p != null && p.get(ConfigKeys.DEVICE_ID) instanceof String id) {
                    byId.put(id, c);
                }
            }
        }
        return byId;
    }

    private static Dictionary<String, Object> dictionary(Map<String, Object> map) {
        return new Hashtable<>(map);
    }

    @Override
    public LoadResult validate(Path dir) {
        return CellLoader.load(dir);
    }

    @Override
    public LoadResult apply(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        LoadResult result;
        synchronized (lock) {
            result = CellLoader.load(abs);
            if (!result.isValid()) {
                return result;
            }
            try {
                apply(result.config().orElseThrow());
            } catch (IOException e) {
                throw new IllegalStateException("applying " + abs + " failed part-way: " + e, e);
            }
            if (!abs.equals(directory)) {
                directory = abs;
                watch = new DirectoryWatch(abs);
                watch.poll();
                watch.markSeen();
                restartWatch();
            }
        }
        persistDirectory(abs);
        return result;
    }

    /** So that the next start loads the directory applied last. */
    private void persistDirectory(Path dir) {
        try {
            Configuration c = cm.getConfiguration(ConfigKeys.LOADER_PID, "?");
            Dictionary<String, Object> p = c.getProperties();
            Hashtable<String, Object> next = new Hashtable<>();
            if (p != null) {
                for (var keys = p.keys(); keys.hasMoreElements();) {
                    String k = keys.nextElement();
                    next.put(k, p.get(k));
                }
            }
            next.put(ConfigKeys.LOADER_DIRECTORY, dir.toString());
            c.updateIfDifferent(next);
        } catch (IOException e) {
            LOG.warn("could not record {} as the configuration directory: {}", dir, e.toString());
        }
    }

    @Override
    public Optional<CellConfig> current() {
        return Optional.ofNullable(current);
    }
}
