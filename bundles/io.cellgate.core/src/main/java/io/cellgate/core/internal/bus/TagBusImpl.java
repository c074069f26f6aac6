package io.cellgate.core.internal.bus;

import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.bus.Subscription;
import io.cellgate.api.bus.TagBus;
import io.cellgate.api.bus.TagListener;
import io.cellgate.api.tag.Quality;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tag bus: catalogue, last value per tag, device states and a change stream by exception.
 *
 * <p>Hot path ({@link #update}): one hash lookup, one uncontended per-tag monitor, a walk over an array
 * of subscribers; no allocation. The per-tag monitor keeps deliveries of one tag in order when the poller
 * and a write read-back update it at the same time. Listeners are called on the producer's thread.
 *
 * <p>Constructible without OSGi ({@code new TagBusImpl()}) for tests and benchmarks.
 */
@Component(service = {TagBus.class, TagBusProducer.class})
public final class TagBusImpl implements TagBusProducer {

    private static final Logger LOG = LoggerFactory.getLogger(TagBusImpl.class);
    private static final long WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final ListenerHolder[] NO_LISTENERS = new ListenerHolder[0];

    private final ConcurrentHashMap<TagPath, Entry> tags = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, DeviceState> states = new ConcurrentHashMap<>();
    /** Tags per device; guarded by {@link #catalogLock}. */
    private final Map<String, List<TagPath>> deviceTags = new HashMap<>();
    private final Object catalogLock = new Object();
    /** Sorted snapshot of the catalogue, rebuilt on every catalogue change (rare). */
    private volatile List<TagInfo> catalog = List.of();
    /** Copy-on-write array of subscribers; guarded by {@code this} for writes. */
    private volatile ListenerHolder[] listeners = NO_LISTENERS;

    public TagBusImpl() {
        // Nothing to start: the bus is passive, producers call it.
    }

    // --- TagBus (consumer side) ---

    @Override
    public Optional<TagValue> value(TagPath path) {
        Entry e = tags.get(path);
        return e == null ? Optional.empty() : Optional.of(e.latest);
    }

    @Override
    public Optional<TagInfo> info(TagPath path) {
        Entry e = tags.get(path);
        return e == null ? Optional.empty() : Optional.of(e.info);
    }

    @Override
    public Collection<TagInfo> tags() {
        return catalog;
    }

    @Override
    public Collection<DeviceState> devices() {
        List<DeviceState> list = new ArrayList<>(states.values());
        list.sort(Comparator.comparing(DeviceState::deviceId));
        return List.copyOf(list);
    }

    @Override
    public Optional<DeviceState> device(String deviceId) {
        return Optional.ofNullable(states.get(deviceId));
    }

    @Override
    public Subscription subscribe(TagListener listener) {
        Objects.requireNonNull(listener, "listener");
        ListenerHolder holder = new ListenerHolder(listener);
        synchronized (this) {
            ListenerHolder[] old = listeners;
            ListenerHolder[] next = Arrays.copyOf(old, old.length + 1);
            next[old.length] = holder;
            listeners = next;
        }
        return () -> unsubscribe(holder);
    }

    private synchronized void unsubscribe(ListenerHolder holder) {
        ListenerHolder[] old = listeners;
        for (int i = 0; i < old.length; i++) {
            if (old[i] == holder) {
                ListenerHolder[] next = new ListenerHolder[old.length - 1];
                System.arraycopy(old, 0, next, 0, i);
                System.arraycopy(old, i + 1, next, i, old.length - i - 1);
                listeners = next;
                return;
            }
        }
    }

    // --- TagBusProducer (core only) ---

    @Override
    public void defineDevice(String deviceId, Collection<TagInfo> infos, TagValue initial) {
        Objects.requireNonNull(initial, "initial");
        List<TagPath> paths = new ArrayList<>(infos.size());
        for (TagInfo info : infos) {
            if (!info.path().device().equals(deviceId)) {
                throw new IllegalArgumentException(
                        "tag " + info.path() + " does not belong to device '" + deviceId + "'");
            }
            paths.add(info.path());
        }
        synchronized (catalogLock) {
            dropTags(deviceTags.remove(deviceId));
            for (TagInfo info : infos) {
                tags.put(info.path(), new Entry(info, initial));
            }
            deviceTags.put(deviceId, List.copyOf(paths));
            rebuildCatalog();
        }
        fireCatalogChanged(deviceId);
    }

    @Override
    public void removeDevice(String deviceId) {
        boolean known;
        synchronized (catalogLock) {
            List<TagPath> paths = deviceTags.remove(deviceId);
            known = paths != null | states.remove(deviceId) != null;
            dropTags(paths);
            rebuildCatalog();
        }
        if (known) {
            fireCatalogChanged(deviceId);
        }
    }

    @Override
    public boolean update(TagPath path, TagValue value) {
        Entry e = tags.get(path);
        if (e == null) {
            return false;
        }
        synchronized (e) {
            if (e.removed) {
                return false;
            }
            e.latest = value;
            if (!passes(e.info, e.lastDelivered, value)) {
                return true;
            }
            e.lastDelivered = value;
            ListenerHolder[] ls = listeners;
            for (ListenerHolder h : ls) {
                try {
                    h.listener.onValue(e.info, value);
                } catch (Exception | LinkageError t) {
                    h.failed("onValue(" + path + ")", t);
                }
            }
        }
        return true;
    }

    @Override
    public void updateDeviceState(DeviceState state) {
        DeviceState previous = states.put(state.deviceId(), state);
        if (previous != null && previous.status() == state.status()
                && Objects.equals(previous.lastError(), state.lastError())) {
            return; // only counters moved: stored for readers, not worth an event
        }
        for (ListenerHolder h : listeners) {
            try {
                h.listener.onDeviceState(state);
            } catch (Exception | LinkageError t) {
                h.failed("onDeviceState(" + state.deviceId() + ")", t);
            }
        }
    }

    /**
     * Report by exception: deliver on a quality or reason change, or when a Good/Uncertain value moved
     * by more than the deadband (numbers) or changed at all (booleans, strings, deadband 0).
     */
    static boolean passes(TagInfo info, TagValue last, TagValue next) {
        if (last == null) {
            return true;
        }
        if (last.quality() != next.quality() || last.reason() != next.reason()) {
            return true;
        }
        if (next.quality() == Quality.BAD) {
            return false; // a Bad value's payload is diagnostic only
        }
        Object a = last.value();
        Object b = next.value();
        if (a == b) {
            return false;
        }
        if (a == null || b == null) {
            return true;
        }
        double deadband = info.deadband();
        if (deadband > 0 && a instanceof Number na && b instanceof Number nb) {
            double x = na.doubleValue();
            double y = nb.doubleValue();
            if (Double.isNaN(x) || Double.isNaN(y)) {
                return Double.isNaN(x) != Double.isNaN(y);
            }
            return Math.abs(y - x) > deadband;
        }
        return !a.equals(b);
    }

    private void dropTags(List<TagPath> paths) {
        if (paths == null) {
            return;
        }
        for (TagPath p : paths) {
            Entry e = tags.remove(p);
            if (e != null) {
                synchronized (e) {
                    e.removed = true;
                }
            }
        }
    }

    private void rebuildCatalog() {
        List<TagInfo> list = new ArrayList<>(tags.size());
        for (Entry e : tags.values()) {
            list.add(e.info);
        }
        list.sort(Comparator.comparing(TagInfo::path));
        catalog = List.copyOf(list);
    }

    private void fireCatalogChanged(String deviceId) {
        for (ListenerHolder h : listeners) {
            try {
                h.listener.onCatalogChanged(deviceId);
            } catch (Exception | LinkageError t) {
                h.failed("onCatalogChanged(" + deviceId + ")", t);
            }
        }
    }

    /** Number of current subscribers (diagnostics, tests). */
    public int subscriberCount() {
        return listeners.length;
    }

    private static final class Entry {
        final TagInfo info;
        volatile TagValue latest;
        /** Guarded by the entry's monitor. */
        TagValue lastDelivered;
        /** Guarded by the entry's monitor. */
        boolean removed;

        Entry(TagInfo info, TagValue initial) {
            this.info = info;
            this.latest = initial;
            this.lastDelivered = initial;
        }
    }

    /** A subscriber plus its rate-limited failure log, so a broken listener cannot flood the log. */
    private static final class ListenerHolder {
        final TagListener listener;
        final AtomicLong lastWarn = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);
        final AtomicLong failures = new AtomicLong();

        ListenerHolder(TagListener listener) {
            this.listener = listener;
        }

        void failed(String call, Throwable t) {
            long count = failures.incrementAndGet();
            long now = System.nanoTime();
            long last = lastWarn.get();
            if (now - last >= WARN_INTERVAL_NANOS && lastWarn.compareAndSet(last, now)) {
                LOG.warn("Tag bus listener {} threw in {} ({} failures so far); it stays subscribed, others are "
                        + "unaffected. Next report in a minute at the earliest", listener, call, count, t);
            }
        }
    }
}
