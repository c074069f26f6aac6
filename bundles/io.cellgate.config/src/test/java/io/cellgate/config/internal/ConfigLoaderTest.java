package io.cellgate.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.config.ConfigKeys;
import io.cellgate.api.config.ProfileRegistry;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The component against an in-memory ConfigurationAdmin (a few proxies): activation applies
 * synchronously, a later apply touches only what changed, an invalid directory changes nothing, and
 * deactivation keeps the device configurations. The real ConfigAdmin path is tested in-framework.
 */
@SuppressWarnings("unchecked")
class ConfigLoaderTest {

    @TempDir
    Path dir;

    /** pid -> properties; null properties = created but never updated. */
    private final Map<String, Dictionary<String, Object>> store = new LinkedHashMap<>();
    private final List<String> writes = new ArrayList<>();
    private final List<Object> registered = new ArrayList<>();
    private ConfigLoader loader;

    private static final String PROFILE = """
            profile: { id: meter }
            tags:
              - { name: v, area: holding_register, address: 0, type: int16 }
            """;

    @AfterEach
    void tearDown() {
        if (loader != null) {
            loader.deactivate();
        }
    }

    private void write(String devices) throws IOException {
        Files.createDirectories(dir.resolve("profiles"));
        Files.writeString(dir.resolve("profiles/meter.yaml"), PROFILE);
        Files.writeString(dir.resolve("cell.yaml"), "cell: { id: c }\ndevices:\n" + devices);
    }

    private static String device(String id, String host) {
        return "  - { id: %s, profile: meter, endpoint: { protocol: modbus-tcp, host: %s } }\n".formatted(id, host);
    }

    @Test
    void activate_validDirectory_writesCellAndDevicesAndRegistersProfiles() throws IOException {
        write(device("m1", "10.0.0.1") + device("m2", "10.0.0.2"));

        loader = new ConfigLoader(cm(), context(), config(dir));

        assertThat(store).containsOnlyKeys(ConfigKeys.CELL_PID, "cellgate.device~m1", "cellgate.device~m2");
        assertThat(store.get("cellgate.device~m2").get(ConfigKeys.HOST)).isEqualTo("10.0.0.2");
        assertThat(store.get(ConfigKeys.CELL_PID).get(ConfigKeys.CELL_ID)).isEqualTo("c");
        assertThat(registered).singleElement()
                .satisfies(r -> assertThat(((ProfileRegistry) r).profile("meter")).isPresent());
        assertThat(loader.current()).isPresent();
    }

    @Test
    void apply_oneDeviceChanged_writesOnlyThatDevice() throws IOException {
        write(device("m1", "10.0.0.1") + device("m2", "10.0.0.2") + device("m3", "10.0.0.3"));
        loader = new ConfigLoader(cm(), context(), config(dir));
        writes.clear();

        write(device("m1", "10.0.0.1") + device("m2", "10.0.0.9") + device("m4", "10.0.0.4"));
        var result = loader.apply(dir);

        assertThat(result.errors()).isEmpty();
        assertThat(writes).filteredOn(w -> !w.endsWith(ConfigKeys.LOADER_PID)).containsExactlyInAnyOrder(
                "update cellgate.cell", "update cellgate.device~m4",
                "update cellgate.device~m2", "delete cellgate.device~m3");
        assertThat(store).containsOnlyKeys(ConfigKeys.CELL_PID, "cellgate.device~m1", "cellgate.device~m2",
                "cellgate.device~m4", ConfigKeys.LOADER_PID);
        assertThat(store.get(ConfigKeys.LOADER_PID).get(ConfigKeys.LOADER_DIRECTORY)).isEqualTo(dir.toString());
    }

