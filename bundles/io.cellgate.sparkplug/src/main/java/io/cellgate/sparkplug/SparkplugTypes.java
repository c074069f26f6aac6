package io.cellgate.sparkplug;

import com.google.protobuf.ByteString;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.sparkplug.proto.SparkplugB.DataType;
import io.cellgate.sparkplug.proto.SparkplugB.Payload.Metric;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps CellGate data types to Sparkplug data types and encodes/decodes metric values.
 *
 * <p>Java types per Sparkplug type (what {@link #decode} returns and {@link #encode} accepts):
 * Int8 Byte, Int16 Short, Int32 Integer, Int64 Long, UInt8 Short, UInt16 Integer, UInt32 Long,
 * UInt64 BigInteger, Float Float, Double Double, Boolean Boolean, String/Text/UUID String,
 * DateTime Instant, Bytes/File byte[]; arrays: Int8Array byte[], Int16Array short[], Int32Array int[],
 * Int64Array long[], UInt8Array short[], UInt16Array int[], UInt32Array long[], UInt64Array BigInteger[],
 * FloatArray float[], DoubleArray double[], BooleanArray boolean[], StringArray String[],
 * DateTimeArray Instant[]. {@link #encode} also accepts any integral Number that fits the range.
 *
 * <p>Signed 8/16/32-bit values travel sign-extended in the uint32 {@code int_value} (two's complement of
 * the 32-bit value), 64-bit values in {@code long_value}; arrays as little-endian packed bytes.
 */
public final class SparkplugTypes {

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private SparkplugTypes() {
    }

    /** The Sparkplug type a tag is published with: scaled tags are Double, others follow their data type. */
    public static DataType of(TagInfo info) {
        return info.scaled() ? DataType.Double : of(info.dataType());
    }

    /** The Sparkplug type of an unscaled CellGate data type. */
    public static DataType of(io.cellgate.api.tag.DataType type) {
        return switch (type) {
            case BOOL, BIT -> DataType.Boolean;
            case INT16 -> DataType.Int16;
            case UINT16 -> DataType.UInt16;
            case INT32 -> DataType.Int32;
            case UINT32 -> DataType.UInt32;
            case INT64 -> DataType.Int64;
            case FLOAT32 -> DataType.Float;
            case FLOAT64 -> DataType.Double;
            case STRING -> DataType.String;
        };
    }

    /** The Java type {@link #decode} returns for a Sparkplug type. */
    public static Class<?> javaType(DataType type) {
        return switch (type) {
            case Int8 -> Byte.class;
            case Int16, UInt8 -> Short.class;
            case Int32, UInt16 -> Integer.class;
            case Int64, UInt32 -> Long.class;
            case UInt64 -> BigInteger.class;
            case Float -> Float.class;
            case Double -> Double.class;
            case Boolean -> Boolean.class;
            case String, Text, UUID -> String.class;
            case DateTime -> Instant.class;
            case Bytes, File, Int8Array -> byte[].class;
            case Int16Array, UInt8Array -> short[].class;
            case Int32Array, UInt16Array -> int[].class;
            case Int64Array, UInt32Array -> long[].class;
            case UInt64Array -> BigInteger[].class;
            case FloatArray -> float[].class;
            case DoubleArray -> double[].class;
            case BooleanArray -> boolean[].class;
            case StringArray -> String[].class;
            case DateTimeArray -> Instant[].class;
            default -> throw new IllegalArgumentException("Sparkplug type " + type + " is not supported by CellGate");
        };
    }

    /**
     * Sets the datatype-specific value of a metric. A null value sets {@code is_null} and no value.
     *
     * @throws IllegalArgumentException when the value's Java type or range does not fit the Sparkplug type
     */
    public static Metric.Builder encode(Metric.Builder metric, DataType type, Object value) {
        if (value == null) {
            return metric.clearValue().setIsNull(true);
        }
        switch (type) {
            case Int8 -> metric.setIntValue((int) integral(type, value, Byte.MIN_VALUE, Byte.MAX_VALUE));
            case Int16 -> metric.setIntValue((int) integral(type, value, Short.MIN_VALUE, Short.MAX_VALUE));
            case Int32 -> metric.setIntValue((int) integral(type, value, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case UInt8 -> metric.setIntValue((int) integral(type, value, 0, 0xFF));
            case UInt16 -> metric.setIntValue((int) integral(type, value, 0, 0xFFFF));
            case UInt32 -> metric.setIntValue((int) integral(type, value, 0, 0xFFFF_FFFFL));
            case Int64 -> metric.setLongValue(integral(type, value, Long.MIN_VALUE, Long.MAX_VALUE));
            case UInt64 -> metric.setLongValue(unsigned64(type, value));
            case Float -> metric.setFloatValue(number(type, value).floatValue());
            case Double -> metric.setDoubleValue(number(type, value).doubleValue());
            case Boolean -> metric.setBooleanValue(cast(type, value, Boolean.class));
            case String, Text, UUID -> metric.setStringValue(cast(type, value, String.class));
            case DateTime -> metric.setLongValue(cast(type, value, Instant.class).toEpochMilli());
            case Bytes, File -> metric.setBytesValue(ByteString.copyFrom(cast(type, value, byte[].class)));
            default -> metric.setBytesValue(ByteString.copyFrom(encodeArray(type, value)));
        }
        return metric.setIsNull(false);
    }

    /**
     * The value of a metric as the Java type of {@link #javaType}, null when {@code is_null} is set.
     *
     * @throws IllegalArgumentException when the metric carries no value, a value of another kind than the
     *                                  type requires, or one out of the type's range
     */
    public static Object decode(Metric metric, DataType type) {
        if (metric.getIsNull()) {
            return null;
        }
        Metric.ValueCase expected = valueCase(type);
        if (metric.getValueCase() != expected) {
            throw new IllegalArgumentException(metric.getValueCase() == Metric.ValueCase.VALUE_NOT_SET
                    ? "no value (and is_null not set)"
                    : type + " needs " + fieldName(expected) + ", got " + fieldName(metric.getValueCase()));
        }
        return switch (type) {
            case Int8 -> (byte) signed(type, metric.getIntValue(), Byte.MIN_VALUE, Byte.MAX_VALUE);
            case Int16 -> (short) signed(type, metric.getIntValue(), Short.MIN_VALUE, Short.MAX_VALUE);
            case Int32 -> metric.getIntValue();
            case UInt8 -> (short) unsigned(type, metric.getIntValue(), 0xFF);
            case UInt16 -> (int) unsigned(type, metric.getIntValue(), 0xFFFF);
            case UInt32 -> Integer.toUnsignedLong(metric.getIntValue());
            case Int64 -> metric.getLongValue();
            case UInt64 -> toUnsigned(metric.getLongValue());
            case Float -> metric.getFloatValue();
            case Double -> metric.getDoubleValue();
            case Boolean -> metric.getBooleanValue();
            case String, Text, UUID -> metric.getStringValue();
            case DateTime -> Instant.ofEpochMilli(metric.getLongValue());
            case Bytes, File -> metric.getBytesValue().toByteArray();
            default -> decodeArray(type, metric.getBytesValue().toByteArray());
        };
    }

    /** Which field of the value oneof carries a Sparkplug type. */
    public static Metric.ValueCase valueCase(DataType type) {
        return switch (type) {
            case Int8, Int16, Int32, UInt8, UInt16, UInt32 -> Metric.ValueCase.INT_VALUE;
            case Int64, UInt64, DateTime -> Metric.ValueCase.LONG_VALUE;
            case Float -> Metric.ValueCase.FLOAT_VALUE;
            case Double -> Metric.ValueCase.DOUBLE_VALUE;
            case Boolean -> Metric.ValueCase.BOOLEAN_VALUE;
            case String, Text, UUID -> Metric.ValueCase.STRING_VALUE;
            case DataSet -> Metric.ValueCase.DATASET_VALUE;
            case Template -> Metric.ValueCase.TEMPLATE_VALUE;
            default -> {
                javaType(type); // rejects the types without a metric value (Unknown, PropertySet, ...)
                yield Metric.ValueCase.BYTES_VALUE;
            }
        };
    }

    /**
     * Converts a decoded Sparkplug value to the Java type CellGate uses for a tag ({@link TagInfo#valueType()}).
     * The Sparkplug type of the metric is {@link #of(TagInfo)}, so this is an identity for all current types;
     * it exists so a future mapping change stays in one place.
     */
    public static Object toTagValue(TagInfo info, Object decoded) {
        if (decoded == null || info.valueType().isInstance(decoded)) {
            return decoded;
        }
        throw new IllegalArgumentException("value " + decoded + " (" + decoded.getClass().getSimpleName()
                + ") does not fit tag " + info.path() + " of type " + info.valueType().getSimpleName());
    }

    // ---- scalars

    private static long integral(DataType type, Object value, long min, long max) {
        long v;
        if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
            v = ((Number) value).longValue();
        } else if (value instanceof BigInteger b && b.bitLength() < 64) {
            v = b.longValue();
        } else {
            throw new IllegalArgumentException(type + " needs an integral number, got " + describe(value));
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(type + " value " + v + " is outside " + min + ".." + max);
        }
        return v;
    }

    private static long unsigned64(DataType type, Object value) {
        BigInteger b = value instanceof BigInteger big ? big : BigInteger.valueOf(integral(type, value, 0, Long.MAX_VALUE));
        if (b.signum() < 0 || b.bitLength() > 64) {
            throw new IllegalArgumentException(type + " value " + b + " is outside 0..2^64-1");
        }
        return b.longValue();
    }

    private static BigInteger toUnsigned(long v) {
        BigInteger b = BigInteger.valueOf(v);
        return v < 0 ? b.add(TWO_64) : b;
    }

    /** A signed 8/16-bit value arrives sign-extended; anything else is refused rather than truncated. */
    private static long signed(DataType type, int raw, int min, int max) {
        if (raw < min || raw > max) {
            throw new IllegalArgumentException(type + " value " + raw + " (int_value " + Integer.toUnsignedString(raw)
                    + ") is outside " + min + ".." + max);
        }
        return raw;
    }

    private static long unsigned(DataType type, int raw, int max) {
        long v = Integer.toUnsignedLong(raw);
        if (v > max) {
            throw new IllegalArgumentException(type + " value " + v + " is outside 0.." + max);
        }
        return v;
    }

    private static Number number(DataType type, Object value) {
        if (value instanceof Number n && !(value instanceof BigInteger)) {
            return n;
        }
        throw new IllegalArgumentException(type + " needs a number, got " + describe(value));
    }

    private static <T> T cast(DataType type, Object value, Class<T> javaType) {
        if (javaType.isInstance(value)) {
            return javaType.cast(value);
        }
        throw new IllegalArgumentException(type + " needs " + javaType.getSimpleName() + ", got " + describe(value));
    }

    static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName() + " " + value;
    }

    static String fieldName(Metric.ValueCase c) {
        return c == Metric.ValueCase.VALUE_NOT_SET ? "no value" : c.name().toLowerCase(java.util.Locale.ROOT);
    }

    // ---- arrays (little-endian packed, specification 6.4.17)

    private static byte[] encodeArray(DataType type, Object value) {
        switch (type) {
            case Int8Array:
                return cast(type, value, byte[].class).clone();
            case UInt8Array: {
                short[] a = cast(type, value, short[].class);
                ByteBuffer b = le(a.length);
                for (short v : a) {
                    b.put((byte) unsignedElement(type, v, 0xFF));
                }
                return b.array();
            }
            case Int16Array: {
                short[] a = cast(type, value, short[].class);
                ByteBuffer b = le(a.length * 2);
                for (short v : a) {
                    b.putShort(v);
                }
                return b.array();
            }
            case UInt16Array: {
                int[] a = cast(type, value, int[].class);
                ByteBuffer b = le(a.length * 2);
                for (int v : a) {
                    b.putShort((short) unsignedElement(type, v, 0xFFFF));
                }
                return b.array();
            }
            case Int32Array: {
                int[] a = cast(type, value, int[].class);
                ByteBuffer b = le(a.length * 4);
                for (int v : a) {
                    b.putInt(v);
                }
                return b.array();
            }
            case UInt32Array: {
                long[] a = cast(type, value, long[].class);
                ByteBuffer b = le(a.length * 4);
                for (long v : a) {
                    b.putInt((int) unsignedElement(type, v, 0xFFFF_FFFFL));
                }
                return b.array();
            }
            case Int64Array: {
                long[] a = cast(type, value, long[].class);
                ByteBuffer b = le(a.length * 8);
                for (long v : a) {
                    b.putLong(v);
                }
                return b.array();
            }
            case UInt64Array: {
                BigInteger[] a = cast(type, value, BigInteger[].class);
                ByteBuffer b = le(a.length * 8);
                for (BigInteger v : a) {
                    b.putLong(unsigned64(type, v));
                }
                return b.array();
            }
            case FloatArray: {
                float[] a = cast(type, value, float[].class);
                ByteBuffer b = le(a.length * 4);
                for (float v : a) {
                    b.putFloat(v);
                }
                return b.array();
            }
            case DoubleArray: {
                double[] a = cast(type, value, double[].class);
                ByteBuffer b = le(a.length * 8);
                for (double v : a) {
                    b.putDouble(v);
                }
                return b.array();
            }
            case DateTimeArray: {
                Instant[] a = cast(type, value, Instant[].class);
                ByteBuffer b = le(a.length * 8);
                for (Instant v : a) {
                    b.putLong(v.toEpochMilli());
                }
                return b.array();
            }
            case BooleanArray: {
                // A 4-byte little-endian count, then the bits packed most significant bit first.
                boolean[] a = cast(type, value, boolean[].class);
                ByteBuffer b = le(4 + (a.length + 7) / 8);
                b.putInt(a.length);
                for (int i = 0; i < a.length; i++) {
                    if (a[i]) {
                        int at = 4 + i / 8;
                        b.put(at, (byte) (b.get(at) | (0x80 >>> (i % 8))));
                    }
                }
                return b.array();
            }
            case StringArray: {
                // Null-terminated UTF-8 strings, so a string must not contain U+0000.
                String[] a = cast(type, value, String[].class);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (int i = 0; i < a.length; i++) {
                    if (a[i] == null || a[i].indexOf('\0') >= 0) {
                        throw new IllegalArgumentException(type + " element " + i + " is null or contains U+0000");
                    }
                    out.writeBytes(a[i].getBytes(StandardCharsets.UTF_8));
                    out.write(0);
                }
                return out.toByteArray();
            }
            default:
                throw new IllegalArgumentException("Sparkplug type " + type + " is not supported by CellGate");
        }
    }

    private static Object decodeArray(DataType type, byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case Int8Array:
                return bytes;
            case UInt8Array: {
                short[] a = new short[bytes.length];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (short) (bytes[i] & 0xFF);
                }
                return a;
            }
            case Int16Array: {
                short[] a = new short[elements(type, bytes, 2)];
                b.asShortBuffer().get(a);
                return a;
            }
            case UInt16Array: {
                int[] a = new int[elements(type, bytes, 2)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = b.getShort() & 0xFFFF;
                }
                return a;
            }
            case Int32Array: {
                int[] a = new int[elements(type, bytes, 4)];
                b.asIntBuffer().get(a);
                return a;
            }
            case UInt32Array: {
                long[] a = new long[elements(type, bytes, 4)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = Integer.toUnsignedLong(b.getInt());
                }
                return a;
            }
            case Int64Array: {
                long[] a = new long[elements(type, bytes, 8)];
                b.asLongBuffer().get(a);
                return a;
            }
            case UInt64Array: {
                BigInteger[] a = new BigInteger[elements(type, bytes, 8)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = toUnsigned(b.getLong());
                }
                return a;
            }
            case FloatArray: {
                float[] a = new float[elements(type, bytes, 4)];
                b.asFloatBuffer().get(a);
                return a;
            }
            case DoubleArray: {
                double[] a = new double[elements(type, bytes, 8)];
                b.asDoubleBuffer().get(a);
                return a;
            }
            case DateTimeArray: {
                Instant[] a = new Instant[elements(type, bytes, 8)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = Instant.ofEpochMilli(b.getLong());
                }
                return a;
            }
            case BooleanArray: {
                if (bytes.length < 4) {
                    throw new IllegalArgumentException(type + " needs a 4-byte count, got " + bytes.length + " bytes");
                }
                long count = Integer.toUnsignedLong(b.getInt());
                if (count > (bytes.length - 4L) * 8 || (count + 7) / 8 != bytes.length - 4) {
                    throw new IllegalArgumentException(type + " announces " + count + " values in "
                            + (bytes.length - 4) + " bytes");
                }
                boolean[] a = new boolean[(int) count];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (bytes[4 + i / 8] & (0x80 >>> (i % 8))) != 0;
                }
                return a;
            }
            case StringArray: {
                if (bytes.length > 0 && bytes[bytes.length - 1] != 0) {
                    throw new IllegalArgumentException(type + " does not end with a null terminator");
                }
                List<String> out = new ArrayList<>();
                int start = 0;
                for (int i = 0; i < bytes.length; i++) {
                    if (bytes[i] == 0) {
                        out.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                        start = i + 1;
                    }
                }
                return out.toArray(String[]::new);
            }
            default:
                throw new IllegalArgumentException("Sparkplug type " + type + " is not supported by CellGate");
        }
    }

    private static int elements(DataType type, byte[] bytes, int size) {
        if (bytes.length % size != 0) {
            throw new IllegalArgumentException(type + " has " + bytes.length + " bytes, not a multiple of " + size);
        }
        return bytes.length / size;
    }

    private static long unsignedElement(DataType type, long v, long max) {
        if (v < 0 || v > max) {
            throw new IllegalArgumentException(type + " element " + v + " is outside 0.." + max);
        }
        return v;
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
