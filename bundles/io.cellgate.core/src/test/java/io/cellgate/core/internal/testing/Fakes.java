package io.cellgate.core.internal.testing;

import io.cellgate.api.config.Access;
import io.cellgate.api.config.ByteOrder;
import io.cellgate.api.config.DeviceConfig;
import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.Endpoint;
import io.cellgate.api.config.PollGroup;
import io.cellgate.api.config.ProfileRegistry;
import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.api.config.WordOrder;
import io.cellgate.api.driver.DeviceDriver;
import io.cellgate.api.driver.DeviceSession;
import io.cellgate.api.driver.DriverConfigException;
import io.cellgate.api.driver.SessionStats;
import io.cellgate.api.driver.WriteOutcome;
import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.QualityReason;
import io.cellgate.api.tag.TagValue;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/** Fakes and fixtures shared by the core's framework-free tests. */
public final class Fakes {

    public static final String PROFILE = "test-profile";

    private Fakes() {
    }

    public static TagDefinition tag(String name, RegisterArea area, DataType type, Access access, Double min,
            Double max, double deadband, String group) {
        return new TagDefinition(name, area, 0, type, -1, type == DataType.STRING ? 8 : 0, ByteOrder.BIG_ENDIAN,
                WordOrder.HIGH_FIRST, 1.0, 0.0, null, null, access, min, max, deadband, group);
    }

    /** temperature (read-only, fast), setpoint (INT16 0..100, rw, fast), run (coil, rw, fast), label (string, rw, slow). */
    public static DeviceProfile profile() {
        return new DeviceProfile(PROFILE, "ACME", "T1", null, List.of(
                tag("temperature", RegisterArea.INPUT_REGISTER, DataType.FLOAT32, Access.READ_ONLY, null, null, 0.5,
                        "fast"),
                tag("setpoint", RegisterArea.HOLDING_REGISTER, DataType.INT16, Access.READ_WRITE, 0.0, 100.0, 0,
                        "fast"),
                tag("run", RegisterArea.COIL, DataType.BOOL, Access.READ_WRITE, null, null, 0, "fast"),
                tag("label", RegisterArea.HOLDING_REGISTER, DataType.STRING, Access.READ_WRITE, null, null, 0,
                        "slow")));
    }

    public static ProfileRegistry profiles(DeviceProfile... ps) {
        Map<String, DeviceProfile> map = new LinkedHashMap<>();
        for (DeviceProfile p : ps) {
            map.put(p.id(), p);
        }
        return new ProfileRegistry() {
            @Override
            public Optional<DeviceProfile> profile(String id) {
                return Optional.ofNullable(map.get(id));
            }

            @Override
            public Collection<DeviceProfile> profiles() {
                return map.values();
            }
        };
    }

    public static DeviceConfig device(String id, boolean enabled, long fastMillis) {
        return new DeviceConfig(id, id, PROFILE, enabled,
                new Endpoint(Endpoint.MODBUS_TCP, "127.0.0.1", 502, null, 0, null, 0, 0), 1,
                List.of(new PollGroup("fast", fastMillis), new PollGroup("slow", fastMillis * 10)), 1000, 0, 0, 1, 0,
                125);
    }

