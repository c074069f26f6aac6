package io.cellgate.core.internal.device;

import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.bus.DeviceState.Status;
import io.cellgate.api.config.Access;
import io.cellgate.api.config.DeviceConfig;
import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.PollGroup;
import io.cellgate.api.config.ProfileRegistry;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.api.driver.DeviceDriver;
import io.cellgate.api.driver.DeviceSession;
import io.cellgate.api.driver.DriverConfigException;
import io.cellgate.api.driver.SessionStats;
import io.cellgate.api.tag.QualityReason;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.core.internal.bus.TagBusProducer;
import io.cellgate.core.internal.poll.PollScheduler;
import io.cellgate.core.internal.poll.SerialExecutor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one device: defines its tags on the bus, opens its driver session and runs its poll groups on
 * the shared {@link PollScheduler}, one poll at a time. Framework-free; {@link DeviceComponent} is the DS
 * shell around it.
 *
 * <p>Threading: ticks come from the scheduler's timer thread and only enqueue; polls run on the device's
 * {@link SerialExecutor} lane. A group whose previous poll has not finished skips its tick (an overrun);
 * when a group has had no result for two intervals its tags are made Bad, so a driver that blocks longer
 * than its timeout budget still cannot leave stale values Good. Each configuration is one
 * {@link Generation}: results of an older generation are discarded, and its session is closed on the
 * device's lane after its last poll, without blocking the caller.
 */
public final class DevicePoller {

    private static final Logger LOG = LoggerFactory.getLogger(DevicePoller.class);

    private final String deviceId;
    private final TagBusProducer bus;
    private final ProfileRegistry profiles;
    private final PollScheduler scheduler;
    private final DeviceRegistry registry;
    private final SerialExecutor lane;
    private final AtomicLong overruns = new AtomicLong();
    /** Guards generation changes against publishing, so a late result never lands on new tags. */
    private final Object lock = new Object();
    private Generation current;
    private boolean claimed;

    public DevicePoller(String deviceId, TagBusProducer bus, ProfileRegistry profiles, PollScheduler scheduler,
            DeviceRegistry registry) {
        if (deviceId == null || !TagPath.NAME.matcher(deviceId).matches()) {
            throw new IllegalArgumentException("device.id '" + deviceId + "' is invalid: expected "
                    + TagPath.NAME.pattern());
        }
        this.deviceId = deviceId;
        this.bus = bus;
        this.profiles = profiles;
        this.scheduler = scheduler;
        this.registry = registry;
        this.lane = scheduler.newSerialExecutor("device '" + deviceId + "'");
    }

    public String deviceId() {
        return deviceId;
    }

    /** Ticks skipped because the group's previous poll was still queued or running. */
    public long overruns() {
        return overruns.get();
    }

    /**
     * Applies a configuration: stops the previous one, then defines the tags, opens the session and
     * schedules the poll groups. Errors end in a FAILING device with Bad/CONFIG_ERROR tags, never in an
     * exception.
     *
     * @param driver the driver serving the device's protocol, or null when none is registered
     */
    public void apply(DeviceConfig config, DeviceDriver driver) {
        if (!config.id().equals(deviceId)) {
            throw new IllegalArgumentException("configuration of device '" + config.id()
                    + "' applied to the poller of '" + deviceId + "'");
        }
        synchronized (lock) {
            if (!claim()) {
                return;
            }
            stopCurrent();
            String where = "device '" + deviceId + "': ";
            DeviceProfile profile = profiles.profile(config.profile()).orElse(null);
            if (profile == null) {
                failWithoutTags(where + "profile '" + config.profile() + "' is not loaded", config.enabled());
                return;
            }
            List<TagInfo> infos = new ArrayList<>(profile.tags().size());
            String configError = null;
            for (TagDefinition def : profile.tags()) {
                PollGroup group = config.pollGroupOf(def).orElse(null);
                if (group == null && configError == null) {
                    configError = where + "tag '" + def.name() + "' of profile '" + profile.id()
                            + "' uses poll group '" + def.pollGroup() + "', which is not configured (configured: "
                            + config.pollGroups().stream().map(PollGroup::name).collect(Collectors.joining(", "))
                            + ")";
                }
                infos.add(tagInfo(def, group));
            }
            Instant now = Instant.now();
            if (configError != null) {
                define(infos, TagValue.bad(QualityReason.CONFIG_ERROR, configError, now), Status.FAILING, configError);
                registry.put(new DeviceRegistry.Entry(deviceId, config.enabled(), null, configError));
                LOG.error("{}", configError);
                return;
            }
            if (!config.enabled()) {
                define(infos, TagValue.bad(QualityReason.DEVICE_DISABLED, "device is disabled", now), Status.DISABLED,
                        null);
                registry.put(new DeviceRegistry.Entry(deviceId, false, null, "device is disabled"));
                LOG.info("Device '{}' is disabled: tags defined, not polled", deviceId);
                return;
            }
            String protocol = config.endpoint().protocol();
            DeviceSession session = null;
            String openError;
            if (driver == null) {
                openError = where + "no driver for protocol '" + protocol + "' is registered";
            } else {
                try {
                    session = driver.open(config, profile);
                    openError = session == null ? where + "driver returned no session" : null;
                } catch (DriverConfigException e) {
                    openError = e.getMessage();
                } catch (RuntimeException e) {
                    openError = where + "driver failed to open the device: " + e;
                    LOG.error("Driver {} failed to open device '{}'", driver, deviceId, e);
                }
            }
            if (openError != null) {
                define(infos, TagValue.bad(QualityReason.CONFIG_ERROR, openError, now), Status.FAILING, openError);
                registry.put(new DeviceRegistry.Entry(deviceId, true, null, openError));
                LOG.error("Device '{}' not polled: {}", deviceId, openError);
                return;
            }
            Generation g = new Generation(config, session, infos);
            define(infos, TagValue.bad(QualityReason.WAITING_FOR_INITIAL_DATA, "not polled yet", now),
                    Status.STARTING, null);
            registry.put(new DeviceRegistry.Entry(deviceId, true, session, null));
            current = g;
            for (GroupState gs : g.groups.values()) {
                gs.future = scheduler.schedule(() -> tick(g, gs), gs.intervalMillis);
            }
            LOG.info("Device '{}' polling {} tags in groups {} via {}", deviceId, infos.size(),
                    g.groups.keySet(), protocol);
        }
    }

