package io.cellgate.config.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.config.AccessValidator;
import io.cellgate.config.ConfigEditor;
import io.cellgate.config.ConfigError;
import io.cellgate.config.LoadResult;
import io.cellgate.config.OpcUaSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ConfigEditor} behind the loader: checks a candidate cell.yaml in memory against the directory's
 * profiles and files, writes it atomically, applies it through the loader at once, audits it and has it snapshotted;
 * a change of a connectivity section is then watched and rolled back when the gateway does not reconnect northbound
 * within the confirmation time. One change at a time (a watched change holds the next one back until it is
 * confirmed or rolled back).
 */
final class Editor implements ConfigEditor {

    private static final Logger LOG = LoggerFactory.getLogger(Editor.class);
    static final String MQTT_ONLINE = "Health/Northbound/MQTT Online";
    static final int OPCUA_DEFAULT_PORT = 4840;

    /** What the loader offers the editor (implemented by {@link ConfigLoader}). */
    interface Host {
        /** The loader's lock: held while the file is checked, written and applied, so the watch does not interleave. */
        Object lock();

        /** The configuration directory, or null when none is configured. */
        Path directory();

        AccessValidator access();

        /** Loads the directory and applies it now, with a snapshot for {@code origin}; call with {@link #lock()}. */
        ConfigLoader.Applied applyDirectory(ConfigLoader.Origin origin);

        Optional<SnapshotStore> snapshotStore();

        void audit(AuditEvent event);
    }

    private final Host host;
    private final Northbound northbound;
    private final Clock clock;
    /** How long after an apply the first look at the northbound is taken: the components take the new settings. */
    private final Duration settle;
    /** Between two looks. */
    private final Duration pollEvery;
    private final Object changeLock = new Object();

    Editor(Host host, Northbound northbound, Clock clock, Duration settle, Duration pollEvery) {
        this.host = host;
        this.northbound = northbound;
        this.clock = clock;
        this.settle = settle;
        this.pollEvery = pollEvery;
    }

    @Override
    public Current current() {
        Path dir = host.directory();
        byte[] bytes = dir == null ? new byte[0] : readOrEmpty(dir);
        return new Current(new String(bytes, StandardCharsets.UTF_8), sha256(bytes));
    }

