package io.cellgate.api.health;

/** The value type of a health metric; named after the Sparkplug B datatype it is published as. */
public enum MetricType {
    /** {@link Boolean}. */
    BOOLEAN(Boolean.class),
    /** {@link Long}. */
    INT64(Long.class),
    /** {@link Double}. */
    DOUBLE(Double.class),
    /** {@link String}. */
    STRING(String.class);

    private final Class<?> javaType;

    MetricType(Class<?> javaType) {
        this.javaType = javaType;
    }

    /** The Java type of a value of this type. */
    public Class<?> javaType() {
        return javaType;
    }
}
