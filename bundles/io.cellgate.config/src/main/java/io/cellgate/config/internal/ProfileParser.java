package io.cellgate.config.internal;

import io.cellgate.api.config.Access;
import io.cellgate.api.config.ByteOrder;
import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.api.config.WordOrder;
import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.TagPath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;

/** Turns one profile file's node tree into a {@link DeviceProfile}, reporting every problem. */
final class ProfileParser {

    /** A string must fit one read request (125 registers of two characters). */
    static final int MAX_STRING_LENGTH = 250;
    static final int MAX_ADDRESS = 65535;

    private ProfileParser() {
    }

    /**
     * @param expectedId the id the file name implies ({@code <id>.yaml}), or null to accept any
     * @return the profile, or null when there were errors
     */
    static DeviceProfile parse(Node root, String file, String expectedId, Problems problems) {
        int before = problems.size();
        Nodes top = Nodes.of(file, "", root, problems);
        if (top == null) {
            return null;
        }
        Nodes head = top.mapping("profile", true);
        String id = null;
        String vendor = null;
        String model = null;
        String description = null;
        if (head != null) {
            id = head.name("id", true, TagPath.NAME);
            vendor = head.string("vendor", false);
            model = head.string("model", false);
            description = head.string("description", false);
            head.finish();
            if (id != null && expectedId != null && !id.equals(expectedId)) {
                head.error("id", "profile id '" + id + "' does not match the file name: name the file '" + id
                        + ".yaml' or change the id to '" + expectedId + "'");
            }
        }
        List<TagDefinition> tags = new ArrayList<>();
        List<Nodes> tagNodes = new ArrayList<>();
        List<Node> items = top.list("tags", true);
        if (items != null) {
            if (items.isEmpty()) {
                top.error("tags", "a profile needs at least one tag");
            }
            Map<String, Integer> names = new HashMap<>();
            for (int i = 0; i < items.size(); i++) {
                Nodes t = Nodes.of(file, "tags[" + i + "]", items.get(i), problems);
                if (t == null) {
                    continue;
                }
                TagDefinition tag = tag(t);
                if (tag == null) {
                    continue;
                }
                Integer first = names.putIfAbsent(tag.name(), i);
                if (first != null) {
                    t.error("name", "duplicate tag name '" + tag.name() + "' (also tags[" + first + "])");
                    continue;
                }
                tags.add(tag);
                tagNodes.add(t);
            }
            checkOverlaps(tags, tagNodes);
        }
        top.finish();
        return problems.size() == before ? new DeviceProfile(id, vendor, model, description, tags) : null;
    }

