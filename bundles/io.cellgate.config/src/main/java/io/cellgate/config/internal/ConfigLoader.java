package io.cellgate.config.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.config.CellConfig;
import io.cellgate.api.config.ConfigKeys;
import io.cellgate.api.config.ProfileRegistry;
import io.cellgate.api.policy.PolicyAdmin;
import io.cellgate.api.health.HealthContributor;
import io.cellgate.api.health.HealthMetric;
import io.cellgate.config.AccessValidator;
import io.cellgate.config.ConfigEditor;
import io.cellgate.config.ConfigError;
import io.cellgate.config.ConfigurationService;
import io.cellgate.config.LoadResult;
import io.cellgate.config.OpcUaSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
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
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the configuration directory named by {@code cellgate.config}, and when it is valid writes the
 * cell and one named factory configuration per device, as a diff. Watches the directory and re-applies
 * on change; an invalid change is logged and not applied. Deactivation leaves the device
 * configurations in place, so that a restart of this bundle or of the gateway does not flap devices.
 *
 * <p>After every successful apply the files are kept as the last-known-good snapshot in the state
 * directory ({@code state.dir} of {@code cellgate.runtime}); when the files are invalid while nothing
 * runs yet (a restart after a broken edit), that snapshot is applied instead, and the real directory is
 * watched until it is valid again.
 */
@Component(configurationPid = ConfigKeys.LOADER_PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = ConfigurationService.class)
@Designate(ocd = LoaderConfig.class)
// The ProfileRegistry is registered by hand (only once a valid cell is applied); declare it for the resolver.
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.cellgate.api.config.ProfileRegistry",
        uses = ProfileRegistry.class)
// The ConfigEditor is registered by hand as well, for exactly as long as the loader is active (see the constructor).
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.cellgate.config.ConfigEditor",
        uses = ConfigEditor.class)
public final class ConfigLoader implements ConfigurationService, Editor.Host {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
    private static final String DEVICE_FILTER = "(service.factoryPid=" + ConfigKeys.DEVICE_FACTORY_PID + ")";
    /** Written by io.cellgate.runtime's Launcher; read here, not required. */
    static final String RUNTIME_PID = ConfigKeys.RUNTIME_PID;
    static final String STATE_DIR = ConfigKeys.STATE_DIR;
    private static final String RUNTIME_FILTER = "(service.pid=" + RUNTIME_PID + ")";
    /** The snapshot lives in {@code <state dir>/config/last-good}. */
    static final String STATE_SUBDIR = "config";
    /** In cellgate.opcua and cellgate.pki: the properties this loader wrote from cell.yaml's opcua section. */
    static final String MANAGED_KEYS = "cellgate.config.keys";

    private final ConfigurationAdmin cm;
    private final BundleContext context;
    private final ProfileRegistryImpl registry = new ProfileRegistryImpl();
    private final ScheduledExecutorService scheduler;
    private final Object lock = new Object();
    private final Clock clock;
    /** The policy engine's check of the access: section; null only in tests of the rest. */
    private final AccessValidator access;
    private volatile PolicyAdmin policy;
    /** Guarded by lock: the last load needed the policy engine, which was not there; retried when it binds. */
    private boolean waitingForEngine;

    // Guarded by lock.
    private ServiceRegistration<ProfileRegistry> registration;
    private Path directory;
    private long watchInterval;
    private ScheduledFuture<?> watchTask;
    private DirectoryWatch watch;
    private volatile CellConfig current;
    private volatile boolean runningFallback;
    private volatile Instant lastGoodTime;
    private boolean noStateDirLogged;
    /** Optional and dynamic: the loader neither waits for the audit trail nor restarts when it arrives. */
    private volatile AuditSink audit;
    /**
     * Records of the first apply, which runs in the constructor, before SCR binds the sink: recorded at the bind,
     * with their own time. At most {@link #MAX_HELD}; none are kept after a sink was bound.
     */
    private final List<AuditEvent> held = new ArrayList<>();
    private static final int MAX_HELD = 16;
    /** Changes through the ConfigEditor service (the console, the REST API): {@link Editor}. */
    private final Editor editor;
    private ServiceRegistration<ConfigEditor> editorRegistration;
    /**
     * The edge node's live health (it registers a contributor with {@code Health/Northbound/MQTT Online}): what a
     * safe change watches. Read directly rather than the health bundle's sample, which can be seconds old.
     */
    @Reference(service = HealthContributor.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, fieldOption = org.osgi.service.component.annotations.FieldOption.UPDATE)
    private final List<HealthContributor> contributors = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Who and why an apply was for, for its snapshot: a file edit picked up by the watch is {@code file}; a change
     * through the editor carries the caller's identity and reason and is always snapshotted ({@code always}), other
     * applies only when cell.yaml differs from the newest snapshot (a restart does not add one).
     */
    record Origin(String identity, String reason, boolean always) {
        static Origin file(String reason) {
            return new Origin("file", reason, false);
        }
    }

