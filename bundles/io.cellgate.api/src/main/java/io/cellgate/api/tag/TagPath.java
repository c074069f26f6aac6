package io.cellgate.api.tag;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Address of a tag within a cell: {@code <device>/<tag>}. Both parts are identifiers made of
 * letters, digits, {@code _ - .}; they start with a letter or digit.
 */
public record TagPath(String device, String tag) implements Comparable<TagPath> {

    /** What a device id or tag name may look like. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,63}");

    public TagPath {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(tag, "tag");
        if (!NAME.matcher(device).matches()) {
            throw new IllegalArgumentException("invalid device id '" + device + "': expected " + NAME.pattern());
        }
        if (!NAME.matcher(tag).matches()) {
            throw new IllegalArgumentException("invalid tag name '" + tag + "': expected " + NAME.pattern());
        }
    }

    /** Parses {@code device/tag}. */
    public static TagPath parse(String path) {
        int slash = path.indexOf('/');
        if (slash <= 0 || slash != path.lastIndexOf('/')) {
            throw new IllegalArgumentException("invalid tag path '" + path + "': expected <device>/<tag>");
        }
        return new TagPath(path.substring(0, slash), path.substring(slash + 1));
    }

    @Override
    public String toString() {
        return device + "/" + tag;
    }

    @Override
    public int compareTo(TagPath o) {
        int c = device.compareTo(o.device);
        return c != 0 ? c : tag.compareTo(o.tag);
    }
}
