package io.cellgate.sparkplug;

import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.sparkplug.proto.SparkplugB.Payload;
import io.cellgate.sparkplug.proto.SparkplugB.Payload.Metric;
import io.cellgate.sparkplug.proto.SparkplugB.Payload.PropertySet;
import io.cellgate.sparkplug.proto.SparkplugB.Payload.PropertyValue;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shared test data: one press with a handful of typical tags. */
final class Fixtures {

    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    static final Instant T1 = Instant.parse("2026-03-01T09:59:58.123Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private Fixtures() {
    }

    static TagInfo info(String device, String tag, DataType type, boolean scaled, boolean writable) {
        return new TagInfo(new TagPath(device, tag), type, scaled, null, null, writable, null, null, 0, "fast", 1000);
    }

    static List<TagInfo> pressTags() {
        List<TagInfo> tags = new ArrayList<>();
        tags.add(new TagInfo(new TagPath("press1", "speed"), DataType.INT16, false, "rpm", "Spindle speed", true,
                0.0, 3000.0, 0, "fast", 500));
        tags.add(new TagInfo(new TagPath("press1", "temp"), DataType.INT16, true, "°C", null, false, -20.0, 150.0, 0.5,
                "slow", 5000));
        tags.add(info("press1", "count", DataType.UINT32, false, false));
        tags.add(info("press1", "running", DataType.BOOL, false, true));
        tags.add(info("press1", "recipe", DataType.STRING, false, true));
        tags.add(info("press1", "setpoint", DataType.FLOAT32, false, true));
        tags.add(info("press1", "level", DataType.UINT16, false, true));
        tags.add(info("press1", "total", DataType.INT64, false, true));
        return tags;
    }

    static Map<TagPath, TagValue> pressValues() {
        Map<TagPath, TagValue> v = new LinkedHashMap<>();
        v.put(TagPath.parse("press1/speed"), TagValue.good((short) 1200, T1));
        v.put(TagPath.parse("press1/temp"), TagValue.good(61.5, T1));
        v.put(TagPath.parse("press1/count"), TagValue.good(4_000_000_000L, T1));
        v.put(TagPath.parse("press1/running"), TagValue.good(true, T1));
        v.put(TagPath.parse("press1/recipe"), TagValue.good("A-17", T1));
        v.put(TagPath.parse("press1/setpoint"), TagValue.good(12.5f, T1));
        v.put(TagPath.parse("press1/level"), TagValue.good(65_535, T1));
        // press1/total deliberately missing: never read yet
        return v;
    }

    /** A protocol with an NBIRTH and the press's DBIRTH done. */
    static EdgeNodeProtocol bornProtocol() {
        EdgeNodeProtocol p = new EdgeNodeProtocol("plant", "cell7", CLOCK);
        p.nbirth(3, List.of());
        p.dbirth("press1", pressTags(), pressValues());
        return p;
    }

    static Payload decode(SparkplugMessage m) {
        try {
            return Payload.parseFrom(m.payload());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Metric metric(Payload p, String name) {
        return p.getMetricsList().stream().filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name + " in " + p));
    }

    static Map<String, PropertyValue> properties(Metric m) {
        PropertySet ps = m.getProperties();
        Map<String, PropertyValue> out = new LinkedHashMap<>();
        for (int i = 0; i < ps.getKeysCount(); i++) {
            out.put(ps.getKeys(i), ps.getValues(i));
        }
        return out;
    }
}
