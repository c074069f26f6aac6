package io.cellgate.api.tag;

/**
 * Data types of tag values, and the Java type a {@link TagValue} carries for each.
 * Numeric values keep their natural Java type; scaled values (scale/offset) are {@link Double}.
 */
public enum DataType {
    /** A coil or discrete input. Java: Boolean. */
    BOOL(1, Boolean.class),
    /** One bit of a 16-bit register. Java: Boolean. */
    BIT(1, Boolean.class),
    INT16(1, Short.class),
    UINT16(1, Integer.class),
    INT32(2, Integer.class),
    UINT32(2, Long.class),
    INT64(4, Long.class),
    FLOAT32(2, Float.class),
    FLOAT64(4, Double.class),
    /** Characters packed two per register; length in characters is configured per tag. Java: String. */
    STRING(0, String.class);

    private final int registers;
    private final Class<?> javaType;

    DataType(int registers, Class<?> javaType) {
        this.registers = registers;
        this.javaType = javaType;
    }

    /** Registers this type occupies (0 for STRING, whose length is configured). */
    public int registers() {
        return registers;
    }

    /** The Java type of an unscaled value. */
    public Class<?> javaType() {
        return javaType;
    }

    public boolean isNumeric() {
        return this != BOOL && this != BIT && this != STRING;
    }
}
