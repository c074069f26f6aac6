package io.cellgate.api.policy;

import java.util.Objects;

/**
 * What is accessed: a tag ({@code <device>/<tag>}) or a configuration section or object
 * ({@code devices}, {@code devices/press-1}, {@code users/otto}).
 *
 * @param type     tag or section
 * @param name     the tag path or the section name
 * @param writable for a tag: whether its profile declares it read-write; null when unknown
 * @param min      for a tag: the profile's lower limit, or null
 * @param max      for a tag: the profile's upper limit, or null
 */
public record Resource(Type type, String name, Boolean writable, Double min, Double max) {

    public enum Type {
        TAG, SECTION
    }

    public Resource {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
    }

    /** A tag whose profile is not known to the caller (browse, read, subscribe). */
    public static Resource tag(String path) {
        return new Resource(Type.TAG, path, null, null, null);
    }

    /** A tag with what its profile says about writing it. */
    public static Resource tag(String path, boolean writable, Double min, Double max) {
        return new Resource(Type.TAG, path, writable, min, max);
    }

    /** A configuration section or object, or the target of a management action ({@code users}, {@code audit}). */
    public static Resource section(String name) {
        return new Resource(Type.SECTION, name, null, null, null);
    }
}