    @Override
    public LoadResult check(String cellYaml) {
        Path dir = host.directory();
        if (dir == null) {
            return LoadResult.invalid(List.of(new ConfigError(CellLoader.CELL_FILE, 0, 0, "",
                    "no configuration directory is loaded")));
        }
        return load(dir, cellYaml.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public ChangeResult change(String cellYaml, String expectedHash, String identity, String reason) {
        return change(cellYaml, expectedHash, identity, reason, "config.change");
    }

    @Override
    public List<Snapshot> snapshots() {
        return host.snapshotStore().map(SnapshotStore::list).orElse(List.of());
    }

    @Override
    public Optional<String> snapshotText(long id) {
        return host.snapshotStore().flatMap(s -> s.text(id)).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    @Override
    public ChangeResult rollback(long id, String identity) {
        Optional<String> text = snapshotText(id);
        if (text.isEmpty()) {
            return new ChangeResult(Outcome.FAILED, Optional.empty(), List.of(),
                    "There is no snapshot " + id + " (the newest " + SnapshotStore.KEEP + " are kept).");
        }
        return change(text.get(), null, identity, "rollback to snapshot " + id, "config.rollback");
    }

    private ChangeResult change(String cellYaml, String expectedHash, String identity, String reason, String action) {
        Path dir = host.directory();
        if (dir == null) {
            return new ChangeResult(Outcome.FAILED, Optional.empty(), List.of(),
                    "No configuration directory is loaded, so there is nothing to change.");
        }
        String who = identity == null || identity.isBlank() ? "unknown" : identity;
        String why = reason == null ? "" : reason.strip();
        byte[] next = cellYaml.getBytes(StandardCharsets.UTF_8);
        synchronized (changeLock) {
            Watch watch;
            byte[] before;
            Snapshot applied;
            synchronized (host.lock()) {
                before = readOrEmpty(dir);
                String beforeHash = sha256(before);
                if (expectedHash != null && !expectedHash.strip().equalsIgnoreCase(beforeHash)) {
                    audit(who, action, dir, AuditEvent.Result.DENIED, "conflict: cell.yaml is " + shortHash(beforeHash)
                            + ", the change was made from " + shortHash(expectedHash) + (why.isEmpty() ? "" : "; " + why));
                    return new ChangeResult(Outcome.CONFLICT, Optional.empty(), List.of(), "cell.yaml was changed by "
                            + "someone else since you loaded it (it is now " + shortHash(beforeHash) + "); nothing was "
                            + "written. Load it again and repeat your change.");
                }
                LoadResult candidate = load(dir, next);
                if (!candidate.isValid()) {
                    audit(who, action, dir, AuditEvent.Result.DENIED, "invalid, not written: " + count(candidate)
                            + ", first: " + candidate.errors().get(0) + (why.isEmpty() ? "" : "; " + why));
                    return new ChangeResult(Outcome.INVALID, Optional.empty(), candidate.errors(), "The new cell.yaml "
                            + "has " + count(candidate) + "; nothing was written. First: " + candidate.errors().get(0));
                }
                LoadResult running = load(dir, before);
                watch = watchFor(new String(before, StandardCharsets.UTF_8), cellYaml, running, candidate);
                ConfigLoader.Applied a;
                try {
                    CellYamlFile.replace(dir, next);
                    a = host.applyDirectory(new ConfigLoader.Origin(who, why, true));
                } catch (IOException | RuntimeException e) {
                    LOG.error("writing {} failed: {}; the previous file stays", dir.resolve(CellLoader.CELL_FILE),
                            e.toString(), e);
                    audit(who, action, dir, AuditEvent.Result.FAILED, "writing cell.yaml failed: " + e);
                    return new ChangeResult(Outcome.FAILED, Optional.empty(), List.of(),
                            "Writing cell.yaml failed (" + e.getMessage() + "); the previous file is in place.");
                }
                if (!a.applied()) {
                    restore(dir, before);
                    audit(who, action, dir, AuditEvent.Result.FAILED, "applying failed, previous cell.yaml restored: "
                            + a.failure());
                    return new ChangeResult(a.result().isValid() ? Outcome.FAILED : Outcome.INVALID, Optional.empty(),
                            a.result().errors(), "Applying the change failed (" + a.failure()
                                    + "); the previous cell.yaml was restored.");
                }
                applied = a.snapshot().orElse(null);
                audit(who, action, dir, AuditEvent.Result.SUCCESS, (applied == null ? "applied" : "snapshot "
                        + applied.id()) + ", sha256 " + shortHash(sha256(next)) + (why.isEmpty() ? "" : ": " + why)
                        + (watch == null ? "" : "; watching for " + watch.confirm().toSeconds() + " s whether the "
                                + "gateway is " + watch.describe() + " again"));
            }
            String done = "Applied" + (applied == null ? "" : " as snapshot " + applied.id()) + ".";
            if (watch == null) {
                return new ChangeResult(Outcome.APPLIED, Optional.ofNullable(applied), List.of(), done);
            }
            Optional<Duration> back = confirm(watch);
            if (back.isPresent()) {
                LOG.info("safe change: the gateway is {} again {} s after the change; it stays", watch.describe(),
                        back.get().toSeconds());
                return new ChangeResult(Outcome.APPLIED, Optional.ofNullable(applied), List.of(), done + " The gateway "
                        + "is " + watch.describe() + " again.");
            }
            return rollBack(dir, before, applied, watch);
        }
    }

    /** What a change is watched for, or null: it touches no connectivity section, or nothing was connected before. */
    private Watch watchFor(String before, String after, LoadResult running, LoadResult candidate) {
        List<String> touched = Sections.changedConnectivity(before, after);
        if (touched.isEmpty()) {
            return null;
        }
        Duration confirm = Duration.ofSeconds(ConsoleParser.confirmSeconds(running.console().orElse(null)));
        if (candidate.mqtt().isPresent() && northbound.mqttOnline().orElse(false)) {
            return new Watch(touched, confirm, null, 0);
        }
        if (running.isValid()) {
            Endpoint old = opcua(running.opcua().orElse(OpcUaSettings.DEFAULTS));
            if (northbound.listening(old.host(), old.port())) {
                Endpoint now = opcua(candidate.opcua().orElse(OpcUaSettings.DEFAULTS));
                return new Watch(touched, confirm, now.host(), now.port());
            }
        }
        LOG.info("safe change: {} changed, but the gateway was connected neither to an MQTT broker nor listening for "
                + "OPC UA before; the change is not watched", touched);
        return null;
    }

    private record Endpoint(String host, int port) {
    }

    /** Where to look for the OPC UA server: its bind address (loopback for every interface) and port. */
    private static Endpoint opcua(OpcUaSettings s) {
        String bind = s.bindAddress();
        String host = bind == null || bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
        return new Endpoint(host, s.port() == null ? OPCUA_DEFAULT_PORT : s.port());
    }

    /**
     * @param opcuaHost null: the MQTT edge node is watched; otherwise the OPC UA server's endpoint
     */
    private record Watch(List<String> sections, Duration confirm, String opcuaHost, int opcuaPort) {
        /** What the gateway is when the change is confirmed, e.g. "connected to its MQTT broker". */
        String describe() {
            return opcuaHost == null ? "connected to its MQTT broker" : "listening for OPC UA clients on " + opcuaHost
                    + ":" + opcuaPort;
        }
    }

    /** How long it took to be connected again; empty when it was not within the confirmation time. */
    private Optional<Duration> confirm(Watch watch) {
        Instant start = clock.instant();
        Instant deadline = start.plus(watch.confirm());
        try {
            Thread.sleep(Math.min(settle.toMillis(), watch.confirm().toMillis()));
            while (true) {
                boolean ok = watch.opcuaHost() == null ? northbound.mqttOnline().orElse(false)
                        : northbound.listening(watch.opcuaHost(), watch.opcuaPort());
                if (ok) {
                    return Optional.of(Duration.between(start, clock.instant()));
                }
                if (!clock.instant().isBefore(deadline)) {
                    return Optional.empty();
                }
                Thread.sleep(pollEvery.toMillis());
            }
        } catch (InterruptedException e) {
            // Shutting down: leave the change as it is; the next start applies what is on disk.
            Thread.currentThread().interrupt();
            return Optional.of(Duration.ZERO);
        }
    }

    private ChangeResult rollBack(Path dir, byte[] before, Snapshot applied, Watch watch) {
        String note = "northbound lost";
        long seconds = watch.confirm().toSeconds();
        LOG.error("safe change: the gateway is not {} {} s after the change{} of {}; restoring the "
                + "previous cell.yaml", watch.describe(), seconds, applied == null ? "" : " (snapshot " + applied.id()
                + ")", watch.sections());
        synchronized (host.lock()) {
            ConfigLoader.Applied r;
            try {
                CellYamlFile.replace(dir, before);
                r = host.applyDirectory(new ConfigLoader.Origin("system", "automatic rollback"
                        + (applied == null ? "" : " of snapshot " + applied.id()) + ": " + note, true));
            } catch (IOException | RuntimeException e) {
                audit("system", "config.rollback", dir, AuditEvent.Result.FAILED, note + "; restoring failed: " + e);
                return new ChangeResult(Outcome.FAILED, Optional.ofNullable(applied), List.of(), "The gateway was not "
                        + watch.describe() + " after the change and restoring the previous cell.yaml failed ("
                        + e.getMessage() + "): check the gateway now.");
            }
            audit("system", "config.rollback", dir, r.applied() ? AuditEvent.Result.SUCCESS : AuditEvent.Result.FAILED,
                    note + (applied == null ? "" : " after snapshot " + applied.id()) + " (not " + watch.describe()
                            + " again within " + seconds + " s)"
                            + r.snapshot().map(s -> "; restored as snapshot " + s.id()).orElse(""));
            return new ChangeResult(Outcome.ROLLED_BACK, r.snapshot(), List.of(), "The change"
                    + (applied == null ? "" : " (snapshot " + applied.id() + ")") + " was applied, but the gateway was "
                    + "not " + watch.describe() + " again within " + seconds + " s, so the previous "
                    + "configuration was restored" + r.snapshot().map(s -> " as snapshot " + s.id()).orElse("") + ".");
        }
    }

    /** Puts the previous bytes back after an apply that failed, and applies them again (best effort, logged). */
    private void restore(Path dir, byte[] before) {
        try {
            CellYamlFile.replace(dir, before);
            host.applyDirectory(new ConfigLoader.Origin("system", "previous cell.yaml restored after a failed apply",
                    false));
        } catch (IOException | RuntimeException e) {
            LOG.error("restoring the previous {} failed: {}", dir.resolve(CellLoader.CELL_FILE), e.toString(), e);
        }
    }

    private LoadResult load(Path dir, byte[] cellYaml) {
        try {
            return CellLoader.loadWithSources(dir, host.access(), cellYaml).result();
        } catch (AccessParser.EngineMissing e) {
            return LoadResult.invalid(List.of(AccessParser.EngineMissing.error()));
        }
    }

    private void audit(String identity, String action, Path dir, AuditEvent.Result result, String reason) {
        host.audit(new AuditEvent(clock.instant(), identity, null, action, dir.resolve(CellLoader.CELL_FILE).toString(),
                result, reason, null));
    }

    private static byte[] readOrEmpty(Path dir) {
        try {
            return Files.readAllBytes(dir.resolve(CellLoader.CELL_FILE));
        } catch (NoSuchFileException e) {
            return new byte[0];
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) {
        return Hashes.hex(Hashes.sha256().digest(bytes));
    }

    private static String shortHash(String hash) {
        return hash == null ? "none" : hash.substring(0, Math.min(12, hash.length()));
    }

    private static String count(LoadResult r) {
        return r.errors().size() + " error" + (r.errors().size() == 1 ? "" : "s");
    }
}
