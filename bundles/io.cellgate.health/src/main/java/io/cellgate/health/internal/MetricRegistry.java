package io.cellgate.health.internal;

import io.cellgate.api.health.HealthMetric;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of health metrics: single metrics with a value supplier, and sources that yield a set (per device,
 * per contributor). A sample asks every one; a supplier or source that throws yields an unknown value (null) or
 * nothing, and is logged once until it works again, so one broken source never hides the others.
 */
final class MetricRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(MetricRegistry.class);

    private record Single(MetricDef def, Supplier<?> value) {
    }

    private final List<Single> singles = new CopyOnWriteArrayList<>();
    private final List<MetricSource> sources = new CopyOnWriteArrayList<>();
    private final Map<Object, Boolean> failing = new java.util.concurrent.ConcurrentHashMap<>();

    /** Registers one metric. A name registered twice is refused, naming it. */
    synchronized void register(MetricDef def, Supplier<?> value) {
        for (Single s : singles) {
            if (s.def().name().equals(def.name())) {
                throw new IllegalArgumentException("health metric " + def.name() + " is registered twice");
            }
        }
        singles.add(new Single(def, value));
    }

    void register(MetricSource source) {
        sources.add(source);
    }

    void unregister(MetricSource source) {
        sources.remove(source);
        failing.remove(source);
    }

    /** Every metric now, ordered by name; on a duplicate name (two sources) the first registered wins. */
    List<HealthMetric> sample() {
        Map<String, HealthMetric> byName = new LinkedHashMap<>();
        for (Single s : singles) {
            Object v;
            try {
                v = s.value().get();
                recovered(s);
            } catch (RuntimeException e) {
                failed(s, s.def().name(), e);
                v = null;
            }
            HealthMetric m;
            try {
                m = s.def().with(v);
            } catch (IllegalArgumentException e) {
                failed(s, s.def().name(), e);
                m = s.def().with(null);
            }
            byName.putIfAbsent(m.name(), m);
        }
        for (MetricSource source : sources) {
            List<HealthMetric> got;
            try {
                got = source.collect();
                recovered(source);
            } catch (RuntimeException e) {
                failed(source, source.toString(), e);
                continue;
            }
            for (HealthMetric m : got) {
                if (byName.putIfAbsent(m.name(), m) != null) {
                    LOG.debug("health metric {} from {} ignored: the name is taken", m.name(), source);
                }
            }
        }
        List<HealthMetric> out = new ArrayList<>(byName.values());
        out.sort(Comparator.comparing(HealthMetric::name));
        return out;
    }

    private void failed(Object key, String what, RuntimeException e) {
        if (failing.put(key, Boolean.TRUE) == null) {
            LOG.warn("health metric source {} failed: {} (reported as unknown until it works again)", what, e.toString());
        }
    }

    private void recovered(Object key) {
        if (failing.remove(key) != null) {
            LOG.info("health metric source {} works again", key instanceof Single s ? s.def().name() : key);
        }
    }
}
