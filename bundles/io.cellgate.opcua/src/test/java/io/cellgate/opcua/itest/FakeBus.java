package io.cellgate.opcua.itest;

import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.bus.Subscription;
import io.cellgate.api.bus.TagBus;
import io.cellgate.api.bus.TagListener;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A tag bus the test drives: tags, values and device states it sets, delivered to subscribers like the core does. */
final class FakeBus implements TagBus {

    private final Map<TagPath, TagInfo> infos = new ConcurrentHashMap<>();
    private final Map<TagPath, TagValue> values = new ConcurrentHashMap<>();
    private final Map<String, DeviceState> devices = new ConcurrentHashMap<>();
    private final List<TagListener> listeners = new CopyOnWriteArrayList<>();

    /** Adds a tag without notifying (the initial picture). */
    FakeBus with(TagInfo info, TagValue value) {
        infos.put(info.path(), info);
        values.put(info.path(), value);
        return this;
    }

    FakeBus with(DeviceState state) {
        devices.put(state.deviceId(), state);
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

    /** Adds a device's tags (and state) and announces the catalogue change. */
    void addDevice(DeviceState state, Map<TagInfo, TagValue> tags) {
        devices.put(state.deviceId(), state);
        tags.forEach(this::with);
        listeners.forEach(l -> l.onCatalogChanged(state.deviceId()));
    }

    void removeDevice(String deviceId) {
        infos.keySet().removeIf(p -> p.device().equals(deviceId));
        values.keySet().removeIf(p -> p.device().equals(deviceId));
        devices.remove(deviceId);
        listeners.forEach(l -> l.onCatalogChanged(deviceId));
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
