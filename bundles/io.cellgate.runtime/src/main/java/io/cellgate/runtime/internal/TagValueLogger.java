package io.cellgate.runtime.internal;

import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.bus.Subscription;
import io.cellgate.api.bus.TagBus;
import io.cellgate.api.bus.TagListener;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagValue;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the live values that changed, one line per device, at a fixed interval: how an engineer
 * watching the console (or the demo) sees that the cell is alive without any northbound client.
 */
@Component(configurationPid = TagValueLogger.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = TagValueLogger.Config.class)
public class TagValueLogger implements TagListener {

    static final String PID = "cellgate.valuelog";
    private static final int MAX_TAGS_PER_LINE = 10;
    private static final Logger LOG = LoggerFactory.getLogger("cellgate.values");

    @ObjectClassDefinition(id = PID, name = "CellGate live value log",
            description = "Logs the tag values that changed, one line per device, at a fixed interval.")
    @interface Config {
        @AttributeDefinition(name = "Interval (ms)", min = "500")
        long interval_ms() default 2000;
    }

    private final Map<String, Map<String, String>> changed = new ConcurrentHashMap<>();
    private final Subscription subscription;
    private final ScheduledExecutorService timer;

    @Activate
    public TagValueLogger(@Reference TagBus bus, Config config) {
        subscription = bus.subscribe(this);
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "cellgate-valuelog"));
        long interval = Math.max(500, config.interval_ms());
        timer.scheduleAtFixedRate(this::flush, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onValue(TagInfo tag, TagValue value) {
        changed.computeIfAbsent(tag.path().device(), d -> new ConcurrentHashMap<>())
                .put(tag.path().tag(), format(tag, value));
    }

    @Override
    public void onDeviceState(DeviceState state) {
        LOG.info("device {} is {}{}", state.deviceId(), state.status(),
                state.lastError() == null ? "" : " (" + state.lastError() + ")");
    }

    static String format(TagInfo tag, TagValue v) {
        if (!v.isGood()) {
            return v.quality() + "(" + v.reason() + ")";
        }
        Object value = v.value();
        String text = value instanceof Double d ? String.format("%.3f", d)
                : value instanceof Float f ? String.format("%.3f", f) : String.valueOf(value);
        return tag.unit() == null || tag.unit().isEmpty() ? text : text + " " + tag.unit();
    }

    private void flush() {
        for (String device : new TreeMap<>(changed).keySet()) {
            Map<String, String> values = new TreeMap<>(changed.remove(device));
            StringBuilder line = new StringBuilder();
            int n = 0;
            for (Map.Entry<String, String> e : values.entrySet()) {
                if (n++ == MAX_TAGS_PER_LINE) {
                    line.append(", … ").append(values.size() - MAX_TAGS_PER_LINE).append(" more");
                    break;
                }
                line.append(n > 1 ? ", " : "").append(e.getKey()).append('=').append(e.getValue());
            }
            LOG.info("{}: {}", device, line);
        }
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
        subscription.close();
    }
}
