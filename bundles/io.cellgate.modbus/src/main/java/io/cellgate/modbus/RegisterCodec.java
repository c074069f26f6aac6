package io.cellgate.modbus;

import io.cellgate.api.config.ByteOrder;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.api.config.WordOrder;
import io.cellgate.api.tag.DataType;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Converts between tag values and 16-bit registers (each an int 0..65535).
 *
 * <p>Byte order swaps the two bytes inside each register; word order says whether the first
 * register (lowest address) holds the most significant word. Strings are two characters per
 * register (first character in the high byte after byte-order correction) and ignore word order.
 * Bit areas (coils, discrete inputs) are passed as one int per bit, 0 or 1. Bit numbering for
 * {@link DataType#BIT} is 0 = least significant bit of the register value after byte-order correction.
 */
public final class RegisterCodec {

    private RegisterCodec() {
    }

    /**
     * Decodes a tag from {@code def.quantity()} registers starting at {@code from}.
     *
     * @throws IllegalArgumentException when the registers cannot hold a value of the tag (too few,
     *         out of 0..65535, non-ASCII string bytes)
     */
    public static Object decode(TagDefinition def, int[] registers, int from) {
        int n = def.quantity();
        if (from < 0 || from + n > registers.length) {
            throw new IllegalArgumentException("tag " + def.name() + ": needs " + n + " registers at index " + from
                    + ", only " + registers.length + " available");
        }
        int[] regs = new int[n];
        for (int i = 0; i < n; i++) {
            int r = registers[from + i];
            if (r < 0 || r > 0xFFFF) {
                throw new IllegalArgumentException("tag " + def.name() + ": register value " + r + " is not 16-bit");
            }
            regs[i] = def.byteOrder() == ByteOrder.LITTLE_ENDIAN && !def.area().isBits() ? swap(r) : r;
        }
        DataType type = def.dataType();
        switch (type) {
            case BOOL:
                return regs[0] != 0;
            case BIT:
                checkBit(def);
                return ((regs[0] >> def.bit()) & 1) != 0;
            case STRING:
                return decodeString(def, regs);
            default:
                break;
        }
        long raw = combine(regs, def.wordOrder());
        Object natural;
        double numeric;
        switch (type) {
            case INT16 -> {
                short v = (short) raw;
                natural = v;
                numeric = v;
            }
            case UINT16 -> {
                int v = (int) (raw & 0xFFFF);
                natural = v;
                numeric = v;
            }
            case INT32 -> {
                int v = (int) raw;
                natural = v;
                numeric = v;
            }
            case UINT32 -> {
                long v = raw & 0xFFFF_FFFFL;
                natural = v;
                numeric = v;
            }
            case INT64 -> {
                natural = raw;
                numeric = raw;
            }
            case FLOAT32 -> {
                float v = Float.intBitsToFloat((int) raw);
                natural = v;
                numeric = v;
            }
            case FLOAT64 -> {
                double v = Double.longBitsToDouble(raw);
                natural = v;
                numeric = v;
            }
            default -> throw new IllegalStateException("unhandled data type " + type);
        }
        if (def.isScaled()) {
            return numeric * def.scale() + def.offset();
        }
        return natural;
    }

    /**
     * Encodes a value into the tag's registers (the inverse of {@link #decode}). Scaled tags take the
     * engineering value; it is converted back with (value - offset) / scale and, for integer types,
     * rounded to the nearest integer (halves away from zero).
     *
     * @throws IllegalArgumentException when the value has the wrong kind or is not representable
     */
    public static int[] encode(TagDefinition def, Object value) {
        DataType type = def.dataType();
        if (value == null) {
            throw new IllegalArgumentException("tag " + def.name() + ": null cannot be written");
        }
        int[] regs;
        switch (type) {
            case BIT -> throw new IllegalArgumentException("tag " + def.name()
                    + ": a BIT tag is written by read-modify-write of its register (use applyBit)");
            case BOOL -> regs = new int[] {asBoolean(def, value) ? 1 : 0};
            case STRING -> regs = encodeString(def, value);
            default -> {
                long raw = rawBits(def, value);
                regs = split(raw, type.registers(), def.wordOrder());
            }
        }
        if (def.byteOrder() == ByteOrder.LITTLE_ENDIAN && !def.area().isBits()) {
            for (int i = 0; i < regs.length; i++) {
                regs[i] = swap(regs[i]);
            }
        }
        return regs;
    }

    /** Returns {@code register} (as read from the device) with the tag's bit set or cleared. */
    public static int applyBit(TagDefinition def, int register, boolean value) {
        if (def.dataType() != DataType.BIT) {
            throw new IllegalArgumentException("tag " + def.name() + ": applyBit needs a BIT tag, not " + def.dataType());
        }
        checkBit(def);
        if (register < 0 || register > 0xFFFF) {
            throw new IllegalArgumentException("tag " + def.name() + ": register value " + register + " is not 16-bit");
        }
        boolean swapped = def.byteOrder() == ByteOrder.LITTLE_ENDIAN;
        int r = swapped ? swap(register) : register;
        r = value ? r | (1 << def.bit()) : r & ~(1 << def.bit());
        return swapped ? swap(r) : r;
    }

    /** Bit {@code index} of a Modbus bit field (coils / discrete inputs: LSB of the first byte is bit 0). */
    public static boolean decodeBit(byte[] bits, int index) {
        if (index < 0 || index >= bits.length * 8) {
            throw new IllegalArgumentException("bit " + index + " outside a field of " + bits.length + " bytes");
        }
        return ((bits[index >> 3] >> (index & 7)) & 1) != 0;
    }

    /** Unpacks {@code count} bits of a Modbus bit field into one int (0/1) per bit. */
    public static int[] unpackBits(byte[] bits, int offset, int count) {
        if (offset < 0 || offset + (count + 7) / 8 > bits.length) {
            throw new IllegalArgumentException(count + " bits need " + (count + 7) / 8 + " bytes at " + offset);
        }
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = (bits[offset + (i >> 3)] >> (i & 7)) & 1;
        }
        return out;
    }

    /** Packs booleans into a Modbus bit field. */
    public static byte[] packBits(boolean[] values) {
        byte[] out = new byte[(values.length + 7) / 8];
        for (int i = 0; i < values.length; i++) {
            if (values[i]) {
                out[i >> 3] |= (byte) (1 << (i & 7));
            }
        }
        return out;
    }

    // ---- internals

    private static int swap(int r) {
        return ((r & 0xFF) << 8) | ((r >> 8) & 0xFF);
    }

    private static void checkBit(TagDefinition def) {
        if (def.bit() < 0 || def.bit() > 15) {
            throw new IllegalArgumentException("tag " + def.name() + ": bit " + def.bit() + " outside 0..15");
        }
    }

    private static long combine(int[] regs, WordOrder order) {
        long v = 0;
        int n = regs.length;
        for (int i = 0; i < n; i++) {
            int r = order == WordOrder.HIGH_FIRST ? regs[i] : regs[n - 1 - i];
            v = (v << 16) | r;
        }
        return v;
    }

    private static int[] split(long raw, int n, WordOrder order) {
        int[] regs = new int[n];
        for (int i = 0; i < n; i++) {
            int word = (int) ((raw >>> (16 * (n - 1 - i))) & 0xFFFF); // i = 0 is the most significant word
            regs[order == WordOrder.HIGH_FIRST ? i : n - 1 - i] = word;
        }
        return regs;
    }

    private static String decodeString(TagDefinition def, int[] regs) {
        int length = def.length();
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            int r = regs[i / 2];
            int b = (i % 2 == 0) ? (r >> 8) & 0xFF : r & 0xFF;
            if (b > 0x7F) {
                throw new IllegalArgumentException("tag " + def.name() + ": byte 0x" + Integer.toHexString(b)
                        + " at character " + i + " is not ASCII");
            }
            chars[i] = (char) b;
        }
        int end = length;
        while (end > 0 && (chars[end - 1] == 0 || chars[end - 1] == ' ')) {
            end--;
        }
        return new String(chars, 0, end);
    }

    private static int[] encodeString(TagDefinition def, Object value) {
        if (!(value instanceof CharSequence cs)) {
            throw new IllegalArgumentException("tag " + def.name() + ": expected a String, got " + kind(value));
        }
        String s = cs.toString();
        if (s.length() > def.length()) {
            throw new IllegalArgumentException("tag " + def.name() + ": string of " + s.length()
                    + " characters is longer than the tag's " + def.length());
        }
        int[] regs = new int[def.quantity()];
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0x7F) {
                throw new IllegalArgumentException("tag " + def.name() + ": character '" + c + "' at " + i
                        + " is not ASCII");
            }
            regs[i / 2] |= (i % 2 == 0) ? c << 8 : c;
        }
        return regs;
    }

    private static boolean asBoolean(TagDefinition def, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("tag " + def.name() + ": expected a Boolean, got " + kind(value));
    }

    private static String kind(Object value) {
        return value.getClass().getSimpleName() + " " + value;
    }

    /** The register bit pattern (right-aligned) of a numeric value for the tag's type. */
    private static long rawBits(TagDefinition def, Object value) {
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException("tag " + def.name() + ": expected a number for " + def.dataType()
                    + ", got " + kind(value));
        }
        DataType type = def.dataType();
        boolean floating = type == DataType.FLOAT32 || type == DataType.FLOAT64;
        if (floating) {
            double d = number.doubleValue();
            if (def.isScaled()) {
                d = (d - def.offset()) / def.scale();
            }
            if (type == DataType.FLOAT64) {
                return Double.doubleToRawLongBits(d);
            }
            if (Double.isFinite(d) && Math.abs(d) > Float.MAX_VALUE) {
                throw new IllegalArgumentException("tag " + def.name() + ": " + value + " overflows FLOAT32");
            }
            return Float.floatToRawIntBits((float) d) & 0xFFFF_FFFFL;
        }
        BigInteger integer = toInteger(def, number);
        BigInteger min;
        BigInteger max;
        switch (type) {
            case INT16 -> {
                min = BigInteger.valueOf(Short.MIN_VALUE);
                max = BigInteger.valueOf(Short.MAX_VALUE);
            }
            case UINT16 -> {
                min = BigInteger.ZERO;
                max = BigInteger.valueOf(0xFFFF);
            }
            case INT32 -> {
                min = BigInteger.valueOf(Integer.MIN_VALUE);
                max = BigInteger.valueOf(Integer.MAX_VALUE);
            }
            case UINT32 -> {
                min = BigInteger.ZERO;
                max = BigInteger.valueOf(0xFFFF_FFFFL);
            }
            case INT64 -> {
                min = BigInteger.valueOf(Long.MIN_VALUE);
                max = BigInteger.valueOf(Long.MAX_VALUE);
            }
            default -> throw new IllegalStateException("unhandled data type " + type);
        }
        if (integer.compareTo(min) < 0 || integer.compareTo(max) > 0) {
            throw new IllegalArgumentException("tag " + def.name() + ": " + value
                    + (def.isScaled() ? " (raw " + integer + ")" : "") + " is outside the " + type + " range "
                    + min + ".." + max);
        }
        return integer.longValue(); // two's complement; split() keeps the low bits
    }

    private static BigInteger toInteger(TagDefinition def, Number number) {
        boolean exact = number instanceof Byte || number instanceof Short || number instanceof Integer
                || number instanceof Long || number instanceof BigInteger;
        if (exact && !def.isScaled()) {
            return number instanceof BigInteger b ? b : BigInteger.valueOf(number.longValue());
        }
        double d = number.doubleValue();
        if (number instanceof BigDecimal bd && !def.isScaled()) {
            try {
                return bd.toBigIntegerExact();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("tag " + def.name() + ": " + bd + " is not an integer for "
                        + def.dataType(), e);
            }
        }
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("tag " + def.name() + ": " + d + " cannot be written to "
                    + def.dataType());
        }
        if (def.isScaled()) {
            double raw = (d - def.offset()) / def.scale();
            if (!Double.isFinite(raw)) {
                throw new IllegalArgumentException("tag " + def.name() + ": " + d + " scales to " + raw);
            }
            return new BigDecimal(raw).setScale(0, java.math.RoundingMode.HALF_UP).toBigIntegerExact();
        }
        if (d != Math.rint(d)) {
            throw new IllegalArgumentException("tag " + def.name() + ": " + d + " is not an integer for "
                    + def.dataType());
        }
        return new BigDecimal(d).toBigIntegerExact();
    }
}
