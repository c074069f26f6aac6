package io.cellgate.runtime.internal;

import io.cellgate.api.config.ConfigKeys;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the command line into configuration: the loader's directory, the state directory, and for
 * {@code --demo} the simulated devices and the live value log. The YAML files are the source of truth;
 * the framework starts with a clean cache, so nothing from an earlier run lingers in ConfigAdmin.
 * <p>
 * In command mode ({@code cellgate.jar pki list}) nothing is configured, so no cell, port or device starts:
 * the launcher's main thread runs the command ({@link #finish}) and the framework stops with its exit status.
 */
@Component(immediate = true)
public class Launcher {

    /** The bnd launcher registers a service with the program arguments under this property. */
    static final String LAUNCHER_ARGUMENTS = "launcher.arguments";
    static final String DEMO_RESOURCES = "/demo";
    static final String DEMO_CELL = "cells/demo";

    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);
    /** Within systemd's default stop timeout (90 s); the edge node's NDEATH waits at most a few seconds. */
    static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    @Activate
    public Launcher(BundleContext context, @Reference ConfigurationAdmin configAdmin,
            @Reference(service = Object.class, target = "(" + LAUNCHER_ARGUMENTS + "=*)") ServiceReference<Object> launcher) {
        String[] args = (String[]) launcher.getProperty(LAUNCHER_ARGUMENTS);
        CommandLine cl = CommandLine.parse(args == null ? List.of() : Arrays.asList(args));
        this.context = context;
        this.commands = new CommandServices(context);
        this.shutdown = new GracefulShutdown(context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION), SHUTDOWN_TIMEOUT);
        CommandDispatcher dispatcher = new CommandDispatcher(commands::await, commands::available, commands::audit);
        try {
            switch (cl.mode()) {
                case HELP -> finish(t -> {
                    t.out().print(dispatcher.usage());
                    return 0;
                });
                case INVALID -> finish(t -> {
                    t.err().print("error: " + cl.error() + "\n\n" + dispatcher.usage());
                    return 2;
                });
                case COMMAND -> finish(t -> dispatcher.run(cl.command(), cl.commandArgs(), cl.stateDir(), t));
                case RUN -> {
                    shutdown.install();
                    run(configAdmin, cl.configDir(), cl.stateDir());
                }
                case DEMO -> {
                    shutdown.install();
                    demo(context, configAdmin, cl.stateDir());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("cannot start the gateway: {}", e.getMessage(), e);
            exit(1, "error: cannot start the gateway: " + e.getMessage(), true);
        }
    }

    private final BundleContext context;
    private final CommandServices commands;
    private final GracefulShutdown shutdown;
    private ServiceRegistration<?> main;

    @Deactivate
    void deactivate() {
        shutdown.remove();
        commands.close();
        if (main != null) {
            try {
                main.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
    }

    /** What runs on the launcher's main thread; returns the exit status. */
    interface Ending {
        int run(CommandDispatcher.Terminal terminal);
    }

    /**
     * Hands {@code ending} to the bnd launcher, which calls a {@code Callable<Integer>} service registered with
     * {@code main.thread=true} on its main thread once every bundle has started, then stops the framework and
     * exits with the returned status: a clean stop, no System.exit from inside the framework.
     */
    private void finish(Ending ending) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("main.thread", "true");
        main = context.registerService(Callable.class, new MainThread(ending), props);
    }

    /** Public with {@code Integer call()}: the bnd launcher checks the declared return type by reflection. */
    public static final class MainThread implements Callable<Integer> {
        private final Ending ending;

        MainThread(Ending ending) {
            this.ending = ending;
        }

        @Override
        public Integer call() {
            CommandDispatcher.Terminal terminal = new ProcessTerminal(System.in);
            int status = ending.run(terminal);
            terminal.out().flush();
            terminal.err().flush();
            return status;
        }
    }

    private void run(ConfigurationAdmin cm, Path configDir, Path stateDir) throws IOException {
        switch (configDirectoryState(configDir, stateDir)) {
            case MISSING -> {
                finish(t -> {
                    t.err().println("error: --config " + configDir + ": no cell.yaml in that directory");
                    return 2;
                });
                return;
            }
            case MISSING_WITH_LAST_GOOD ->
                // A production gateway keeps running on its last known good configuration (configuration.md).
                LOG.error("--config {}: no cell.yaml in that directory; the last known good configuration in {} "
                        + "is used", configDir, stateDir.resolve("config"));
            case PRESENT -> {
            }
        }
        prepareState(cm, stateDir);
        LOG.info("running the cell in {} (state in {})", configDir, stateDir);
        update(cm.getConfiguration(ConfigKeys.LOADER_PID, "?"), props(ConfigKeys.LOADER_DIRECTORY, configDir.toString()));
    }

    enum ConfigDirectory { PRESENT, MISSING, MISSING_WITH_LAST_GOOD }

    /** Whether the gateway can start on this directory: it has cell.yaml, or a last known good copy exists. */
    static ConfigDirectory configDirectoryState(Path configDir, Path stateDir) {
        if (Files.isRegularFile(configDir.resolve("cell.yaml"))) {
            return ConfigDirectory.PRESENT;
        }
        boolean lastGood = Files.exists(stateDir.resolve("config/last-good/manifest.properties"))
                || Files.exists(stateDir.resolve("config/last-good.old/manifest.properties"));
        return lastGood ? ConfigDirectory.MISSING_WITH_LAST_GOOD : ConfigDirectory.MISSING;
    }

    private void demo(BundleContext context, ConfigurationAdmin cm, Path stateDir) throws IOException {
        // The demo's OPC UA settings (loopback only, certificate names localhost / 127.0.0.1) are in its cell.yaml.
        prepareState(cm, stateDir);
        Path demoRoot = stateDir.resolve("demo-config");
        extractDemo(context, demoRoot);
        Path cellDir = demoRoot.resolve(DEMO_CELL);
        LOG.info("demo: simulated devices on 127.0.0.1, cell configuration in {}", cellDir);
        // The demo's own MQTT 5 broker on 127.0.0.1 (io.cellgate.broker), the one the demo cell's mqtt: section
        // names; written only here, so a gateway run with --config never starts a broker.
        Hashtable<String, Object> broker = new Hashtable<>();
        broker.put("port", RuntimeKeys.DEMO_BROKER_PORT);
        broker.put("work.dir", stateDir.resolve("demo-broker").toString());
        update(cm.getConfiguration(RuntimeKeys.BROKER_PID, "?"), broker);
        // Simulators first, so the first polls find their devices listening.
        Properties sims = new Properties();
        try (InputStream in = Launcher.class.getResourceAsStream("/demo-simulators.properties")) {
            sims.load(in);
        }
        for (String port : sims.stringPropertyNames().stream().sorted().toList()) {
            String[] spec = sims.getProperty(port).split(",");
            Hashtable<String, Object> p = new Hashtable<>();
            p.put("bind.address", "127.0.0.1");
            p.put("port", Integer.parseInt(port));
            p.put("profile", spec[0].trim());
            p.put("unit.ids", new int[] {Integer.parseInt(spec[1].trim())});
            update(cm.getFactoryConfiguration(ConfigKeys.SIMULATOR_FACTORY_PID, "demo-" + port, "?"), p);
        }
        update(cm.getConfiguration(TagValueLogger.PID, "?"), props("interval.ms", 2000L));
        // The demo's OPC UA user 'operator' is created by DemoOperator (an identity-bundle user, password printed
        // once), so the launcher needs no identity service.
        update(cm.getConfiguration(RuntimeKeys.DEMO_PID, "?"), props("user", DemoOperator.USER));
        update(cm.getConfiguration(ConfigKeys.LOADER_PID, "?"), props(ConfigKeys.LOADER_DIRECTORY, cellDir.toString()));
    }

    /**
     * The state directory. The OPC UA server's ({@code cellgate.opcua}) and the PKI's ({@code cellgate.pki})
     * configurations are the loader's, from the {@code opcua:} section of cell.yaml: it writes them before the
     * cell configuration both components also require, so they activate with the file's settings.
     */
    private static void prepareState(ConfigurationAdmin cm, Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        update(cm.getConfiguration(ConfigKeys.RUNTIME_PID, "?"), props(ConfigKeys.STATE_DIR, stateDir.toString()));
    }

    /** Copies the demo cell and the profile library out of this bundle, replacing an earlier copy. */
    private static void extractDemo(BundleContext context, Path target) throws IOException {
        Enumeration<URL> entries = context.getBundle().findEntries(DEMO_RESOURCES, "*.yaml", true);
        for (URL url : entries == null ? Collections.<URL>emptyList() : Collections.list(entries)) {
            String relative = url.getPath().substring(DEMO_RESOURCES.length() + 1);
            Path file = target.resolve(relative).normalize();
            if (!file.startsWith(target)) {
                throw new IOException("demo resource outside the demo directory: " + relative);
            }
            Files.createDirectories(file.getParent());
            try (InputStream in = url.openStream()) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static Dictionary<String, Object> props(String key, Object value) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(key, value);
        return p;
    }

    private static void update(Configuration c, Dictionary<String, Object> p) throws IOException {
        c.updateIfDifferent(p);
    }

    /** After a failure to start: ends through the launcher's main thread like a command. */
    private void exit(int code, String message, boolean toStderr) {
        finish(t -> {
            (toStderr ? t.err() : t.out()).println(message);
            return code;
        });
    }
}
