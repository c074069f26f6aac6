package io.cellgate.sparkplug;

import static io.cellgate.sparkplug.Fixtures.CLOCK;
import static io.cellgate.sparkplug.Fixtures.NOW;
import static io.cellgate.sparkplug.Fixtures.T1;
import static io.cellgate.sparkplug.Fixtures.decode;
import static io.cellgate.sparkplug.Fixtures.metric;
import static io.cellgate.sparkplug.Fixtures.properties;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellgate.api.tag.QualityReason;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.sparkplug.proto.SparkplugB.DataType;
import io.cellgate.sparkplug.proto.SparkplugB.Payload;
import io.cellgate.sparkplug.proto.SparkplugB.Payload.Metric;
import io.cellgate.sparkplug.proto.SparkplugB.Payload.PropertyValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EdgeNodeProtocolTest {

    private static final TagPath SPEED = TagPath.parse("press1/speed");

    @Test
    void ndeath_carriesOnlyBdSeqAndNoSeq() {
        SparkplugMessage m = new EdgeNodeProtocol("plant", "cell7", CLOCK).ndeath(7);
        Payload p = decode(m);
        assertThat(m.topic().format()).isEqualTo("spBv1.0/plant/NDEATH/cell7");
        assertThat(m.qos()).isEqualTo(1);
        assertThat(m.retain()).isFalse();
        assertThat(p.hasSeq()).isFalse();
        assertThat(p.getMetricsCount()).isEqualTo(1);
        assertThat(p.getMetrics(0).getName()).isEqualTo("bdSeq");
        assertThat(p.getMetrics(0).getDatatype()).isEqualTo(DataType.Int64_VALUE);
        assertThat(p.getMetrics(0).getLongValue()).isEqualTo(7);
    }

    @Test
    void nbirth_hasSeqZeroBdSeqRebirthAndNodeMetricsWithAliases() {
        EdgeNodeProtocol proto = new EdgeNodeProtocol("plant", "cell7", CLOCK);
        SparkplugMessage m = proto.nbirth(7, List.of(
                new NodeMetric("Health/Uptime", DataType.Int64, 12345L, T1),
                new NodeMetric("Properties/Version", DataType.String, "0.1.0", T1)));
        Payload p = decode(m);

        assertThat(m.topic().format()).isEqualTo("spBv1.0/plant/NBIRTH/cell7");
        assertThat(m.seq()).isZero();
        assertThat(p.getSeq()).isZero();
        assertThat(p.getTimestamp()).isEqualTo(NOW.toEpochMilli());
        assertThat(metric(p, "bdSeq").getLongValue()).isEqualTo(7);
        assertThat(metric(p, "bdSeq").getDatatype()).isEqualTo(DataType.Int64_VALUE);
        Metric rebirth = metric(p, "Node Control/Rebirth");
        assertThat(rebirth.getDatatype()).isEqualTo(DataType.Boolean_VALUE);
        assertThat(rebirth.getBooleanValue()).isFalse();
        assertThat(rebirth.hasAlias()).as("the specification forbids an alias for the rebirth metric").isFalse();
        Metric uptime = metric(p, "Health/Uptime");
        assertThat(uptime.getAlias()).isEqualTo(proto.alias(null, "Health/Uptime").getAsLong()).isPositive();
        assertThat(uptime.getDatatype()).isEqualTo(DataType.Int64_VALUE);
        assertThat(uptime.getLongValue()).isEqualTo(12345L);
        assertThat(uptime.getTimestamp()).isEqualTo(T1.toEpochMilli());
        assertThat(metric(p, "Properties/Version").getStringValue()).isEqualTo("0.1.0");
        assertThat(proto.isBorn()).isTrue();
    }

    @Test
    void nbirth_reservedOrDuplicateNames_areRefused() {
        EdgeNodeProtocol proto = new EdgeNodeProtocol("plant", "cell7", CLOCK);
        assertThatThrownBy(() -> proto.nbirth(0, List.of(new NodeMetric("bdSeq", DataType.Int64, 1L, T1))))
                .hasMessageContaining("reserved");
        NodeMetric a = new NodeMetric("a", DataType.Int32, 1, T1);
        assertThatThrownBy(() -> proto.nbirth(0, List.of(a, a))).hasMessageContaining("twice");
        assertThatThrownBy(() -> proto.nbirth(256, List.of())).hasMessageContaining("0..255");
        assertThat(proto.isBorn()).isFalse();
    }

    @Test
    void dbirth_carriesEveryTagWithNameAliasTypeValueTimestampAndProperties() {
        EdgeNodeProtocol proto = new EdgeNodeProtocol("plant", "cell7", CLOCK);
        proto.nbirth(0, List.of());
        SparkplugMessage m = proto.dbirth("press1", Fixtures.pressTags(), Fixtures.pressValues());
        Payload p = decode(m);

        assertThat(m.topic().format()).isEqualTo("spBv1.0/plant/DBIRTH/cell7/press1");
        assertThat(p.getSeq()).isEqualTo(1);
        assertThat(p.getMetricsCount()).isEqualTo(8);
        Metric speed = metric(p, "speed");
        assertThat(speed.getAlias()).isEqualTo(proto.alias("press1", "speed").getAsLong());
        assertThat(speed.getDatatype()).isEqualTo(DataType.Int16_VALUE);
        assertThat(speed.getIntValue()).isEqualTo(1200);
        assertThat(speed.getTimestamp()).isEqualTo(T1.toEpochMilli());
        Map<String, PropertyValue> props = properties(speed);
        assertThat(props.get("Quality").getType()).isEqualTo(DataType.Int32_VALUE);
        assertThat(props.get("Quality").getIntValue()).isEqualTo(192);
        assertThat(props.get("engUnit").getStringValue()).isEqualTo("rpm");
        assertThat(props.get("engLow").getDoubleValue()).isEqualTo(0.0);
        assertThat(props.get("engHigh").getDoubleValue()).isEqualTo(3000.0);
        assertThat(props.get("documentation").getStringValue()).isEqualTo("Spindle speed");
        assertThat(props.get("readOnly").getBooleanValue()).isFalse();
        assertThat(props).doesNotContainKey("qualityReason");

        Metric temp = metric(p, "temp");
        assertThat(temp.getDatatype()).as("scaled tags are Double").isEqualTo(DataType.Double_VALUE);
        assertThat(temp.getDoubleValue()).isEqualTo(61.5);
        assertThat(properties(temp).get("engUnit").getStringValue()).isEqualTo("°C");
        assertThat(properties(temp).get("readOnly").getBooleanValue()).isTrue();
        assertThat(properties(temp)).doesNotContainKey("documentation");

        Metric count = metric(p, "count");
        assertThat(count.getDatatype()).isEqualTo(DataType.UInt32_VALUE);
        assertThat(SparkplugTypes.decode(count, DataType.UInt32)).isEqualTo(4_000_000_000L);
        assertThat(metric(p, "running").getBooleanValue()).isTrue();
        assertThat(metric(p, "recipe").getStringValue()).isEqualTo("A-17");
        assertThat(metric(p, "setpoint").getFloatValue()).isEqualTo(12.5f);

        Metric total = metric(p, "total");
        assertThat(total.getIsNull()).as("never read").isTrue();
        assertThat(total.getDatatype()).isEqualTo(DataType.Int64_VALUE);
        assertThat(properties(total).get("Quality").getIntValue()).isZero();
        assertThat(properties(total).get("qualityReason").getStringValue()).isEqualTo("WAITING_FOR_INITIAL_DATA");
    }

    @Test
    void dbirth_badValue_isPublishedNullWithBadQuality() {
        EdgeNodeProtocol proto = new EdgeNodeProtocol("plant", "cell7", CLOCK);
        proto.nbirth(0, List.of());
        TagValue bad = new TagValue((short) 99, io.cellgate.api.tag.Quality.BAD, QualityReason.COMM_FAILURE, "timeout", T1);
        Payload p = decode(proto.dbirth("press1", List.of(Fixtures.pressTags().get(0)), Map.of(SPEED, bad)));
        Metric speed = metric(p, "speed");
        assertThat(speed.getIsNull()).isTrue();
        assertThat(speed.getValueCase()).isEqualTo(Metric.ValueCase.VALUE_NOT_SET);
        assertThat(properties(speed).get("Quality").getIntValue()).isZero();
        assertThat(properties(speed).get("qualityReason").getStringValue()).isEqualTo("COMM_FAILURE");
    }

    @Test
    void dbirth_beforeNbirthOrForeignTag_isRefused() {
        EdgeNodeProtocol proto = new EdgeNodeProtocol("plant", "cell7", CLOCK);
        assertThatThrownBy(() -> proto.dbirth("press1", Fixtures.pressTags(), Map.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("before the NBIRTH");
        proto.nbirth(0, List.of());
        assertThatThrownBy(() -> proto.dbirth("press2", Fixtures.pressTags(), Map.of()))
                .hasMessageContaining("press1/speed does not belong to device 'press2'");
        assertThat(proto.lastSeq()).isZero();
    }

    @Test
    void ddata_carriesAliasesTimestampsAndValuesButNoNamesOrDatatypes() {
        EdgeNodeProtocol proto = Fixtures.bornProtocol();
        Instant t2 = T1.plusSeconds(1);
        List<SparkplugMessage> out = proto.ddata("press1", List.of(
                new TagSample(SPEED, TagValue.good((short) -5, t2)),
                new TagSample(TagPath.parse("press1/recipe"), TagValue.good("B-2", t2))));
        assertThat(out).hasSize(1);
        Payload p = decode(out.get(0));
        assertThat(out.get(0).topic().format()).isEqualTo("spBv1.0/plant/DDATA/cell7/press1");
        assertThat(p.getMetricsList()).allSatisfy(m -> {
            assertThat(m.hasName()).isFalse();
            assertThat(m.hasDatatype()).isFalse();
            assertThat(m.hasIsHistorical()).isFalse();
            assertThat(m.hasProperties()).as("Good after Good needs no Quality").isFalse();
            assertThat(m.getTimestamp()).isEqualTo(t2.toEpochMilli());
        });
        assertThat(p.getMetrics(0).getAlias()).isEqualTo(proto.alias("press1", "speed").getAsLong());
        assertThat(SparkplugTypes.decode(p.getMetrics(0), DataType.Int16)).isEqualTo((short) -5);
        assertThat(p.getMetrics(1).getStringValue()).isEqualTo("B-2");
    }

    @Test
    void ddata_qualityChange_isSentUntilGoodAgain() {
        EdgeNodeProtocol proto = Fixtures.bornProtocol();
        TagValue bad = TagValue.bad(QualityReason.COMM_FAILURE, "timeout", T1);
        Metric down = decode(proto.ddata("press1", List.of(new TagSample(SPEED, bad))).get(0)).getMetrics(0);
        Metric up = decode(proto.ddata("press1", List.of(new TagSample(SPEED, TagValue.good((short) 1, T1)))).get(0))
                .getMetrics(0);
        Metric steady = decode(proto.ddata("press1", List.of(new TagSample(SPEED, TagValue.good((short) 2, T1)))).get(0))
                .getMetrics(0);

        assertThat(down.getIsNull()).isTrue();
        assertThat(properties(down).get("Quality").getIntValue()).isZero();
        assertThat(properties(down).get("qualityReason").getStringValue()).isEqualTo("COMM_FAILURE");
        assertThat(properties(up).get("Quality").getIntValue()).isEqualTo(192);
        assertThat(steady.hasProperties()).isFalse();
    }

    @Test
    void ddata_uncertain_isStaleQuality() {
        EdgeNodeProtocol proto = Fixtures.bornProtocol();
        TagValue stale = new TagValue((short) 7, io.cellgate.api.tag.Quality.UNCERTAIN, QualityReason.STALE, null, T1);
        Metric m = decode(proto.ddata("press1", List.of(new TagSample(SPEED, stale))).get(0)).getMetrics(0);
        assertThat(m.getIntValue()).isEqualTo(7);
        assertThat(properties(m).get("Quality").getIntValue()).isEqualTo(500);
    }

    @Test
    void ddata_historical_isFlaggedAndKeepsOriginalTimestamps() {
        EdgeNodeProtocol proto = Fixtures.bornProtocol();
        List<TagSample> samples = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            samples.add(new TagSample(SPEED, TagValue.good((short) i, T1.minusSeconds(60 - i))));
        }
        Payload p = decode(proto.ddata("press1", samples, true, EdgeNodeProtocol.NO_LIMIT).get(0));
        for (int i = 0; i < 5; i++) {
            Metric m = p.getMetrics(i);
            assertThat(m.getIsHistorical()).isTrue();
            assertThat(m.getTimestamp()).isEqualTo(T1.minusSeconds(60 - i).toEpochMilli());
            assertThat(m.getIntValue()).isEqualTo(i);
            assertThat(m.hasName()).isFalse();
        }
        assertThat(p.getTimestamp()).isEqualTo(NOW.toEpochMilli());
    }

    @Test
    void ddata_unknownTagOrUnbornDevice_isRefusedWithoutTakingASeq() {
        EdgeNodeProtocol proto = Fixtures.bornProtocol();
        int seq = proto.lastSeq();
        assertThatThrownBy(() -> proto.ddata("press1", List.of(new TagSample(TagPath.parse("press1/nope"),
                TagValue.good(1, T1))))).hasMessageContaining("press1/nope is not in the DBIRTH");
        assertThatThrownBy(() -> proto.ddata("press2", List.of())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("press2");
        assertThat(proto.lastSeq()).isEqualTo(seq);
    }

    @Test
    void seq_over300Messages_wrapsWithoutGapsAndNbirthResetsToZero() {
        EdgeNodeProtocol proto = new EdgeNodeProtocol("plant", "cell7", CLOCK);
        List<Long> seqs = new ArrayList<>();
        seqs.add(decode(proto.nbirth(1, List.of(new NodeMetric("n", DataType.Int32, 0, T1)))).getSeq());
        seqs.add(decode(proto.dbirth("press1", Fixtures.pressTags(), Fixtures.pressValues())).getSeq());
        for (int i = 0; i < 300; i++) {
            List<SparkplugMessage> out = switch (i % 3) {
                case 0 -> proto.ddata("press1", List.of(new TagSample(SPEED, TagValue.good((short) i, T1))));
                case 1 -> proto.ndata(List.of(new NodeMetric("n", DataType.Int32, i, T1)));
                default -> List.of(i == 299 ? proto.ddeath("press1")
                        : proto.ddata("press1", List.of(new TagSample(SPEED, TagValue.good((short) -i, T1)))).get(0));
            };
            for (SparkplugMessage m : out) {
                assertThat(m.seq()).isEqualTo(decode(m).getSeq());
                seqs.add(decode(m).getSeq());
            }
        }
        assertThat(seqs).hasSize(302);
        for (int i = 0; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).as("message %d", i).isEqualTo(i % 256L);
        }
        assertThat(proto.nbirth(1, List.of(new NodeMetric("n", DataType.Int32, 0, T1))).seq()).isZero();
        assertThat(proto.bornDevices()).as("a rebirth needs every DBIRTH again").isEmpty();
    }

    @Test
    void aliases_areStableAcrossInstancesAndUniqueAcrossNodeAndDevices() {
        EdgeNodeProtocol a = Fixtures.bornProtocol();
        EdgeNodeProtocol b = new EdgeNodeProtocol("plant", "cell7", CLOCK);
        b.nbirth(9, List.of());
        // a different device order and a second device must not change press1's aliases
        b.dbirth("press2", List.of(Fixtures.info("press2", "speed", io.cellgate.api.tag.DataType.INT16, false, true)),
                Map.of());
        List<io.cellgate.api.tag.TagInfo> reversed = new ArrayList<>(Fixtures.pressTags());
        java.util.Collections.reverse(reversed);
        b.dbirth("press1", reversed, Map.of());
        Set<Long> seen = new HashSet<>();
        for (var tag : Fixtures.pressTags()) {
            long alias = a.alias("press1", tag.path().tag()).getAsLong();
            assertThat(b.alias("press1", tag.path().tag()).getAsLong()).isEqualTo(alias);
            assertThat(alias).isBetween(1L, (1L << 53) - 1);
            assertThat(seen.add(alias)).as("alias of %s is unique", tag.path()).isTrue();
        }
        assertThat(seen).doesNotContain(b.alias("press2", "speed").getAsLong());
    }

    @Test
    void aliases_manyMetrics_areAllDistinct() {
        EdgeNodeProtocol proto = new EdgeNodeProtocol("plant", "cell7", CLOCK);
        List<NodeMetric> metrics = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            metrics.add(new NodeMetric("m" + i, DataType.Boolean, true, T1));
        }
        Payload p = decode(proto.nbirth(0, metrics));
        Set<Long> aliases = new HashSet<>();
        p.getMetricsList().stream().filter(Metric::hasAlias).forEach(m -> aliases.add(m.getAlias()));
        assertThat(aliases).hasSize(5000);
    }

    @Test
    void ddata_withLimit_splitsInOrderEachWithinTheLimitAndConsecutiveSeqs() {
        EdgeNodeProtocol proto = Fixtures.bornProtocol();
        List<TagSample> samples = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            samples.add(new TagSample(SPEED, TagValue.good((short) i, T1.plusMillis(i))));
        }
        int limit = 500;
        List<SparkplugMessage> out = proto.ddata("press1", samples, true, limit);

        assertThat(out.size()).isGreaterThan(1);
        List<Integer> values = new ArrayList<>();
        long expectedSeq = 2;
        for (SparkplugMessage m : out) {
            assertThat(m.payload().length).isLessThanOrEqualTo(limit);
            assertThat(m.seq()).isEqualTo(expectedSeq++ % 256);
            decode(m).getMetricsList().forEach(x -> values.add(x.getIntValue()));
        }
        assertThat(values).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(values.get(i)).isEqualTo(i);
        }
        // the split is not wasteful: all but the last payload are nearly full
        assertThat(out.get(0).payload().length).isGreaterThan(limit - 40);
    }

    @Test
    void ddata_singleSampleOverTheLimit_isRefused() {
        EdgeNodeProtocol proto = Fixtures.bornProtocol();
        int seq = proto.lastSeq();
        TagSample huge = new TagSample(TagPath.parse("press1/recipe"), TagValue.good("x".repeat(1000), T1));
        assertThatThrownBy(() -> proto.ddata("press1", List.of(huge), false, 200))
                .isInstanceOf(PayloadTooLargeException.class).hasMessageContaining("200");
        assertThat(proto.lastSeq()).isEqualTo(seq);
    }

    @Test
    void dbirth_overTheLimit_isRefusedAndChangesNothing() {
        EdgeNodeProtocol proto = new EdgeNodeProtocol("plant", "cell7", CLOCK);
        proto.nbirth(0, List.of());
        assertThatThrownBy(() -> proto.dbirth("press1", Fixtures.pressTags(), Fixtures.pressValues(), 100))
                .isInstanceOf(PayloadTooLargeException.class).hasMessageContaining("DBIRTH of device 'press1'");
        assertThat(proto.isDeviceBorn("press1")).isFalse();
        assertThat(proto.lastSeq()).isZero();
    }

    @Test
    void ddeath_thenDdata_isRefusedUntilTheNextDbirth() {
        EdgeNodeProtocol proto = Fixtures.bornProtocol();
        SparkplugMessage death = proto.ddeath("press1");
        Payload p = decode(death);
        assertThat(death.topic().format()).isEqualTo("spBv1.0/plant/DDEATH/cell7/press1");
        assertThat(p.getSeq()).isEqualTo(2);
        assertThat(p.getMetricsCount()).isZero();
        assertThat(proto.isDeviceBorn("press1")).isFalse();
        assertThatThrownBy(() -> proto.ddata("press1", List.of())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> proto.ddeath("press1")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void replayHistorical_storedLivePayload_isReissuedFlaggedWithNewSeqsInTheNextSession() {
        EdgeNodeProtocol proto = Fixtures.bornProtocol();
        SparkplugMessage live = proto.ddata("press1", List.of(new TagSample(SPEED, TagValue.good((short) 42, T1)))).get(0);
        proto.endSession();
        assertThatThrownBy(() -> proto.replayHistorical(live.topic(), live.payload(), 1000))
                .isInstanceOf(IllegalStateException.class);

        EdgeNodeProtocol restarted = new EdgeNodeProtocol("plant", "cell7", CLOCK);
        restarted.nbirth(4, List.of());
        restarted.dbirth("press1", Fixtures.pressTags(), Fixtures.pressValues());
        List<SparkplugMessage> replay = restarted.replayHistorical(live.topic(), live.payload(), 1000);

        assertThat(replay).hasSize(1);
        Metric m = decode(replay.get(0)).getMetrics(0);
        assertThat(replay.get(0).seq()).isEqualTo(2);
        assertThat(m.getIsHistorical()).isTrue();
        assertThat(m.getTimestamp()).isEqualTo(T1.toEpochMilli());
        assertThat(m.getIntValue()).isEqualTo(42);
        assertThat(m.getAlias()).isEqualTo(restarted.alias("press1", "speed").getAsLong());
        assertThatThrownBy(() -> restarted.replayHistorical(live.topic(), new byte[] {(byte) 0xFF, 1}, 1000))
                .hasMessageContaining("not a Sparkplug B payload");
        assertThatThrownBy(() -> restarted.replayHistorical(restarted.nodeTopic(MessageType.NDATA), live.payload(), 1000))
                .hasMessageContaining("is not a metric of the node");
    }

    @Test
    void maxPayloadBytes_subtractsTheMqttOverhead() {
        SparkplugTopic t = SparkplugTopic.device(MessageType.DDATA, "plant", "cell7", "press1");
        int overhead = 5 + 2 + t.format().length() + 2 + 4;
        assertThat(MqttLimits.maxPayloadBytes(10_000, t, 0)).isEqualTo(10_000 - overhead);
        assertThat(MqttLimits.maxPayloadBytes(10_000, t, 20)).isEqualTo(10_000 - overhead - 20);
        assertThat(MqttLimits.maxPayloadBytes(0, t, 0)).isEqualTo(MqttLimits.MQTT_MAX_PACKET - overhead);
        assertThat(MqttLimits.maxPayloadBytes(10, t, 0)).isZero();
    }
}
