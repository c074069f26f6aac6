package io.cellgate.health.internal;

import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.bus.Subscription;
import io.cellgate.api.bus.TagBus;
import io.cellgate.api.bus.TagListener;
import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A tag bus the test fills. */
final class FakeBus implements TagBus {

    final Map<TagPath, TagInfo> infos = new TreeMap<>();
    final Map<TagPath, TagValue> values = new TreeMap<>();
    final Map<String, DeviceState> devices = new TreeMap<>();
    final List<TagListener> listeners = new CopyOnWriteArrayList<>();

    static TagInfo tag(String device, String name, String group, long intervalMillis) {
        return new TagInfo(new TagPath(device, name), DataType.FLOAT32, false, "kW", "", false, null, null, 0, group,
                intervalMillis);
    }

    void put(TagInfo info, TagValue value) {
        infos.put(info.path(), info);
        if (value != null) {
            values.put(info.path(), value);
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
        return List.copyOf(infos.values());
    }

    @Override
    public Collection<DeviceState> devices() {
        return List.copyOf(devices.values());
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
