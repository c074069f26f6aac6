package io.cellgate.core.internal.read;

import io.cellgate.api.bus.TagBus;
import io.cellgate.api.driver.DeviceSession;
import io.cellgate.api.read.TagReader;
import io.cellgate.api.tag.QualityReason;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.core.internal.device.DeviceRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link TagReader} on the device sessions the pollers opened: reads the tag's poll group once through
 * {@link DeviceSession#poll} (the session serialises it with the scheduled polls and applies its allowlist) and keeps
 * only the tag asked for. The value does not go onto the bus: a test read is the admin's, not the cell's data.
 */
@Component(service = TagReader.class)
public final class TagReaderImpl implements TagReader {

    private final TagBus bus;
    private final DeviceRegistry devices;
    private final Clock clock;

    @Activate
    public TagReaderImpl(@Reference TagBus bus, @Reference DeviceRegistry devices) {
        this(bus, devices, Clock.systemUTC());
    }

    TagReaderImpl(TagBus bus, DeviceRegistry devices, Clock clock) {
        this.bus = bus;
        this.devices = devices;
        this.clock = clock;
    }

    @Override
    public Optional<TagValue> readNow(TagPath path) {
        Optional<TagInfo> info = bus.info(path);
        if (info.isEmpty()) {
            return Optional.empty();
        }
        Optional<DeviceRegistry.Entry> entry = devices.device(path.device());
        if (entry.isEmpty()) {
            return Optional.of(TagValue.bad(QualityReason.COMM_FAILURE, "device " + path.device() + " is not running",
                    clock.instant()));
        }
        DeviceRegistry.Entry e = entry.get();
        if (!e.enabled()) {
            return Optional.of(TagValue.bad(QualityReason.DEVICE_DISABLED, "device " + path.device() + " is disabled",
                    clock.instant()));
        }
        if (e.session() == null) {
            return Optional.of(TagValue.bad(QualityReason.CONFIG_ERROR, e.error(), clock.instant()));
        }
        Map<String, TagValue> values = e.session().poll(info.get().pollGroup());
        TagValue v = values.get(path.tag());
        return Optional.of(v != null ? v : TagValue.bad(QualityReason.BAD_RESPONSE,
                "the driver returned no value for " + path.tag(), clock.instant()));
    }
}