    /** The configuration itself is unusable (validated before a {@link DeviceConfig} could be built). */
    public void fail(String error) {
        synchronized (lock) {
            if (!claim()) {
                return;
            }
            stopCurrent();
            LOG.error("{}", error);
            failWithoutTags(error, true);
        }
    }

    /** Stops polling, closes the session (after a poll still in flight) and removes the device from the bus. */
    public void close() {
        synchronized (lock) {
            stopCurrent();
            if (claimed) {
                bus.removeDevice(deviceId);
                registry.release(deviceId, this);
                claimed = false;
            }
        }
    }

    private boolean claim() {
        if (!claimed) {
            claimed = registry.claim(deviceId, this);
            if (!claimed) {
                LOG.error("device '{}': the id is already used by another device configuration; this one is ignored",
                        deviceId);
            }
        }
        return claimed;
    }

    private void failWithoutTags(String error, boolean enabled) {
        define(List.of(), TagValue.bad(QualityReason.CONFIG_ERROR, error, Instant.now()), Status.FAILING, error);
        registry.put(new DeviceRegistry.Entry(deviceId, enabled, null, error));
    }

    private void define(List<TagInfo> infos, TagValue initial, Status status, String error) {
        bus.defineDevice(deviceId, infos, initial);
        bus.updateDeviceState(new DeviceState(deviceId, status, error, null, 0, 0, 0, -1));
    }

    private void stopCurrent() {
        Generation g = current;
        current = null;
        if (g == null) {
            return;
        }
        g.closed = true;
        for (GroupState gs : g.groups.values()) {
            if (gs.future != null) {
                gs.future.cancel(false);
            }
        }
        Runnable closeSession = () -> closeQuietly(g.session);
        if (!lane.tryExecute(closeSession)) {
            closeSession.run(); // pool gone (shutdown): nothing can be polling any more
        }
    }

    private void closeQuietly(DeviceSession session) {
        try {
            session.close();
        } catch (RuntimeException e) {
            LOG.warn("Closing the session of device '{}' failed", deviceId, e);
        }
    }