    /** The outcome of one load and apply: applied or not (then why), and the snapshot it made, if any. */
    record Applied(LoadResult result, boolean applied, Optional<ConfigEditor.Snapshot> snapshot, String failure) {
    }

    @Activate
    public ConfigLoader(@Reference ConfigurationAdmin cm, BundleContext context, LoaderConfig config) {
        this(cm, context, config, Clock.systemUTC());
    }

    ConfigLoader(ConfigurationAdmin cm, BundleContext context, LoaderConfig config, Clock clock) {
        this(cm, context, config, clock, null);
    }

    /** With {@code access} as the check of the access: section; null: the bound policy engine's. */
    ConfigLoader(ConfigurationAdmin cm, BundleContext context, LoaderConfig config, Clock clock,
            AccessValidator access) {
        this.access = access != null ? access : this::engineCheck;
        this.cm = cm;
        this.context = context;
        this.clock = clock;
        this.editor = new Editor(this, northbound(), clock, java.time.Duration.ofSeconds(3),
                java.time.Duration.ofMillis(250));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cellgate-config-watch");
            t.setDaemon(true);
            return t;
        });
        configure(config);
        // Not a component of its own: the editor works on the loader's directory, lock and apply, and ConfigEditor's
        // current() could not share a class with ConfigurationService's.
        editorRegistration = context.registerService(ConfigEditor.class, editor, null);
    }

    /**
     * The bound policy engine's check, its problems as configuration errors (same file, position and path).
     * Without an engine: {@link AccessParser.EngineMissing}, so that a section only the engine can check waits
     * for it instead of being applied unchecked (today's form is checked by the loader itself meanwhile).
     */
    private List<ConfigError> engineCheck(String yaml, String file) {
        PolicyAdmin engine = policy;
        if (engine == null) {
            throw new AccessParser.EngineMissing();
        }
        return engine.validateAccessSection(yaml, file).stream()
                .map(p -> new ConfigError(p.file(), p.line(), p.column(), p.path(), p.message())).toList();
    }

    /**
     * Optional and dynamic, so that a restart of the policy component does not restart the loader (and re-apply
     * the cell); a load that needs the engine while it is away waits for it (see {@link #loadAndApply}).
     */
    @Reference(name = "policy", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetPolicy")
    void setPolicy(PolicyAdmin engine) {
        policy = engine;
        scheduler.execute(() -> {
            synchronized (lock) {
                if (waitingForEngine && directory != null) {
                    LOG.info("the access policy engine is available: loading {} again", directory);
                    loadAndApply(directory, Origin.file(current == null ? "loaded at start"
                            : "loaded again when the access policy engine was back"));
                }
            }
        });
    }

    void unsetPolicy(PolicyAdmin engine) {
        if (policy == engine) {
            policy = null;
        }
    }

    @Modified
    void modified(LoaderConfig config) {
        configure(config);
    }

    @Deactivate
    void deactivate() {
        if (editorRegistration != null) {
            try {
                editorRegistration.unregister();
            } catch (IllegalStateException e) {
                // gone with the bundle
            }
            editorRegistration = null;
        }
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
                loadAndApply(dir, Origin.file("loaded at start"));
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

    /** One tick of the watch (package-private for tests, which run without the timer). */
    void checkForChanges() {
        try {
            synchronized (lock) {
                if (watch != null && watch.poll()) {
                    LOG.info("configuration files in {} changed; reloading", directory);
                    watch.markSeen();
                    loadAndApply(directory, Origin.file("cell.yaml or a profile changed on disk"));
                }
            }
        } catch (RuntimeException e) {
            // One bad tick must not end the watch (a scheduled task that throws is never run again).
            LOG.error("checking {} for changes failed: {}", directory, e.toString(), e);
        }
    }

    private LoadResult loadAndApply(Path dir, Origin origin) {
        return applyFiles(dir, origin).result();
    }

    private Applied applyFiles(Path dir, Origin origin) {
        CellLoader.Loaded loaded;
        try {
            loaded = CellLoader.loadWithSources(dir, access);
            waitingForEngine = false;
        } catch (AccessParser.EngineMissing e) {
            // Not an error of the files: the section is applied once the engine has checked it, never before.
            waitingForEngine = true;
            LOG.info("configuration in {} waits for the access policy engine to check its access: section; "
                    + "nothing of it is applied before", dir);
            return new Applied(LoadResult.invalid(List.of(AccessParser.EngineMissing.error())), false,
                    Optional.empty(), "waiting for the access policy engine");
        }
        LoadResult result = loaded.result();
        if (!result.isValid()) {
            audit(dir, AuditEvent.Result.DENIED, "invalid, not applied: " + errorCount(result) + ", first: "
                    + result.errors().get(0));
            if (current == null) {
                // Nothing runs yet (a start after a broken edit): rather the last good files than a blind gateway.
                applyFallback(dir, result);
            } else {
                LOG.error("configuration in {} is invalid and was NOT applied ({}); the running configuration{} "
                        + "stays as it was:{}{}", dir, errorCount(result),
                        runningFallback ? " (the last known good one)" : "", System.lineSeparator(),
                        result.errorReport());
            }
            return new Applied(result, false, Optional.empty(), errorCount(result));
        }
        try {
            apply(result);
        } catch (IOException | RuntimeException e) {
            LOG.error("applying the configuration in {} failed part-way: {}; it is retried on the next change",
                    dir, e.toString(), e);
            audit(dir, AuditEvent.Result.FAILED, "applying failed part-way: " + e);
            return new Applied(result, false, Optional.empty(), e.toString());
        }
        refreshLibrary(dir, result);
        audit(dir, AuditEvent.Result.SUCCESS, "config " + result.config().orElseThrow().hash() + " applied");
        saveLastKnownGood(dir, loaded);
        return new Applied(result, true, snapshot(loaded, origin), null);
    }

    /** A numbered snapshot of the cell.yaml just applied (see {@link Origin}); a failure is logged, not fatal. */
    private Optional<ConfigEditor.Snapshot> snapshot(CellLoader.Loaded loaded, Origin origin) {
        Optional<SnapshotStore> store = snapshotStore();
        byte[] cell = loaded.files().get(CellLoader.CELL_FILE);
        if (store.isEmpty() || cell == null) {
            return Optional.empty();
        }
        try {
            if (!origin.always()) {
                Optional<ConfigEditor.Snapshot> newest = store.get().newest();
                if (newest.isPresent() && newest.get().sha256().equals(Editor.sha256(cell))) {
                    return Optional.empty();
                }
            }
            ConfigEditor.Snapshot s = store.get().add(cell, clock.instant().truncatedTo(
                    java.time.temporal.ChronoUnit.SECONDS), origin.identity(), origin.reason());
            LOG.info("configuration snapshot {} ({}{})", s.id(), s.identity(), s.reason().isEmpty() ? ""
                    : ": " + s.reason());
            return Optional.of(s);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not save a configuration snapshot in {}: {}", store.get().root(), e.toString());
            return Optional.empty();
        }
    }

    /** Applies the last-known-good snapshot of {@code dir}, if there is one; logs why not otherwise. */
    private void applyFallback(Path dir, LoadResult invalid) {
        Optional<LastKnownGood> store = lastKnownGood();
        Optional<LastKnownGood.Snapshot> snapshot = store.flatMap(LastKnownGood::read);
        String why;
        if (store.isEmpty()) {
            why = "there is no state directory for a last known good configuration";
        } else if (snapshot.isEmpty()) {
            why = "there is no last known good configuration in " + store.get().root().resolve(LastKnownGood.DIR);
        } else if (!snapshot.get().sourceDirectory().equals(dir)) {
            why = "the last known good configuration is of another directory (" + snapshot.get().sourceDirectory()
                    + ") and is not used for this one";
        } else {
            why = null;
        }
        if (why != null) {
            LOG.error("configuration in {} is invalid and was NOT applied ({}); {}, so no configuration runs until "
                    + "the files are fixed:{}{}", dir, errorCount(invalid), why, System.lineSeparator(),
                    invalid.errorReport());
            return;
        }
        LastKnownGood.Snapshot s = snapshot.get();
        LOG.error("configuration in {} is invalid and was NOT applied ({}):{}{}", dir, errorCount(invalid),
                System.lineSeparator(), invalid.errorReport());
        LoadResult good = CellLoader.load(s.cellDirectory(), access);
        if (!good.isValid() || !good.config().orElseThrow().hash().equals(s.hash())) {
            LOG.error("the last known good configuration in {} is damaged ({}) and was NOT applied either; "
                    + "no configuration runs until the files in {} are fixed{}{}", s.cellDirectory(),
                    good.isValid() ? "its files do not match the hash in its manifest" : errorCount(good), dir,
                    good.isValid() ? "" : System.lineSeparator(), good.isValid() ? "" : good.errorReport());
            return;
        }
        LOG.warn("running the last known good configuration from {} (config {}) until the files in {} are fixed",
                s.saved(), shortHash(s.hash()), dir);
        try {
            apply(good);
            // The files on the search path are not the ones running: offer only the applied profiles.
            registry.setLibrary(null);
            audit(dir, AuditEvent.Result.SUCCESS, "config " + s.hash() + " applied: the last known good one, the "
                    + "files are invalid");
            runningFallback = true;
            lastGoodTime = s.saved();
        } catch (IOException | RuntimeException e) {
            LOG.error("applying the last known good configuration failed part-way: {}; it is retried on the next "
                    + "change of {}", e.toString(), dir, e);
        }
    }

    /**
     * The audit record of a configuration applied or refused ({@code config.apply}, identity {@code system}: a file
     * change, or the ConfigurationService, which has no caller identity). A sink that refuses it is logged; there is
     * always one in the gateway (the core's log sink at least), none only in unit tests.
     */
    private void audit(Path dir, AuditEvent.Result result, String reason) {
        audit(new AuditEvent(clock.instant(), "system", null, "config.apply", dir.resolve("cell.yaml").toString(),
                result, reason, null));
    }

    /** Records {@code e}, or holds it until a sink is bound (the first apply runs before SCR binds one). */
    @Override
    public void audit(AuditEvent e) {
        AuditSink sink;
        synchronized (held) {
            sink = audit;
            if (sink == null) {
                if (held.size() < MAX_HELD) {
                    held.add(e);
                }
                return;
            }
        }
        record(sink, e);
    }

    @Reference(name = "audit", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetAudit")
    void setAudit(AuditSink sink) {
        List<AuditEvent> first;
        synchronized (held) {
            audit = sink;
            first = new ArrayList<>(held);
            held.clear();
        }
        first.forEach(e -> record(sink, e));
    }

    void unsetAudit(AuditSink sink) {
        synchronized (held) {
            if (audit == sink) {
                audit = null;
            }
        }
    }

    private static void record(AuditSink sink, AuditEvent e) {
        if (!sink.record(e)) {
            LOG.warn("configuration change NOT recorded in the audit trail: {} {}", e.result(), e.reason());
        }
    }

    /** Keeps the files just applied as the last-known-good snapshot; a failure is logged, not fatal. */
    private void saveLastKnownGood(Path dir, CellLoader.Loaded loaded) {
        runningFallback = false;
        Optional<LastKnownGood> store = lastKnownGood();
        if (store.isEmpty()) {
            return;
        }
        CellConfig cell = loaded.result().config().orElseThrow();
        // Whole seconds: the time is for people reading the log and the manifest.
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        try {
            store.get().save(dir, loaded.files(), loaded.profileDirs(), cell.hash(), now);
            lastGoodTime = now;
            LOG.debug("last known good configuration (config {}) saved in {}", shortHash(cell.hash()),
                    store.get().root());
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not save the last known good configuration in {}: {}; the previous one (if any) is "
                    + "kept", store.get().root(), e.toString());
        }
    }

    /** The numbered snapshots in {@code <state dir>/config/snapshots}; empty without a state directory. */
    @Override
    public Optional<SnapshotStore> snapshotStore() {
        return lastKnownGood().map(l -> new SnapshotStore(l.root()));
    }

    /** Where snapshots are kept: {@code <state dir>/config}, read from cellgate.runtime at each use. */
    private Optional<LastKnownGood> lastKnownGood() {
        Object stateDir = null;
        try {
            Configuration[] found = cm.listConfigurations(RUNTIME_FILTER);
            if (found != null && found.length > 0 && found[0].getProperties() != null) {
                stateDir = found[0].getProperties().get(STATE_DIR);
            }
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("cannot read {}: {}", RUNTIME_PID, e.toString());
        }
        if (!(stateDir instanceof String s) || s.isBlank()) {
            if (!noStateDirLogged) {
                noStateDirLogged = true;
                LOG.info("no state directory ({} '{}' is not set): no last known good configuration is kept",
                        RUNTIME_PID, STATE_DIR);
            }
            return Optional.empty();
        }
        return Optional.of(new LastKnownGood(Path.of(s).toAbsolutePath().normalize().resolve(STATE_SUBDIR)));
    }

    private static String errorCount(LoadResult r) {
        return r.errors().size() + " error" + (r.errors().size() == 1 ? "" : "s");
    }

    private static String shortHash(String hash) {
        return hash.substring(0, Math.min(12, hash.length()));
    }

    /**
     * Reads every profile on the search path of the cell just applied from {@code dir}, for the console's choice of
     * profiles; invalid files no device uses are logged (each with file:line:column) when they change, not fatal.
     */
    private void refreshLibrary(Path dir, LoadResult applied) {
        ProfileLibrary library = ProfileLibrary.scan(dir, CellLoader.searchPath(dir),
                applied.config().orElseThrow().profiles());
        List<io.cellgate.config.ConfigError> before = registry.libraryErrors();
        registry.setLibrary(library);
        if (!library.problems().isEmpty() && !library.problems().equals(before)) {
            LOG.warn("{} invalid profile file problem(s) on the profile search path of {}, not offered (no device "
                    + "uses them):{}{}", library.problems().size(), dir, System.lineSeparator(),
                    String.join(System.lineSeparator(), library.problems().stream().map(e -> "  " + e).toList()));
        }
    }

    /** Writes a valid result's configurations (package-private for tests). */
    void apply(LoadResult valid) throws IOException {
        CellConfig cell = valid.config().orElseThrow();
        Map<String, Configuration> existing = deviceConfigurations();
        Map<String, Dictionary<String, Object>> props = new HashMap<>();
        existing.forEach((id, c) -> props.put(id, c.getProperties()));
        ConfigDiff diff = ConfigDiff.between(props, cell);
        // Read before anything is written (the password file): a failure here leaves every configuration as it was.
        Map<String, Object> mqtt = valid.mqtt().isPresent() ? MqttProperties.mqtt(valid.mqtt().get()) : null;
        Map<String, Object> sparkplug = valid.sparkplug().map(MqttProperties::sparkplug).orElse(null);

        // Profiles first: a device component reconfigured below must find the profile it now names.
        registry.set(cell.profiles());
        if (registration == null) {
            registration = context.registerService(ProfileRegistry.class, registry, null);
        }
        // Server and PKI settings before the cell: both components need cellgate.cell as well, so they first
        // activate with the settings of this file (a certificate is generated once, with the names it has then).
        OpcUaSettings opcua = valid.opcua().orElseThrow();
        boolean opcuaChanged = merge(OpcUaProperties.PKI_PID, OpcUaProperties.pki(opcua));
        opcuaChanged |= merge(OpcUaProperties.OPCUA_PID, OpcUaProperties.server(opcua));
        if (opcuaChanged) {
            LOG.info("OPC UA settings from cell.yaml applied: server {}; certificate names {}",
                    describe(OpcUaProperties.server(opcua)), describe(OpcUaProperties.pki(opcua)));
        }
        // The edge node needs both; it starts once the cell below exists too. Without a section, the configuration
        // this loader wrote goes away and the edge node stops.
        boolean mqttChanged = mqtt == null ? deleteOwned(MqttProperties.MQTT_PID) : merge(MqttProperties.MQTT_PID, mqtt);
        mqttChanged |= sparkplug == null ? deleteOwned(MqttProperties.SPARKPLUG_PID)
                : merge(MqttProperties.SPARKPLUG_PID, sparkplug);
        if (mqttChanged) {
            if (mqtt == null || sparkplug == null) {
                LOG.info("MQTT/Sparkplug from cell.yaml: {}", mqtt == null ? "no mqtt section, the edge node does not run"
                        : "no sparkplug section, the edge node does not run (mqtt " + describe(MqttProperties.printable(mqtt)) + ")");
            } else {
                LOG.info("MQTT/Sparkplug settings from cell.yaml applied: mqtt {}; sparkplug {}",
                        describe(MqttProperties.printable(mqtt)), describe(sparkplug));
            }
            if (Boolean.TRUE.equals(mqtt == null ? null : mqtt.get("allow.insecure"))) {
                LOG.warn("cell.yaml mqtt: allowInsecure is true: brokers may be reached without TLS");
            }
        }
        // The audit trail's SIEM forwarding (cellgate.audit), from the audit: section; without one, what this loader
        // wrote goes away (settings someone else wrote stay).
        Map<String, Object> audit = valid.audit().orElse(null);
        if (audit == null ? deleteOwned(AuditParser.AUDIT_PID) : merge(AuditParser.AUDIT_PID, audit)) {
            LOG.info("audit settings from cell.yaml applied: {}", audit == null ? "no audit section" : describe(audit));
        }
        // The console (cellgate.console) from the console: section; without one the console's defaults and the
        // cellgate.console.* framework properties apply again.
        Map<String, Object> console = valid.console().orElse(null);
        if (console == null ? deleteOwned(ConsoleParser.CONSOLE_PID) : merge(ConsoleParser.CONSOLE_PID, console)) {
            LOG.info("console settings from cell.yaml applied: {}", console == null ? "no console section"
                    : describe(console));
        }
        cm.getConfiguration(ConfigKeys.CELL_PID, "?").updateIfDifferent(dictionary(DeviceProperties.cell(cell, valid.accessRules(),
                valid.accessSection().orElse(null))));
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
        LOG.info("cell {} applied (config {}): {}", cell.cellId(), shortHash(cell.hash()), diff.summary());
    }

    /**
     * Writes {@code ours} into the configuration {@code pid}, keeping properties that someone else set (a test, an
     * operator's tool) and removing those this loader wrote last time but cell.yaml no longer has; the keys written
     * are recorded in {@link #MANAGED_KEYS}. Creates the configuration (possibly empty) when it does not exist.
     */
    private boolean merge(String pid, Map<String, Object> ours) throws IOException {
        Configuration c = cm.getConfiguration(pid, "?");
        Dictionary<String, Object> old = c.getProperties();
        Map<String, Object> next = new HashMap<>();
        if (old != null) {
            java.util.List<String> before = old.get(MANAGED_KEYS) instanceof String[] a ? java.util.List.of(a)
                    : java.util.List.of();
            for (var keys = old.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                if (!k.startsWith("service.") && !k.equals(MANAGED_KEYS) && !before.contains(k)) {
                    next.put(k, old.get(k));
                }
            }
        }
        next.putAll(ours);
        next.put(MANAGED_KEYS, ours.keySet().stream().sorted().toArray(String[]::new));
        return c.updateIfDifferent(dictionary(next));
    }

    /**
     * Deletes the configuration {@code pid} when this loader wrote it (it has {@link #MANAGED_KEYS}); one written by
     * someone else (a test, an operator's tool) is left alone. Never creates it.
     */
    private boolean deleteOwned(String pid) throws IOException {
        Configuration[] found;
        try {
            found = cm.listConfigurations("(service.pid=" + pid + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("constant filter is valid", e);
        }
        boolean deleted = false;
        for (Configuration c : found == null ? new Configuration[0] : found) {
            Dictionary<String, Object> p = c.getProperties();
            if (p != null && p.get(MANAGED_KEYS) != null) {
                c.delete();
                deleted = true;
            }
        }
        return deleted;
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

    private static String describe(Map<String, Object> p) {
        if (p.isEmpty()) {
            return "(defaults)";
        }
        StringBuilder b = new StringBuilder();
        p.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append('=')
                .append(v instanceof String[] a ? java.util.Arrays.toString(a) : v));
        return b.toString();
    }

    private static Dictionary<String, Object> dictionary(Map<String, Object> map) {
        return new Hashtable<>(map);
    }

    @Override
    public LoadResult validate(Path dir) {
        try {
            return CellLoader.load(dir, access);
        } catch (AccessParser.EngineMissing e) {
            return LoadResult.invalid(List.of(AccessParser.EngineMissing.error()));
        }
    }

    @Override
    public LoadResult apply(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        LoadResult result;
        synchronized (lock) {
            CellLoader.Loaded loaded;
            try {
                loaded = CellLoader.loadWithSources(abs, access);
            } catch (AccessParser.EngineMissing e) {
                return LoadResult.invalid(List.of(AccessParser.EngineMissing.error()));
            }
            result = loaded.result();
            if (!result.isValid()) {
                audit(abs, AuditEvent.Result.DENIED, "invalid, not applied (ConfigurationService): "
                        + errorCount(result) + ", first: " + result.errors().get(0));
                return result;
            }
            try {
                apply(result);
            } catch (IOException e) {
                throw new IllegalStateException("applying " + abs + " failed part-way: " + e, e);
            }
            refreshLibrary(abs, result);
            audit(abs, AuditEvent.Result.SUCCESS, "config " + result.config().orElseThrow().hash()
                    + " applied (ConfigurationService)");
            saveLastKnownGood(abs, loaded);
            snapshot(loaded, new Origin("system", "applied through the ConfigurationService", false));
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

    @Override
    public boolean runningFallback() {
        return runningFallback;
    }

    @Override
    public Optional<Instant> lastGoodTime() {
        return Optional.ofNullable(lastGoodTime);
    }

    // ---------------------------------------------------------------- Editor.Host

    @Override
    public Object lock() {
        return lock;
    }

    @Override
    public Path directory() {
        synchronized (lock) {
            return directory;
        }
    }

    @Override
    public AccessValidator access() {
        return access;
    }

    @Override
    public Applied applyDirectory(Origin origin) {
        synchronized (lock) {
            Applied a = applyFiles(directory, origin);
            if (watch != null) {
                // Applied already: the watch must not load the same files again.
                watch.markSeen();
            }
            return a;
        }
    }

    /** The live northbound state: the edge node's contributed metric, and a TCP connect for the OPC UA server. */
    private Northbound northbound() {
        return new Northbound() {
            @Override
            public Optional<Boolean> mqttOnline() {
                for (HealthContributor c : contributors) {
                    try {
                        for (HealthMetric m : c.metrics()) {
                            if (m.name().equals(Editor.MQTT_ONLINE) && m.value() instanceof Boolean b) {
                                return Optional.of(b);
                            }
                        }
                    } catch (RuntimeException e) {
                        LOG.debug("a health contributor failed: {}", e.toString());
                    }
                }
                return Optional.empty();
            }

            @Override
            public boolean listening(String host, int port) {
                try (java.net.Socket s = new java.net.Socket()) {
                    s.connect(new java.net.InetSocketAddress(host, port), 1000);
                    return true;
                } catch (IOException e) {
                    return false;
                }
            }
        };
    }
}