    /** Waits until the condition holds; fails after 10 s. A guard against hanging, not a timing assertion. */
    public static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }

    /**
     * An instance of a component property type (@interface): the given properties by method name, else the
     * method's default.
     */
    @SuppressWarnings("unchecked")
    public static <A> A config(Class<A> type, Map<String, Object> values) {
        return (A) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (values.containsKey(method.getName())) {
                return values.get(method.getName());
            }
            switch (method.getName()) {
                case "annotationType":
                    return type;
                case "toString":
                    return type.getSimpleName() + values;
                case "hashCode":
                    return values.hashCode();
                case "equals":
                    return proxy == args[0];
                default:
                    break;
            }
            Object def = method.getDefaultValue();
            if (def == null) {
                throw new IllegalStateException("no value for " + method.getName());
            }
            return def;
        });
    }

    /** What a fake session does on poll. */
    public enum Mode {
        GOOD, FAIL, BLOCK
    }

    /** A driver whose sessions are {@link FakeSession}s, one per device id. */
    public static final class FakeDriver implements DeviceDriver {
        public final Map<String, FakeSession> sessions = new ConcurrentHashMap<>();
        public final AtomicInteger opens = new AtomicInteger();
        public volatile String configError;
        public volatile Mode initialMode = Mode.GOOD;

        @Override
        public Set<String> protocols() {
            return Set.of(Endpoint.MODBUS_TCP);
        }

        @Override
        public DeviceSession open(DeviceConfig device, DeviceProfile profile) throws DriverConfigException {
            opens.incrementAndGet();
            if (configError != null) {
                throw new DriverConfigException(configError);
            }
            FakeSession s = new FakeSession(profile);
            s.mode = initialMode;
            sessions.put(device.id(), s);
            return s;
        }

        public FakeSession session(String deviceId) {
            return sessions.get(deviceId);
        }
    }

    /** Answers polls with a counter value (GOOD), Bad/COMM_FAILURE (FAIL), or blocks until released (BLOCK). */
    public static final class FakeSession implements DeviceSession {
        private final DeviceProfile profile;
        public volatile Mode mode = Mode.GOOD;
        public final AtomicInteger polls = new AtomicInteger();
        public final CountDownLatch release = new CountDownLatch(1);
        public final List<Object[]> writes = new CopyOnWriteArrayList<>();
        public volatile WriteOutcome writeOutcome;
        public volatile boolean closed;

        FakeSession(DeviceProfile profile) {
            this.profile = profile;
        }

        @Override
        public Map<String, TagValue> poll(String pollGroup) {
            int n = polls.incrementAndGet();
            if (mode == Mode.BLOCK) {
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Instant now = Instant.now();
            Map<String, TagValue> values = new LinkedHashMap<>();
            for (TagDefinition t : profile.tags()) {
                if (!t.pollGroup().equals(pollGroup)) {
                    continue;
                }
                values.put(t.name(), mode == Mode.FAIL
                        ? TagValue.bad(QualityReason.COMM_FAILURE, "timeout after 1000 ms", now)
                        : TagValue.good(valueFor(t.dataType(), n), now));
            }
            return values;
        }

        private static Object valueFor(DataType type, int n) {
            return switch (type) {
                case BOOL, BIT -> n % 2 == 0;
                case STRING -> "v" + n;
                case FLOAT32 -> (float) n;
                case INT16 -> (short) n;
                default -> n;
            };
        }

        @Override
        public WriteOutcome write(String tag, Object value) {
            writes.add(new Object[] {tag, value});
            WriteOutcome o = writeOutcome;
            return o != null ? o : WriteOutcome.ok(TagValue.good(value, Instant.now()));
        }

        @Override
        public int requestsPerPoll(String pollGroup) {
            return 1;
        }

        @Override
        public SessionStats stats() {
            return new SessionStats(polls.get(), 0, 0, 0, 1.5);
        }

        @Override
        public void close() {
            closed = true;
            release.countDown();
        }
    }

    /** Collects everything a tag bus delivers. */
    public static final class Recorder implements io.cellgate.api.bus.TagListener {
        public final List<TagValue> values = new CopyOnWriteArrayList<>();
        public final List<String> catalogChanges = new CopyOnWriteArrayList<>();
        public final List<io.cellgate.api.bus.DeviceState> states = new CopyOnWriteArrayList<>();

        @Override
        public void onValue(io.cellgate.api.tag.TagInfo tag, TagValue value) {
            values.add(value);
        }

        @Override
        public void onCatalogChanged(String deviceId) {
            catalogChanges.add(deviceId);
        }

        @Override
        public void onDeviceState(io.cellgate.api.bus.DeviceState state) {
            states.add(state);
        }

        public List<Object> payloads() {
            List<Object> out = new ArrayList<>();
            for (TagValue v : values) {
                out.add(v.value());
            }
            return out;
        }
    }
}