    /** On the timer thread: must not block. */
    private void tick(Generation g, GroupState gs) {
        if (g.closed) {
            return;
        }
        if (!gs.pending.compareAndSet(false, true)) {
            overruns.incrementAndGet();
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - gs.pendingSince);
            if (waitedMillis >= 2 * gs.intervalMillis && !gs.overdueMarked) {
                gs.overdueMarked = true;
                markOverdue(g, gs, waitedMillis);
            }
            lane.kick();
            return;
        }
        gs.pendingSince = System.nanoTime();
        gs.overdueMarked = false;
        lane.execute(() -> poll(g, gs));
    }

    /** On the device's lane. */
    private void poll(Generation g, GroupState gs) {
        try {
            if (g.closed) {
                return;
            }
            Map<String, TagValue> values;
            String error = null;
            try {
                values = g.session.poll(gs.name);
            } catch (RuntimeException e) {
                // drivers report device faults as Bad values; an exception is a driver bug, still make it visible
                values = null;
                error = "driver error: " + e;
                LOG.warn("Driver threw while polling group '{}' of device '{}'", gs.name, deviceId, e);
            }
            publish(g, gs, values, error);
        } finally {
            gs.pending.set(false);
        }
    }

    private void publish(Generation g, GroupState gs, Map<String, TagValue> values, String error) {
        synchronized (lock) {
            if (g.closed) {
                return;
            }
            Instant now = Instant.now();
            String failure = null;
            for (Map.Entry<String, TagPath> tag : gs.tags.entrySet()) {
                TagValue v = values == null ? null : values.get(tag.getKey());
                if (v == null) {
                    v = values == null ? TagValue.bad(QualityReason.COMM_FAILURE, error, now)
                            : TagValue.bad(QualityReason.BAD_RESPONSE, "driver returned no value", now);
                }
                // out of range is a process condition, not a communication failure
                if (failure == null && !v.isGood() && v.reason() != QualityReason.OUT_OF_RANGE) {
                    failure = "poll group '" + gs.name + "': " + (v.detail() != null ? v.detail() : v.reason());
                }
                bus.update(tag.getValue(), v);
            }
            gs.polled = true;
            gs.failed = failure != null;
            g.pollCount++;
            if (failure != null) {
                g.errorCount++;
                g.lastError = failure;
            } else {
                g.lastGoodRead = now;
            }
            publishState(g);
        }
    }

    private void markOverdue(Generation g, GroupState gs, long waitedMillis) {
        synchronized (lock) {
            if (g.closed) {
                return;
            }
            String detail = "no poll result for " + waitedMillis + " ms (poll still running)";
            TagValue bad = TagValue.bad(QualityReason.COMM_FAILURE, detail, Instant.now());
            for (TagPath path : gs.tags.values()) {
                bus.update(path, bad);
            }
            gs.failed = true;
            g.lastError = "poll group '" + gs.name + "': " + detail;
            publishState(g);
        }
    }

    /** FAILING while the last poll of any group failed; CONNECTED when the last poll of every polled group succeeded. */
    private void publishState(Generation g) {
        boolean anyPolled = false;
        boolean anyFailed = false;
        for (GroupState gs : g.groups.values()) {
            anyPolled |= gs.polled || gs.failed;
            anyFailed |= gs.failed;
        }
        Status status = anyFailed ? Status.FAILING : anyPolled ? Status.CONNECTED : Status.STARTING;
        SessionStats stats = null;
        try {
            stats = g.session.stats();
        } catch (RuntimeException e) {
            LOG.debug("stats() of device '{}' failed", deviceId, e);
        }
        bus.updateDeviceState(new DeviceState(deviceId, status, anyFailed ? g.lastError : null, g.lastGoodRead,
                g.pollCount, g.errorCount, stats == null ? 0 : stats.requests(),
                stats == null ? -1 : stats.lastRoundTripMillis()));
    }

    private TagInfo tagInfo(TagDefinition def, PollGroup group) {
        boolean writable = def.access() == Access.READ_WRITE && def.area().isWritable();
        return new TagInfo(new TagPath(deviceId, def.name()), def.dataType(), def.isScaled(), def.unit(),
                def.description(), writable, def.min(), def.max(), def.deadband(),
                group == null ? def.pollGroup() : group.name(), group == null ? 0 : group.intervalMillis());
    }

    /** One applied configuration with an open session. */
    private static final class Generation {
        final DeviceSession session;
        final Map<String, GroupState> groups = new LinkedHashMap<>();
        volatile boolean closed;
        // guarded by DevicePoller.lock
        long pollCount;
        long errorCount;
        Instant lastGoodRead;
        String lastError;

        Generation(DeviceConfig config, DeviceSession session, List<TagInfo> infos) {
            this.session = session;
            for (TagInfo info : infos) {
                // only groups that have tags are polled
                GroupState gs = groups.computeIfAbsent(info.pollGroup(),
                        name -> new GroupState(name, config.pollGroup(name).orElseThrow().intervalMillis()));
                gs.tags.put(info.path().tag(), info.path());
            }
        }
    }

    private static final class GroupState {
        final String name;
        final long intervalMillis;
        final Map<String, TagPath> tags = new LinkedHashMap<>();
        final AtomicBoolean pending = new AtomicBoolean();
        volatile long pendingSince;
        volatile boolean overdueMarked;
        volatile ScheduledFuture<?> future;
        // guarded by DevicePoller.lock
        boolean polled;
        boolean failed;

        GroupState(String name, long intervalMillis) {
            this.name = name;
            this.intervalMillis = intervalMillis;
        }
    }
}
