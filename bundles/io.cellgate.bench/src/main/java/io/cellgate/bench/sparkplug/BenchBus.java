package io.cellgate.bench.sparkplug;

import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.bus.Subscription;
import io.cellgate.api.bus.TagBus;
import io.cellgate.api.bus.TagListener;
import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tag bus of {@code devices × tags} FLOAT64 tags ({@code dev000/t0000} …), all devices connected, that delivers
 * {@link #publish} calls to its subscribers on the caller's thread, as the core's bus does.
 */
final class BenchBus implements TagBus {

    private final List<TagInfo> tags = new ArrayList<>();
    private final List<DeviceState> devices = new ArrayList<>();
    private final Map<TagPath, TagInfo> infos = new ConcurrentHashMap<>();
    private final Map<TagPath, TagValue> values = new ConcurrentHashMap<>();
    private final List<TagListener> listeners = new CopyOnWriteArrayList<>();

    BenchBus(int deviceCount, int tagsPerDevice) {
        Instant now = Instant.now();
        for (int d = 0; d < deviceCount; d++) {
            String device = device(d);
            devices.add(new DeviceState(device, DeviceState.Status.CONNECTED, null, now, 1, 0, 1, 1.0));
            for (int t = 0; t < tagsPerDevice; t++) {
                TagInfo info = new TagInfo(new TagPath(device, tag(t)), DataType.FLOAT64, false, "kW", "bench tag",
                        false, 0.0, 1e9, 0, "fast", 100);
                tags.add(info);
                infos.put(info.path(), info);
                values.put(info.path(), TagValue.good(0.0, now));
            }
        }
    }

    static String device(int d) {
        return String.format("dev%03d", d);
    }

    static String tag(int t) {
        return String.format("t%04d", t);
    }

    /** The i-th tag, in device-major order. */
    TagInfo tagAt(int i) {
        return tags.get(i);
    }

    int size() {
        return tags.size();
    }

    void publish(TagInfo info, TagValue value) {
        values.put(info.path(), value);
        for (TagListener l : listeners) {
            l.onValue(info, value);
        }
    }

    @Override
    public Optional<TagValue> value(TagPath path) {
        return Optional.ofNullable(values.get(path));
    }

    @Override
    public Optional<TagInfo> info(TagPath path) {
        return Optional.ofNullable(infos.get(path));
    }

    @Override
    public Collection<TagInfo> tags() {
        return tags;
    }

    @Override
    public Collection<DeviceState> devices() {
        return devices;
    }

    @Override
    public Optional<DeviceState> device(String deviceId) {
        return devices.stream().filter(d -> d.deviceId().equals(deviceId)).findFirst();
    }

    @Override
    public Subscription subscribe(TagListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
