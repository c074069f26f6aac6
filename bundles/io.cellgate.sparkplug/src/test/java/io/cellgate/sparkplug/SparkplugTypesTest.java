package io.cellgate.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellgate.sparkplug.proto.SparkplugB.DataType;
import io.cellgate.sparkplug.proto.SparkplugB.Payload;
import io.cellgate.sparkplug.proto.SparkplugB.Payload.Metric;
import java.math.BigInteger;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SparkplugTypesTest {

    static Stream<Arguments> values() {
        return Stream.of(
                Arguments.of(DataType.Int8, (byte) -128), Arguments.of(DataType.Int8, (byte) 127),
                Arguments.of(DataType.Int16, (short) -32768), Arguments.of(DataType.Int16, (short) 32767),
                Arguments.of(DataType.Int32, Integer.MIN_VALUE), Arguments.of(DataType.Int32, -1),
                Arguments.of(DataType.Int64, Long.MIN_VALUE), Arguments.of(DataType.Int64, Long.MAX_VALUE),
                Arguments.of(DataType.UInt8, (short) 255), Arguments.of(DataType.UInt16, 65535),
                Arguments.of(DataType.UInt32, 4_294_967_295L), Arguments.of(DataType.UInt32, 0L),
                Arguments.of(DataType.UInt64, new BigInteger("18446744073709551615")),
                Arguments.of(DataType.UInt64, BigInteger.valueOf(42)),
                Arguments.of(DataType.Float, -1.5f), Arguments.of(DataType.Float, Float.NaN),
                Arguments.of(DataType.Double, Math.PI), Arguments.of(DataType.Double, Double.NEGATIVE_INFINITY),
                Arguments.of(DataType.Boolean, true), Arguments.of(DataType.Boolean, false),
                Arguments.of(DataType.String, "Grüße / ünïcode ✓"), Arguments.of(DataType.String, ""),
                Arguments.of(DataType.Text, "long text\nline 2"),
                Arguments.of(DataType.UUID, "5b3e8f30-1f0e-4c1c-9a5e-0d3a2b1c0e9f"),
                Arguments.of(DataType.DateTime, Instant.parse("2009-10-21T05:27:55.335Z")),
                Arguments.of(DataType.Bytes, new byte[] {0, 1, (byte) 0xFF}),
                Arguments.of(DataType.File, new byte[] {42}),
                Arguments.of(DataType.Int8Array, new byte[] {-23, 123}),
                Arguments.of(DataType.Int16Array, new short[] {-30000, 30000}),
                Arguments.of(DataType.Int32Array, new int[] {-1, 315338746}),
                Arguments.of(DataType.Int64Array, new long[] {-4270929666821191986L, -3601064768563266876L}),
                Arguments.of(DataType.UInt8Array, new short[] {23, 250}),
                Arguments.of(DataType.UInt16Array, new int[] {30, 52360}),
                Arguments.of(DataType.UInt32Array, new long[] {52, 3293969225L}),
                Arguments.of(DataType.UInt64Array, new BigInteger[] {BigInteger.valueOf(52),
                        new BigInteger("16444743074749521625")}),
                Arguments.of(DataType.FloatArray, new float[] {1.23f, 89.341f}),
                Arguments.of(DataType.DoubleArray, new double[] {12.354213, 1022.9123213}),
                Arguments.of(DataType.BooleanArray, new boolean[] {false, false, true, true, false, true, false, false,
                        true, true, false, true}),
                Arguments.of(DataType.StringArray, new String[] {"ABC", "hello", ""}),
                Arguments.of(DataType.DateTimeArray, new Instant[] {Instant.ofEpochMilli(1256102875335L),
                        Instant.ofEpochMilli(1656107875000L)}));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("values")
    void encodeDecode_throughTheWire_roundTrips(DataType type, Object value) throws Exception {
        Metric.Builder b = Metric.newBuilder().setName("m").setDatatype(type.getNumber());
        SparkplugTypes.encode(b, type, value);
        byte[] wire = Payload.newBuilder().addMetrics(b).build().toByteArray();

        Metric back = Payload.parseFrom(wire).getMetrics(0);
        Object decoded = SparkplugTypes.decode(back, type);

        assertThat(back.getDatatype()).isEqualTo(type.getNumber());
        assertThat(decoded).isInstanceOf(SparkplugTypes.javaType(type));
        assertThat(decoded).isEqualTo(value); // arrays by content, floats exactly (NaN equals NaN)
        assertThat(back.getValueCase()).isEqualTo(SparkplugTypes.valueCase(type));
    }

    @Test
    void encode_arraysAndSigned_matchTheSpecificationExamples() {
        assertThat(bytes(DataType.Int16Array, new short[] {-30000, 30000})).containsExactly(0xD0, 0x8A, 0x30, 0x75);
        assertThat(bytes(DataType.UInt32Array, new long[] {52, 3293969225L}))
                .containsExactly(0x34, 0, 0, 0, 0x49, 0xFB, 0x55, 0xC4);
        assertThat(bytes(DataType.BooleanArray, new boolean[] {false, false, true, true, false, true, false, false,
                true, true, false, true})).containsExactly(0x0C, 0, 0, 0, 0x34, 0xD0);
        assertThat(bytes(DataType.StringArray, new String[] {"ABC", "hello"}))
                .containsExactly(0x41, 0x42, 0x43, 0, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0);
        // Signed 16-bit travels sign-extended in the uint32 int_value.
        assertThat(SparkplugTypes.encode(Metric.newBuilder(), DataType.Int16, (short) -2).getIntValue()).isEqualTo(-2);
    }

    private static int[] bytes(DataType type, Object value) {
        byte[] b = SparkplugTypes.encode(Metric.newBuilder(), type, value).getBytesValue().toByteArray();
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xFF;
        }
        return out;
    }

    @Test
    void encode_null_setsIsNullWithoutValue() {
        Metric m = SparkplugTypes.encode(Metric.newBuilder(), DataType.Int32, null).build();
        assertThat(m.getIsNull()).isTrue();
        assertThat(m.getValueCase()).isEqualTo(Metric.ValueCase.VALUE_NOT_SET);
        assertThat(SparkplugTypes.decode(m, DataType.Int32)).isNull();
    }

    @Test
    void encode_outOfRangeOrWrongJavaType_isRefusedWithTypeAndValue() {
        assertThatThrownBy(() -> SparkplugTypes.encode(Metric.newBuilder(), DataType.Int16, 40000))
                .hasMessageContaining("Int16").hasMessageContaining("40000");
        assertThatThrownBy(() -> SparkplugTypes.encode(Metric.newBuilder(), DataType.UInt16, -1))
                .hasMessageContaining("UInt16").hasMessageContaining("-1");
        assertThatThrownBy(() -> SparkplugTypes.encode(Metric.newBuilder(), DataType.Int32, 1.5))
                .hasMessageContaining("integral");
        assertThatThrownBy(() -> SparkplugTypes.encode(Metric.newBuilder(), DataType.Boolean, "true"))
                .hasMessageContaining("Boolean");
        assertThatThrownBy(() -> SparkplugTypes.encode(Metric.newBuilder(), DataType.DataSet, "x"))
                .hasMessageContaining("DataSet");
    }

    @Test
    void decode_wrongFieldOrZeroExtendedNegative_isRefused() {
        Metric wrongField = Metric.newBuilder().setFloatValue(1f).build();
        assertThatThrownBy(() -> SparkplugTypes.decode(wrongField, DataType.Int32))
                .hasMessageContaining("int_value").hasMessageContaining("float_value");
        // 0x0000FFFF would be -1 only for a decoder that truncates; we refuse rather than guess.
        Metric zeroExtended = Metric.newBuilder().setIntValue(0xFFFF).build();
        assertThatThrownBy(() -> SparkplugTypes.decode(zeroExtended, DataType.Int16)).hasMessageContaining("65535");
        Metric badBools = Metric.newBuilder().setBytesValue(com.google.protobuf.ByteString.copyFrom(new byte[] {9, 0, 0, 0, 1}))
                .build();
        assertThatThrownBy(() -> SparkplugTypes.decode(badBools, DataType.BooleanArray)).hasMessageContaining("9 values");
    }

    @Test
    void of_everyCellGateType_mapsToTheSparkplugTypeOfItsJavaType() {
        for (io.cellgate.api.tag.DataType t : io.cellgate.api.tag.DataType.values()) {
            DataType sp = SparkplugTypes.of(t);
            assertThat(SparkplugTypes.javaType(sp)).as(t.name()).isEqualTo(t.javaType());
        }
        assertThat(SparkplugTypes.of(Fixtures.info("d", "t", io.cellgate.api.tag.DataType.INT16, true, false)))
                .isEqualTo(DataType.Double);
    }
}
