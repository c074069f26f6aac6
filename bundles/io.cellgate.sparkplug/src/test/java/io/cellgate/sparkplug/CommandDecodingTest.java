package io.cellgate.sparkplug;

import static io.cellgate.sparkplug.Fixtures.T1;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.tag.TagPath;
import io.cellgate.sparkplug.CommandError.Kind;
import io.cellgate.sparkplug.proto.SparkplugB.DataType;
import io.cellgate.sparkplug.proto.SparkplugB.Payload;
import io.cellgate.sparkplug.proto.SparkplugB.Payload.Metric;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandDecodingTest {

    private final EdgeNodeProtocol proto = Fixtures.bornProtocol();

    private long alias(String tag) {
        return proto.alias("press1", tag).getAsLong();
    }

    private static byte[] payload(Metric.Builder... metrics) {
        Payload.Builder p = Payload.newBuilder().setTimestamp(T1.toEpochMilli());
        for (Metric.Builder m : metrics) {
            p.addMetrics(m);
        }
        return p.build().toByteArray();
    }

    private static CommandError onlyError(DecodedCommands d) {
        assertThat(d.writes()).isEmpty();
        assertThat(d.errors()).hasSize(1);
        return d.errors().get(0);
    }

    @Test
    void decodeDeviceCommand_byAliasAndByName_yieldsTypedWrites() {
        DecodedCommands d = proto.decodeDeviceCommand("press1", payload(
                Metric.newBuilder().setAlias(alias("speed")).setIntValue(-12),
                Metric.newBuilder().setName("running").setBooleanValue(false),
                Metric.newBuilder().setName("setpoint").setAlias(alias("setpoint")).setDatatype(DataType.Float_VALUE)
                        .setFloatValue(2.5f),
                Metric.newBuilder().setAlias(alias("level")).setIntValue(65535),
                Metric.newBuilder().setName("recipe").setStringValue("C-3"),
                Metric.newBuilder().setName("total").setLongValue(-7)));

        assertThat(d.errors()).isEmpty();
        assertThat(d.rebirth()).isFalse();
        assertThat(d.writes()).containsExactly(
                new CommandWrite(TagPath.parse("press1/speed"), (short) -12, "alias " + alias("speed")),
                new CommandWrite(TagPath.parse("press1/running"), false, "running"),
                new CommandWrite(TagPath.parse("press1/setpoint"), 2.5f, "setpoint"),
                new CommandWrite(TagPath.parse("press1/level"), 65535, "alias " + alias("level")),
                new CommandWrite(TagPath.parse("press1/recipe"), "C-3", "recipe"),
                new CommandWrite(TagPath.parse("press1/total"), -7L, "total"));
    }

    @Test
    void decodeDeviceCommand_unknownAlias_isReported() {
        CommandError e = onlyError(proto.decodeDeviceCommand("press1", payload(Metric.newBuilder().setAlias(4242).setIntValue(1))));
        assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_ALIAS);
        assertThat(e.metric()).isEqualTo("alias 4242");
        assertThat(e.message()).contains("4242").contains("press1");
    }

    @Test
    void decodeDeviceCommand_aliasOfAnotherDevice_isUnknownHere() {
        proto.dbirth("press2", List.of(Fixtures.info("press2", "speed", io.cellgate.api.tag.DataType.INT16, false, true)),
                java.util.Map.of());
        long other = proto.alias("press2", "speed").getAsLong();
        CommandError e = onlyError(proto.decodeDeviceCommand("press1", payload(Metric.newBuilder().setAlias(other).setIntValue(1))));
        assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_ALIAS);
    }

    @Test
    void decodeDeviceCommand_unknownName_isReported() {
        CommandError e = onlyError(proto.decodeDeviceCommand("press1", payload(Metric.newBuilder().setName("nope").setIntValue(1))));
        assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_NAME);
        assertThat(e.metric()).isEqualTo("nope");
    }

    @Test
    void decodeDeviceCommand_nameAndAliasDisagree_isReported() {
        CommandError e = onlyError(proto.decodeDeviceCommand("press1",
                payload(Metric.newBuilder().setName("speed").setAlias(alias("level")).setIntValue(1))));
        assertThat(e.kind()).isEqualTo(Kind.NAME_ALIAS_MISMATCH);
        assertThat(e.message()).contains("speed").contains("level");
    }

    @Test
    void decodeDeviceCommand_noNameNoAlias_isReported() {
        assertThat(onlyError(proto.decodeDeviceCommand("press1", payload(Metric.newBuilder().setIntValue(1)))).kind())
                .isEqualTo(Kind.NO_METRIC_ID);
    }

    @Test
    void decodeDeviceCommand_wrongDatatypeField_isReported() {
        CommandError e = onlyError(proto.decodeDeviceCommand("press1",
                payload(Metric.newBuilder().setName("speed").setDatatype(DataType.Double_VALUE).setDoubleValue(1))));
        assertThat(e.kind()).isEqualTo(Kind.WRONG_DATATYPE);
        assertThat(e.message()).contains("Int16").contains("Double");
    }

    @Test
    void decodeDeviceCommand_valueInWrongField_isReported() {
        CommandError e = onlyError(proto.decodeDeviceCommand("press1",
                payload(Metric.newBuilder().setName("running").setStringValue("true"))));
        assertThat(e.kind()).isEqualTo(Kind.WRONG_DATATYPE);
        assertThat(e.message()).contains("boolean_value").contains("string_value");
    }

    @Test
    void decodeDeviceCommand_nullOrMissingValue_isReported() {
        DecodedCommands d = proto.decodeDeviceCommand("press1", payload(
                Metric.newBuilder().setName("speed").setIsNull(true),
                Metric.newBuilder().setName("running")));
        assertThat(d.writes()).isEmpty();
        assertThat(d.errors()).extracting(CommandError::kind).containsExactly(Kind.NULL_VALUE, Kind.NULL_VALUE);
    }

    @Test
    void decodeDeviceCommand_readOnlyTag_isNotWritable() {
        CommandError e = onlyError(proto.decodeDeviceCommand("press1", payload(Metric.newBuilder().setName("temp").setDoubleValue(1))));
        assertThat(e.kind()).isEqualTo(Kind.NOT_WRITABLE);
        assertThat(e.message()).contains("press1/temp");
    }

    @Test
    void decodeDeviceCommand_outOfRangeOrNotFinite_isReported() {
        DecodedCommands d = proto.decodeDeviceCommand("press1", payload(
                Metric.newBuilder().setName("speed").setIntValue(70000),
                Metric.newBuilder().setName("level").setIntValue(-1),
                Metric.newBuilder().setName("setpoint").setFloatValue(Float.NaN)));
        assertThat(d.writes()).isEmpty();
        assertThat(d.errors()).extracting(CommandError::kind).containsOnly(Kind.OUT_OF_RANGE);
        assertThat(d.errors().get(0).message()).contains("70000");
    }

    @Test
    void decodeDeviceCommand_mixedGoodAndBad_keepsTheGoodOnes() {
        DecodedCommands d = proto.decodeDeviceCommand("press1", payload(
                Metric.newBuilder().setName("nope").setIntValue(1),
                Metric.newBuilder().setName("speed").setIntValue(5)));
        assertThat(d.writes()).extracting(CommandWrite::value).containsExactly((short) 5);
        assertThat(d.errors()).extracting(CommandError::kind).containsExactly(Kind.UNKNOWN_NAME);
    }

    @Test
    void decodeDeviceCommand_malformedPayload_isOneClearError() {
        CommandError e = onlyError(proto.decodeDeviceCommand("press1", new byte[] {0x0A, (byte) 0xFF, 0x01}));
        assertThat(e.kind()).isEqualTo(Kind.MALFORMED_PAYLOAD);
        assertThat(e.message()).contains("press1").contains("not a Sparkplug B payload");
        assertThat(onlyError(proto.decodeDeviceCommand("press1", null)).kind()).isEqualTo(Kind.MALFORMED_PAYLOAD);
    }

    @Test
    void decodeDeviceCommand_unbornDevice_isUnknownDevice() {
        CommandError e = onlyError(proto.decodeDeviceCommand("press9", payload(Metric.newBuilder().setName("speed").setIntValue(1))));
        assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_DEVICE);
        assertThat(e.message()).contains("press9");
    }

    @Test
    void decodeNodeCommand_rebirthTrue_requestsRebirth() {
        DecodedCommands d = proto.decodeNodeCommand(payload(
                Metric.newBuilder().setName(EdgeNodeProtocol.REBIRTH).setDatatype(DataType.Boolean_VALUE).setBooleanValue(true)));
        assertThat(d.rebirth()).isTrue();
        assertThat(d.errors()).isEmpty();
        assertThat(d.writes()).isEmpty();
    }

    @Test
    void decodeNodeCommand_badRebirths_areRefused() {
        DecodedCommands d = proto.decodeNodeCommand(payload(
                Metric.newBuilder().setName(EdgeNodeProtocol.REBIRTH).setBooleanValue(false),
                Metric.newBuilder().setName(EdgeNodeProtocol.REBIRTH).setIntValue(1),
                Metric.newBuilder().setName(EdgeNodeProtocol.REBIRTH).setDatatype(DataType.Int32_VALUE).setBooleanValue(true),
                Metric.newBuilder().setName(EdgeNodeProtocol.REBIRTH).setIsNull(true),
                Metric.newBuilder().setName(EdgeNodeProtocol.REBIRTH).setAlias(3).setBooleanValue(true)));
        assertThat(d.rebirth()).isFalse();
        assertThat(d.errors()).extracting(CommandError::kind).containsExactly(Kind.INVALID_REBIRTH, Kind.WRONG_DATATYPE,
                Kind.WRONG_DATATYPE, Kind.NULL_VALUE, Kind.NAME_ALIAS_MISMATCH);
    }

    @Test
    void decodeNodeCommand_nodeMetricsAreReadOnlyAndUnknownOnesUnknown() {
        EdgeNodeProtocol p = new EdgeNodeProtocol("plant", "cell7", Fixtures.CLOCK);
        p.nbirth(0, List.of(new NodeMetric("Health/Uptime", DataType.Int64, 1L, T1)));
        DecodedCommands d = p.decodeNodeCommand(payload(
                Metric.newBuilder().setAlias(p.alias(null, "Health/Uptime").getAsLong()).setLongValue(0),
                Metric.newBuilder().setName("Node Control/Reboot").setBooleanValue(true)));
        assertThat(d.errors()).extracting(CommandError::kind).containsExactly(Kind.NOT_WRITABLE, Kind.UNKNOWN_NAME);
        assertThat(p.decodeNodeCommand(new byte[] {(byte) 0x80}).errors()).extracting(CommandError::kind)
                .containsExactly(Kind.MALFORMED_PAYLOAD);
    }
}