    private static TagDefinition tag(Nodes t) {
        Problems problems = t.problems();
        int before = problems.size();
        String name = t.name("name", true, TagPath.NAME);
        RegisterArea area = t.enumValue("area", true, RegisterArea.class, null);
        Long address = t.integer("address", 0, MAX_ADDRESS, null);
        if (address == null && !t.has("address")) {
            t.missing("address");
        }
        DataType type = t.enumValue("type", area != null && !area.isBits(), DataType.class,
                area != null && area.isBits() ? DataType.BOOL : null);
        String unit = t.string("unit", false);
        String description = t.string("description", false);
        String pollGroup = t.name("pollGroup", false, TagPath.NAME);
        Access access = t.enumValue("access", false, Access.class, Access.READ_ONLY);
        if (area == null || type == null || address == null) {
            t.allow("bit", "length", "byteOrder", "wordOrder", "scale", "offset", "min", "max", "deadband");
            t.finish();
            return null;
        }
        String areaName = area.name().toLowerCase(Locale.ROOT);
        String typeName = type.name().toLowerCase(Locale.ROOT);

        if (area.isBits() && type != DataType.BOOL) {
            t.error("type", "type " + typeName + " is not possible in " + areaName
                    + ": coils and discrete inputs are single bits, use bool");
        }
        Long bit = t.integer("bit", 0, 15, null);
        if (type == DataType.BIT) {
            if (bit == null && !t.has("bit")) {
                t.missing("bit");
            }
        } else if (t.has("bit")) {
            t.error("bit", "'bit' applies only to type bit (one bit of a register), not to " + typeName);
        }
        Long length = t.integer("length", 1, MAX_STRING_LENGTH, null);
        if (type == DataType.STRING) {
            if (length == null && !t.has("length")) {
                t.missing("length");
            }
        } else if (t.has("length")) {
            t.error("length", "'length' applies only to type string, not to " + typeName);
        }
        ByteOrder byteOrder = t.enumValue("byteOrder", false, ByteOrder.class, ByteOrder.BIG_ENDIAN);
        if (area.isBits() && t.has("byteOrder")) {
            t.error("byteOrder", "'byteOrder' does not apply to " + areaName + " (single bits)");
        }
        WordOrder wordOrder = t.enumValue("wordOrder", false, WordOrder.class, WordOrder.HIGH_FIRST);
        if (t.has("wordOrder") && !(type.isNumeric() && type.registers() > 1)) {
            t.error("wordOrder", "'wordOrder' applies only to 32- and 64-bit types, not to " + typeName);
        }
        Double scale = t.number("scale", 1.0);
        Double offset = t.number("offset", 0.0);
        Double min = t.number("min", null);
        Double max = t.number("max", null);
        Double deadband = t.number("deadband", 0.0);
        if (!type.isNumeric()) {
            for (String key : List.of("scale", "offset", "min", "max", "deadband")) {
                if (t.has(key)) {
                    t.error(key, "'" + key + "' applies only to numeric types, not to " + typeName);
                }
            }
        }
        if (scale != null && scale == 0.0) {
            t.error("scale", "scale must not be 0 (it would turn every value into the offset)");
        }
        if (deadband != null && deadband < 0) {
            t.error("deadband", deadband + " is negative: use 0 to report every change");
        }
        if (min != null && max != null && min > max) {
            t.error("min", "min " + fmt(min) + " is greater than max " + fmt(max));
        }
        if (access == Access.READ_WRITE && !area.isWritable()) {
            t.error("access", areaName + " cannot be written (Modbus allows writes only to coil and "
                    + "holding_register): use read_only");
        }
        t.finish();
        if (problems.size() != before) {
            return null;
        }
        TagDefinition tag = new TagDefinition(name, area, address.intValue(), type,
                bit == null ? -1 : bit.intValue(), length == null ? 0 : length.intValue(), byteOrder, wordOrder,
                scale, offset, unit, description, access, min, max, deadband, pollGroup);
        if (address + tag.quantity() - 1 > MAX_ADDRESS) {
            t.error("address", "address " + address + " + " + tag.quantity() + " " + unitWord(area)
                    + " of " + typeName + " ends at " + (address + tag.quantity() - 1) + ", beyond " + MAX_ADDRESS);
            return null;
        }
        return tag;
    }

    /**
     * Two tags of one area may share a register only when both are bit tags of different bits, or one
     * of them is a bit tag (a bit view of a status word, for instance). Two whole-register values on
     * the same register cannot both be right, so that is an error.
     */
    private static void checkOverlaps(List<TagDefinition> tags, List<Nodes> nodes) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < tags.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.<Integer, RegisterArea>comparing(i -> tags.get(i).area())
                .thenComparingInt(i -> tags.get(i).address()).thenComparingInt(i -> i));
        for (int a = 0; a < order.size(); a++) {
            TagDefinition x = tags.get(order.get(a));
            int xEnd = x.address() + x.quantity() - 1;
            for (int b = a + 1; b < order.size(); b++) {
                TagDefinition y = tags.get(order.get(b));
                if (y.area() != x.area() || y.address() > xEnd) {
                    break;
                }
                boolean xBit = x.dataType() == DataType.BIT;
                boolean yBit = y.dataType() == DataType.BIT;
                if (xBit && yBit && x.bit() != y.bit()) {
                    continue;
                }
                if (xBit != yBit) {
                    continue;
                }
                // Report at the later tag in the file, pointing back to the earlier one.
                int xi = order.get(a);
                int yi = order.get(b);
                int later = Math.max(xi, yi);
                TagDefinition other = tags.get(Math.min(xi, yi));
                TagDefinition self = tags.get(later);
                String what = xBit ? "bit " + x.bit() + " of " + unitWord(x.area()).replaceAll("s$", "") + " "
                        + x.address() : range(self);
                nodes.get(later).error("address", what + " of " + self.area().name().toLowerCase(Locale.ROOT)
                        + " is also claimed by tag '" + other.name() + "' (" + range(other)
                        + "); only bit tags may share a register");
            }
        }
    }

    private static String range(TagDefinition t) {
        String word = unitWord(t.area());
        return t.quantity() == 1 ? word.replaceAll("s$", "") + " " + t.address()
                : word + " " + t.address() + ".." + (t.address() + t.quantity() - 1);
    }

    private static String unitWord(RegisterArea area) {
        return area.isBits() ? "bits" : "registers";
    }

    static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
