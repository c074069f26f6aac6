package io.cellgate.config.internal;

import io.cellgate.api.config.CellConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What must change in ConfigAdmin to get from the device configurations that exist to the ones a cell
 * wants. A pure function, so that "changing one device never touches the others" is testable.
 *
 * @param create    devices to create, by id, with their properties
 * @param update    devices whose properties differ, by id, with the new properties
 * @param delete    ids of devices that are configured but no longer in the cell
 * @param unchanged ids of devices that stay as they are
 */
record ConfigDiff(Map<String, Map<String, Object>> create, Map<String, Map<String, Object>> update,
        List<String> delete, List<String> unchanged) {

    /** Properties ConfigAdmin adds on its own; they never count as a difference. */
    private static final Set<String> ADMIN_KEYS = Set.of("service.pid", "service.factoryPid",
            "service.bundleLocation", "felix.fileinstall.filename");

    ConfigDiff {
        create = Collections.unmodifiableMap(new LinkedHashMap<>(create));
        update = Collections.unmodifiableMap(new LinkedHashMap<>(update));
        delete = List.copyOf(delete);
        unchanged = List.copyOf(unchanged);
    }

    /**
     * @param current the existing device configurations' properties, by device id
     * @param desired the cell to apply
     */
    static ConfigDiff between(Map<String, Dictionary<String, Object>> current, CellConfig desired) {
        Map<String, Map<String, Object>> want = DeviceProperties.desired(desired);
        Map<String, Map<String, Object>> create = new LinkedHashMap<>();
        Map<String, Map<String, Object>> update = new LinkedHashMap<>();
        List<String> unchanged = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> e : want.entrySet()) {
            Dictionary<String, Object> have = current.get(e.getKey());
            if (have == null) {
                create.put(e.getKey(), e.getValue());
            } else if (same(have, e.getValue())) {
                unchanged.add(e.getKey());
            } else {
                update.put(e.getKey(), e.getValue());
            }
        }
        List<String> delete = current.keySet().stream().filter(id -> !want.containsKey(id)).sorted().toList();
        return new ConfigDiff(create, update, delete, unchanged);
    }

    boolean isEmpty() {
        return create.isEmpty() && update.isEmpty() && delete.isEmpty();
    }

    /** For the log: {@code device meter-2 added, vfd-1 updated, 4 unchanged}. */
    String summary() {
        List<String> parts = new ArrayList<>();
        create.keySet().forEach(id -> parts.add("device " + id + " added"));
        update.keySet().forEach(id -> parts.add("device " + id + " updated"));
        delete.forEach(id -> parts.add("device " + id + " removed"));
        parts.add(unchanged.size() + " unchanged");
        return String.join(", ", parts);
    }

    static boolean same(Dictionary<String, Object> have, Map<String, Object> want) {
        Set<String> haveKeys = new HashSet<>();
        for (var keys = have.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            if (!ADMIN_KEYS.contains(k)) {
                haveKeys.add(k);
            }
        }
        if (!haveKeys.equals(want.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> e : want.entrySet()) {
            if (!valueEquals(have.get(e.getKey()), e.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean valueEquals(Object a, Object b) {
        if (a instanceof Object[] x && b instanceof Object[] y) {
            return Arrays.equals(x, y);
        }
        return Objects.equals(a, b);
    }
}
