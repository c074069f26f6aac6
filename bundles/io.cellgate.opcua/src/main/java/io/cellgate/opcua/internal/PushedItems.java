package io.cellgate.opcua.internal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Monitored items of tag values, fed by the tag bus as changes arrive instead of by sampling. Each item's
 * revised sampling interval is the minimum spacing between the values handed to it: a change that comes
 * sooner is held (only the newest) and handed over when the interval has passed. The item itself (Milo's
 * MonitoredDataItem) applies its DataChangeFilter (trigger, absolute or percent deadband) and queue.
 */
final class PushedItems {

    private static final Logger LOG = LoggerFactory.getLogger(PushedItems.class);

    private final ScheduledExecutorService scheduler;
    /** Whether the item's session may receive its values (read and subscribe permission). */
    private final Predicate<DataItem> permitted;
    /** The permissions in force; an unequal object means they changed and are evaluated again. */
    private final Supplier<Object> permissions;
    /** What an item gets instead of values it may no longer receive. */
    private final DataValue denied;
    private final Map<NodeId, Set<Pushed>> byNode = new ConcurrentHashMap<>();
    private final Map<DataItem, Pushed> byItem = new ConcurrentHashMap<>();

    PushedItems(ScheduledExecutorService scheduler, Predicate<DataItem> permitted, Supplier<Object> permissions,
            DataValue denied) {
        this.scheduler = scheduler;
        this.permitted = permitted;
        this.permissions = permissions;
        this.denied = denied;
    }

    /**
     * Starts feeding {@code item}, beginning with the node's current value (the initial notification). The item is
     * registered before the value is read, and the value is dropped if the bus has handed the item a change
     * meanwhile: so the first value is never older than one that follows it.
     */
    void add(DataItem item, Supplier<DataValue> current) {
        Pushed pushed = new Pushed(item);
        byItem.put(item, pushed);
        byNode.computeIfAbsent(item.getReadValueId().getNodeId(), n -> ConcurrentHashMap.newKeySet()).add(pushed);
        DataValue value = current.get();
        if (value != null) {
            pushed.seed(value);
        }
    }

    boolean contains(DataItem item) {
        return byItem.containsKey(item);
    }

    void remove(DataItem item) {
        Pushed pushed = byItem.remove(item);
        if (pushed != null) {
            pushed.close();
            byNode.computeIfPresent(item.getReadValueId().getNodeId(), (n, set) -> {
                set.remove(pushed);
                return set.isEmpty() ? null : set;
            });
        }
    }

    /**
     * After a change of monitoring mode or parameters: an item that samples again gets the current value at
     * once (Milo forgets an item's last value when it is disabled), later ones with the new spacing.
     */
    void refresh(DataItem item, DataValue current) {
        Pushed pushed = byItem.get(item);
        if (pushed != null && current != null) {
            pushed.offer(current);
        }
    }

    /** A new value of {@code node} from the tag bus: handed to every item on it, now or when its spacing allows. */
    void publish(NodeId node, DataValue value) {
        Set<Pushed> items = byNode.get(node);
        if (items != null) {
            for (Pushed pushed : items) {
                pushed.offer(value);
            }
        }
    }

    void clear() {
        byItem.values().forEach(Pushed::close);
        byItem.clear();
        byNode.clear();
    }

    int size() {
        return byItem.size();
    }

    private final class Pushed {
        private final DataItem item;
        private boolean delivered;
        private long lastNanos;
        private DataValue pending;
        private ScheduledFuture<?> flush;
        private boolean closed;
        private boolean offered;
        /** The permission decision and the permissions it was made under: evaluated once per change of them. */
        private Object decidedUnder;
        private boolean allowed;

        Pushed(DataItem item) {
            this.item = item;
        }

        synchronized void seed(DataValue value) {
            if (!offered) {
                offer(value);
            }
        }

        synchronized void offer(DataValue value) {
            offered = true;
            if (closed || !item.isSamplingEnabled()) {
                return;
            }
            long interval = spacingNanos();
            long now = System.nanoTime();
            long since = now - lastNanos;
            if (flush == null && (!delivered || since >= interval)) {
                deliver(value, now);
            } else {
                pending = value;
                if (flush == null) {
                    flush = scheduler.schedule(this::flush, Math.max(0, interval - since), TimeUnit.NANOSECONDS);
                }
            }
        }

        private synchronized void flush() {
            flush = null;
            DataValue value = pending;
            pending = null;
            if (value != null && !closed && item.isSamplingEnabled()) {
                deliver(value, System.nanoTime());
            }
        }

        private void deliver(DataValue value, long now) {
            delivered = true;
            lastNanos = now;
            try {
                // The server timestamp is when the value is handed to the item, as sampling would have stamped it.
                DataValue stamped = new DataValue(value.value(), value.statusCode(), value.sourceTime(),
                        DateTime.now());
                Object current = permissions.get();
                if (!java.util.Objects.equals(current, decidedUnder)) {
                    allowed = permitted.test(item);
                    decidedUnder = current;
                }
                item.setValue(DataValue.derivedValue(allowed ? stamped : denied, item.getTimestampsToReturn()));
            } catch (RuntimeException e) {
                LOG.warn("monitored item {} on {}: value not delivered: {}", item.getId(),
                        item.getReadValueId().getNodeId(), e.toString());
            }
        }

        private long spacingNanos() {
            double ms = item.getSamplingInterval();
            return ms > 0 ? (long) (ms * 1_000_000d) : 0;
        }

        synchronized void close() {
            closed = true;
            pending = null;
            if (flush != null) {
                flush.cancel(false);
                flush = null;
            }
        }
    }
}
