package io.cellgate.modbus;

import static io.cellgate.modbus.Tags.holding;
import static io.cellgate.modbus.Tags.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellgate.api.config.ByteOrder;
import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.api.config.WordOrder;
import io.cellgate.api.tag.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RegisterCodecTest {

    static Stream<Arguments> everyTypeAndOrder() {
        List<Arguments> args = new ArrayList<>();
        Object[][] samples = {
            {DataType.BOOL, true}, {DataType.BOOL, false},
            {DataType.INT16, (short) -12345}, {DataType.INT16, Short.MIN_VALUE},
            {DataType.UINT16, 65535}, {DataType.UINT16, 258},
            {DataType.INT32, -123456789}, {DataType.INT32, Integer.MAX_VALUE},
            {DataType.UINT32, 4294967295L}, {DataType.UINT32, 0x01020304L},
            {DataType.INT64, Long.MIN_VALUE}, {DataType.INT64, 0x0102030405060708L},
            {DataType.FLOAT32, 123.456f}, {DataType.FLOAT32, -0.0f}, {DataType.FLOAT32, Float.NaN},
            {DataType.FLOAT64, Math.PI}, {DataType.FLOAT64, -1e300},
            {DataType.STRING, "AB-12"}, {DataType.STRING, "ABCDEFG"}, {DataType.STRING, ""},
        };
        for (Object[] s : samples) {
            for (ByteOrder bo : ByteOrder.values()) {
                for (WordOrder wo : WordOrder.values()) {
                    args.add(Arguments.of(s[0], s[1], bo, wo));
                }
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("everyTypeAndOrder")
    void encodeDecode_everyTypeAndOrder_roundTrips(DataType type, Object value, ByteOrder bo, WordOrder wo) {
        TagDefinition def = holding(type, bo, wo);
        int[] regs = RegisterCodec.encode(def, value);
        assertThat(regs).hasSize(def.quantity());
        assertThat(java.util.Arrays.stream(regs).boxed()).allSatisfy(r -> assertThat(r).isBetween(0, 0xFFFF));
        Object decoded = RegisterCodec.decode(def, regs, 0);
        assertThat(decoded).isInstanceOf(type.javaType()).isEqualTo(value);
    }

    @Test
    void encode_float32BigEndianHighFirst_matchesKnownVector() {
        int[] regs = RegisterCodec.encode(holding(DataType.FLOAT32, ByteOrder.BIG_ENDIAN, WordOrder.HIGH_FIRST), 123.456f);
        assertThat(regs).containsExactly(0x42F6, 0xE979);
    }

    @Test
    void encode_float32Orders_matchKnownVectors() {
        assertThat(RegisterCodec.encode(holding(DataType.FLOAT32, ByteOrder.BIG_ENDIAN, WordOrder.LOW_FIRST), 123.456f))
                .containsExactly(0xE979, 0x42F6);
        assertThat(RegisterCodec.encode(holding(DataType.FLOAT32, ByteOrder.LITTLE_ENDIAN, WordOrder.HIGH_FIRST), 123.456f))
                .containsExactly(0xF642, 0x79E9);
        assertThat(RegisterCodec.encode(holding(DataType.FLOAT32, ByteOrder.LITTLE_ENDIAN, WordOrder.LOW_FIRST), 123.456f))
                .containsExactly(0x79E9, 0xF642);
    }

    @Test
    void decode_int32AndInt64_knownVectors() {
        assertThat(RegisterCodec.decode(holding(DataType.INT32, ByteOrder.BIG_ENDIAN, WordOrder.HIGH_FIRST),
                new int[] {0xFFFF, 0xFFFE}, 0)).isEqualTo(-2);
        assertThat(RegisterCodec.decode(holding(DataType.UINT32, ByteOrder.BIG_ENDIAN, WordOrder.LOW_FIRST),
                new int[] {0x0002, 0x0001}, 0)).isEqualTo(0x00010002L);
        assertThat(RegisterCodec.decode(holding(DataType.INT64, ByteOrder.BIG_ENDIAN, WordOrder.HIGH_FIRST),
                new int[] {0x0102, 0x0304, 0x0506, 0x0708}, 0)).isEqualTo(0x0102030405060708L);
        assertThat(RegisterCodec.decode(holding(DataType.UINT16, ByteOrder.LITTLE_ENDIAN, WordOrder.HIGH_FIRST),
                new int[] {0x3412}, 0)).isEqualTo(0x1234);
    }

    @Test
    void decode_fromOffset_readsTheRightRegisters() {
        TagDefinition def = holding(DataType.INT16, ByteOrder.BIG_ENDIAN, WordOrder.HIGH_FIRST);
        assertThat(RegisterCodec.decode(def, new int[] {1, 2, 0xFFFF}, 2)).isEqualTo((short) -1);
    }

    @Test
    void decode_string_trimsTrailingNulsAndSpaces() {
        TagDefinition def = Tags.string("s", 0, 8);
        assertThat(RegisterCodec.decode(def, new int[] {0x4142, 0x2043, 0x2000, 0x0000}, 0)).isEqualTo("AB C");
    }

    @Test
    void decode_nonAsciiString_isRefused() {
        assertThatThrownBy(() -> RegisterCodec.decode(Tags.string("s", 0, 2), new int[] {0x41C3}, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not ASCII");
    }

    @Test
    void decode_bitAndBool_fromRegister() {
        TagDefinition bit = Tags.bit("b", 0, 3);
        assertThat(RegisterCodec.decode(bit, new int[] {0x0008}, 0)).isEqualTo(true);
        assertThat(RegisterCodec.decode(bit, new int[] {0xFFF7}, 0)).isEqualTo(false);
        TagDefinition bool = holding(DataType.BOOL, ByteOrder.BIG_ENDIAN, WordOrder.HIGH_FIRST);
        assertThat(RegisterCodec.decode(bool, new int[] {0x0100}, 0)).isEqualTo(true);
        assertThat(RegisterCodec.decode(bool, new int[] {0}, 0)).isEqualTo(false);
    }

    @Test
    void applyBit_setsAndClearsOnlyThatBit() {
        TagDefinition bit = Tags.bit("b", 0, 15);
        assertThat(RegisterCodec.applyBit(bit, 0x0001, true)).isEqualTo(0x8001);
        assertThat(RegisterCodec.applyBit(bit, 0xFFFF, false)).isEqualTo(0x7FFF);
        TagDefinition swapped = Tags.full("b", RegisterArea.HOLDING_REGISTER, 0, DataType.BIT, 0, 0,
                ByteOrder.LITTLE_ENDIAN, WordOrder.HIGH_FIRST, 1, 0);
        assertThat(RegisterCodec.applyBit(swapped, 0x0000, true)).isEqualTo(0x0100);
        assertThat(RegisterCodec.decode(swapped, new int[] {0x0100}, 0)).isEqualTo(true);
    }

    @Test
    void encode_bit_isRefused() {
        assertThatThrownBy(() -> RegisterCodec.encode(Tags.bit("b", 0, 1), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("applyBit");
    }

    @Test
    void decodeBitAndPack_areInverse() {
        boolean[] values = {true, false, true, true, false, false, false, false, true};
        byte[] packed = RegisterCodec.packBits(values);
        assertThat(packed).containsExactly(0x0D, 0x01);
        for (int i = 0; i < values.length; i++) {
            assertThat(RegisterCodec.decodeBit(packed, i)).isEqualTo(values[i]);
        }
        assertThat(RegisterCodec.unpackBits(packed, 0, 9)).containsExactly(1, 0, 1, 1, 0, 0, 0, 0, 1);
    }

    @Test
    void decode_scaled_returnsRawTimesScalePlusOffset() {
        TagDefinition def = scaled(DataType.INT16, 0.1, -40);
        Object v = RegisterCodec.decode(def, new int[] {0xFFF6}, 0); // -10
        assertThat(v).isInstanceOf(Double.class);
        assertThat((Double) v).isCloseTo(-41.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(RegisterCodec.decode(scaled(DataType.UINT32, 0.5, 0), new int[] {0xFFFF, 0xFFFF}, 0))
                .isEqualTo(4294967295.0 * 0.5);
    }

    @Test
    void encode_scaled_reversesAndRoundsToNearest() {
        assertThat(RegisterCodec.encode(scaled(DataType.INT16, 0.1, -40), -41.0)).containsExactly(0xFFF6);
        assertThat(RegisterCodec.encode(scaled(DataType.UINT16, 0.1, 0), 12.34)).containsExactly(123);
        assertThat(RegisterCodec.encode(scaled(DataType.UINT16, 0.1, 0), 12.36)).containsExactly(124);
        assertThat(RegisterCodec.encode(scaled(DataType.FLOAT32, 2, 1), 5.0))
                .containsExactly(RegisterCodec.encode(holding(DataType.FLOAT32, ByteOrder.BIG_ENDIAN,
                        WordOrder.HIGH_FIRST), 2.0f));
    }

    @Test
    void encode_outOfRange_isRefusedWithTypeAndRange() {
        TagDefinition i16 = holding(DataType.INT16, ByteOrder.BIG_ENDIAN, WordOrder.HIGH_FIRST);
        assertThatThrownBy(() -> RegisterCodec.encode(i16, 32768)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside the INT16 range -32768..32767");
        TagDefinition u16 = holding(DataType.UINT16, ByteOrder.BIG_ENDIAN, WordOrder.HIGH_FIRST);
        assertThatThrownBy(() -> RegisterCodec.encode(u16, -1)).hasMessageContaining("UINT16");
        TagDefinition u32 = holding(DataType.UINT32, ByteOrder.BIG_ENDIAN, WordOrder.HIGH_FIRST);
        assertThatThrownBy(() -> RegisterCodec.encode(u32, 4294967296L)).hasMessageContaining("UINT32");
        TagDefinition i64 = holding(DataType.INT64, ByteOrder.BIG_ENDIAN, WordOrder.HIGH_FIRST);
        assertThatThrownBy(() -> RegisterCodec.encode(i64, 1e19)).hasMessageContaining("INT64");
        assertThatThrownBy(() -> RegisterCodec.encode(scaled(DataType.INT16, 0.01, 0), 400.0))
                .hasMessageContaining("raw 40000");
        TagDefinition f32 = holding(DataType.FLOAT32, ByteOrder.BIG_ENDIAN, WordOrder.HIGH_FIRST);
        assertThatThrownBy(() -> RegisterCodec.encode(f32, 1e300)).hasMessageContaining("overflows FLOAT32");
    }

    @Test
    void encode_nanOrFractionToInteger_isRefused() {
        TagDefinition i32 = holding(DataType.INT32, ByteOrder.BIG_ENDIAN, WordOrder.HIGH_FIRST);
        assertThatThrownBy(() -> RegisterCodec.encode(i32, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> RegisterCodec.encode(i32, 1.5)).hasMessageContaining("not an integer");
        assertThatThrownBy(() -> RegisterCodec.encode(scaled(DataType.INT32, 0.5, 0), Double.POSITIVE_INFINITY))
                .hasMessageContaining("Infinity");
    }

    @Test
    void encode_wrongKind_isRefused() {
        TagDefinition i16 = holding(DataType.INT16, ByteOrder.BIG_ENDIAN, WordOrder.HIGH_FIRST);
        assertThatThrownBy(() -> RegisterCodec.encode(i16, "12")).hasMessageContaining("expected a number");
        TagDefinition bool = holding(DataType.BOOL, ByteOrder.BIG_ENDIAN, WordOrder.HIGH_FIRST);
        assertThatThrownBy(() -> RegisterCodec.encode(bool, 1)).hasMessageContaining("expected a Boolean");
        assertThatThrownBy(() -> RegisterCodec.encode(Tags.string("s", 0, 4), 1)).hasMessageContaining("expected a String");
        assertThatThrownBy(() -> RegisterCodec.encode(i16, null)).hasMessageContaining("null");
    }

    @Test
    void encode_stringTooLongOrNonAscii_isRefused() {
        assertThatThrownBy(() -> RegisterCodec.encode(Tags.string("s", 0, 3), "ABCD"))
                .hasMessageContaining("longer than the tag's 3");
        assertThatThrownBy(() -> RegisterCodec.encode(Tags.string("s", 0, 3), "Ä")).hasMessageContaining("not ASCII");
    }

    @Test
    void decode_tooFewRegisters_isRefused() {
        TagDefinition def = holding(DataType.FLOAT64, ByteOrder.BIG_ENDIAN, WordOrder.HIGH_FIRST);
        assertThatThrownBy(() -> RegisterCodec.decode(def, new int[3], 0)).hasMessageContaining("needs 4 registers");
    }

    @Test
    void decode_coilBool_fromUnpackedBit() {
        TagDefinition coil = Tags.tag("c", RegisterArea.COIL, 5, DataType.BOOL);
        assertThat(RegisterCodec.decode(coil, new int[] {0, 1}, 1)).isEqualTo(true);
        assertThat(RegisterCodec.encode(coil, false)).containsExactly(0);
    }
}