    @Test
    void apply_invalidDirectory_changesNothing() throws IOException {
        write(device("m1", "10.0.0.1"));
        loader = new ConfigLoader(cm(), context(), config(dir));
        writes.clear();
        var before = loader.current().orElseThrow();

        write(device("m1", "10.0.0.1") + "  - { id: m2, profile: nope, endpoint: { protocol: modbus-tcp } }\n");
        var result = loader.apply(dir);

        assertThat(result.errors()).hasSize(2);
        assertThat(writes).isEmpty();
        assertThat(loader.current()).containsSame(before);
    }

    @Test
    void deactivate_keepsDeviceConfigurations() throws IOException {
        write(device("m1", "10.0.0.1"));
        loader = new ConfigLoader(cm(), context(), config(dir));

        loader.deactivate();
        loader = null;

        assertThat(store).containsKey("cellgate.device~m1");
        assertThat(writes).noneMatch(w -> w.startsWith("delete"));
    }

    // ---- fakes ----

    private static LoaderConfig config(Path dir) {
        return (LoaderConfig) Proxy.newProxyInstance(LoaderConfig.class.getClassLoader(),
                new Class<?>[] {LoaderConfig.class}, (p, m, a) -> switch (m.getName()) {
                    case "directory" -> dir.toString();
                    case "watch_interval" -> 0L;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    private BundleContext context() {
        return proxy(BundleContext.class, (m, a) -> {
            if (m.equals("registerService")) {
                registered.add(a[1]);
                return proxy(org.osgi.framework.ServiceRegistration.class, (m2, a2) -> {
                    if (m2.equals("unregister")) {
                        registered.remove(a[1]);
                    }
                    return null;
                });
            }
            throw new UnsupportedOperationException(m);
        });
    }

    private ConfigurationAdmin cm() {
        return proxy(ConfigurationAdmin.class, (m, a) -> switch (m) {
            case "getConfiguration" -> configuration((String) a[0]);
            case "getFactoryConfiguration" -> configuration(a[0] + "~" + a[1]);
            case "listConfigurations" -> store.entrySet().stream()
                    .filter(e -> e.getKey().startsWith(ConfigKeys.DEVICE_FACTORY_PID + "~") && e.getValue() != null)
                    .map(e -> configuration(e.getKey())).toArray(Configuration[]::new);
            default -> throw new UnsupportedOperationException(m);
        });
    }

    private Configuration configuration(String pid) {
        store.putIfAbsent(pid, null);
        return proxy(Configuration.class, (m, a) -> {
            switch (m) {
                case "getPid":
                    return pid;
                case "getProperties":
                    return store.get(pid) == null ? null : new Hashtable<>((Hashtable<String, Object>) store.get(pid));
                case "updateIfDifferent": {
                    Hashtable<String, Object> next = toMap(a[0]);
                    Dictionary<String, Object> old = store.get(pid);
                    boolean same = old != null && ConfigDiff.same(old, withoutAdminKeys(next));
                    if (!same) {
                        next.put("service.pid", pid);
                        store.put(pid, next);
                        writes.add("update " + pid);
                    }
                    return !same;
                }
                case "delete":
                    store.remove(pid);
                    writes.add("delete " + pid);
                    return null;
                default:
                    throw new UnsupportedOperationException(m);
            }
        });
    }

    private static Hashtable<String, Object> toMap(Object dictionary) {
        Dictionary<String, Object> d = (Dictionary<String, Object>) dictionary;
        Hashtable<String, Object> h = new Hashtable<>();
        for (var k = d.keys(); k.hasMoreElements();) {
            String key = k.nextElement();
            h.put(key, d.get(key));
        }
        return h;
    }

    private static Map<String, Object> withoutAdminKeys(Hashtable<String, Object> h) {
        Map<String, Object> m = new LinkedHashMap<>(h);
        m.remove("service.pid");
        return m;
    }

    interface Handler {
        Object handle(String method, Object[] args) throws Exception;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Handler h) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> {
            if (m.getDeclaringClass() == Object.class) {
                return switch (m.getName()) {
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == a[0];
                    default -> type.getSimpleName();
                };
            }
            return h.handle(m.getName(), a);
        });
    }
}
