package io.cellgate.mqtt.internal;

import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.bus.Subscription;
import io.cellgate.api.bus.TagBus;
import io.cellgate.api.bus.TagListener;
import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A tag bus the test drives, delivering to subscribers like the core does. */
final class FakeBus implements TagBus {

    private final Map<TagPath, TagInfo> infos = new ConcurrentHashMap<>();
    private final Map<TagPath, TagValue> values = new ConcurrentHashMap<>();
    private final Map<String, DeviceState> devices = new ConcurrentHashMap<>();
    private final List<TagListener> listeners = new CopyOnWriteArrayList<>();

    static TagInfo tag(String device, String name, DataType type, boolean writable) {
        return new TagInfo(new TagPath(device, name), type, false, "kW", "power of " + device, writable, 0.0, 1000.0,
                0, "fast", 100);
    }

    static DeviceState state(String device, DeviceState.Status status) {
        return new DeviceState(device, status, null, Instant.now(), 10, 1, 12, 3.5);
    }

    FakeBus with(TagInfo info, TagValue value) {
        infos.put(info.path(), info);
        if (value != null) {
            values.put(info.path(), value);
        }
        devices.putIfAbsent(info.path().device(), state(info.path().device(), DeviceState.Status.CONNECTED));
        return this;
    }

    void publish(TagPath path, TagValue value) {
        values.put(path, value);
        TagInfo info = infos.get(path);
        listeners.forEach(l -> l.onValue(info, value));
    }

    void deviceState(DeviceState state) {
        devices.put(state.deviceId(), state);
        listeners.forEach(l -> l.onDeviceState(state));
    }

    int listeners() {
        return listeners.size();
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
        return infos.values().stream().sorted(Comparator.comparing(TagInfo::path)).toList();
    }

    @Override
    public Collection<DeviceState> devices() {
        return devices.values().stream().sorted(Comparator.comparing(DeviceState::deviceId)).toList();
    }

    @Override
    public Optional<DeviceState> device(String deviceId) {
        return Optional.ofNullable(devices.get(deviceId));
    }

    @Override
    public Subscription subscribe(TagListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
