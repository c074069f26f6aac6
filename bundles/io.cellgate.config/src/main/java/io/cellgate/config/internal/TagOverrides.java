package io.cellgate.config.internal;

import io.cellgate.api.config.Access;
import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.api.tag.TagPath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A device's {@code tags:} overrides in cell.yaml: per tag of its profile, the fields that describe a value rather
 * than where it is (description, unit, scale, offset, access, min, max, deadband, pollGroup). Where the register is and
 * how it is decoded stay the profile's: a device cannot move a tag. The result is a device-specific profile with the
 * id {@code <profile>@<device>} ({@code @} cannot occur in a profile file's id, so it never collides with one).
 */
final class TagOverrides {

    static final String KEY = "tags";
    static final List<String> FIELDS = List.of("description", "unit", "scale", "offset", "access", "min", "max",
            "deadband", "pollGroup");

    private TagOverrides() {
    }

    static String derivedId(String profileId, String deviceId) {
        return profileId + "@" + deviceId;
    }

    /**
     * @param tags the device's {@code tags} node (already known to be present)
     * @return the device's own profile, or null when there were errors (reported) or the mapping is empty
     */
    static DeviceProfile apply(DeviceProfile profile, String deviceId, Nodes tags) {
        Problems problems = tags.problems();
        int before = problems.size();
        Map<String, TagDefinition> byName = new LinkedHashMap<>();
        profile.tags().forEach(t -> byName.put(t.name(), t));
        for (String name : tags.keys()) {
            TagDefinition base = byName.get(name);
            if (base == null) {
                problems.add(tags.file(), tags.keyNode(name), tags.pathOf(name), "profile '" + profile.id()
                        + "' has no tag '" + name + "'" + Nodes.didYouMean(name, byName.keySet()));
                tags.allow(name);
                continue;
            }
            Nodes o = tags.mapping(name, true);
            if (o == null) {
                continue;
            }
            TagDefinition t = override(base, o);
            if (t != null) {
                byName.put(name, t);
            }
        }
        tags.finish();
        if (problems.size() != before || tags.keys().isEmpty()) {
            return null;
        }
        return new DeviceProfile(derivedId(profile.id(), deviceId), profile.vendor(), profile.model(),
                profile.description(), new ArrayList<>(byName.values()));
    }

    private static TagDefinition override(TagDefinition b, Nodes o) {
        Problems problems = o.problems();
        int before = problems.size();
        String description = o.has("description") ? o.string("description", false) : b.description();
        String unit = o.has("unit") ? o.string("unit", false) : b.unit();
        String pollGroup = o.has("pollGroup") ? o.name("pollGroup", false, TagPath.NAME) : b.pollGroup();
        Access access = o.enumValue("access", false, Access.class, b.access());
        Double scale = o.number("scale", b.scale());
        Double offset = o.number("offset", b.offset());
        Double min = o.number("min", b.min());
        Double max = o.number("max", b.max());
        Double deadband = o.number("deadband", b.deadband());
        String typeName = b.dataType().name().toLowerCase(Locale.ROOT);
        if (!b.dataType().isNumeric()) {
            for (String key : List.of("scale", "offset", "min", "max", "deadband")) {
                if (o.has(key)) {
                    o.error(key, "'" + key + "' applies only to numeric types; tag '" + b.name() + "' is " + typeName);
                }
            }
        }
        if (scale != null && scale == 0.0) {
            o.error("scale", "scale must not be 0 (it would turn every value into the offset)");
        }
        if (deadband != null && deadband < 0) {
            o.error("deadband", deadband + " is negative: use 0 to report every change");
        }
        if (min != null && max != null && min > max) {
            o.error(o.has("min") ? "min" : "max", "min " + ProfileParser.fmt(min) + " is greater than max "
                    + ProfileParser.fmt(max));
        }
        if (access == Access.READ_WRITE && !b.area().isWritable()) {
            o.error("access", b.area().name().toLowerCase(Locale.ROOT) + " cannot be written (Modbus allows writes "
                    + "only to coil and holding_register): use read_only");
        }
        o.finish();
        if (problems.size() != before) {
            return null;
        }
        return new TagDefinition(b.name(), b.area(), b.address(), b.dataType(), b.bit(), b.length(), b.byteOrder(),
                b.wordOrder(), scale, offset, unit, description, access, min, max, deadband, pollGroup);
    }
}
