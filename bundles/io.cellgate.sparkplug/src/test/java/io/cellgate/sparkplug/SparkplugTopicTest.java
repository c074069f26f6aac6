package io.cellgate.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SparkplugTopicTest {

    @Test
    void format_nodeDeviceAndState_followTheNamespace() {
        assertThat(SparkplugTopic.node(MessageType.NBIRTH, "plant", "cell7").format())
                .isEqualTo("spBv1.0/plant/NBIRTH/cell7");
        assertThat(SparkplugTopic.device(MessageType.DDATA, "plant", "cell7", "press1").format())
                .isEqualTo("spBv1.0/plant/DDATA/cell7/press1");
        assertThat(SparkplugTopic.state("scada").format()).isEqualTo("spBv1.0/STATE/scada");
    }

    @Test
    void parse_formattedTopics_roundTrip() {
        for (MessageType t : MessageType.values()) {
            SparkplugTopic topic = t == MessageType.STATE ? SparkplugTopic.state("höst-1")
                    : t.isDeviceLevel() ? SparkplugTopic.device(t, "Plant A", "cell 7", "Presse-ü")
                    : SparkplugTopic.node(t, "Plant A", "cell 7");
            assertThat(SparkplugTopic.parse(topic.format())).isEqualTo(topic);
        }
    }

    @Test
    void parse_deviceTopic_yieldsItsParts() {
        SparkplugTopic t = SparkplugTopic.parse("spBv1.0/plant/DCMD/cell7/press1");
        assertThat(t.type()).isEqualTo(MessageType.DCMD);
        assertThat(t.groupId()).isEqualTo("plant");
        assertThat(t.edgeNodeId()).isEqualTo("cell7");
        assertThat(t.deviceId()).isEqualTo("press1");
        assertThat(t.hostId()).isNull();
    }

    @Test
    void parse_hostileTopics_nameTheOffendingPart() {
        assertThatThrownBy(() -> SparkplugTopic.parse("spAv1.0/plant/NDATA/cell7")).hasMessageContaining("namespace");
        assertThatThrownBy(() -> SparkplugTopic.parse("spBv1.0/plant/NFOO/cell7")).hasMessageContaining("message type 'NFOO'");
        assertThatThrownBy(() -> SparkplugTopic.parse("spBv1.0/plant/DDATA/cell7")).hasMessageContaining("needs a device id");
        assertThatThrownBy(() -> SparkplugTopic.parse("spBv1.0/plant/NDATA/cell7/x")).hasMessageContaining("must not have a device id");
        assertThatThrownBy(() -> SparkplugTopic.parse("spBv1.0//NDATA/cell7")).hasMessageContaining("group id must not be empty");
        assertThatThrownBy(() -> SparkplugTopic.parse("spBv1.0/plant/DDATA/cell7/")).hasMessageContaining("device id must not be empty");
        assertThatThrownBy(() -> SparkplugTopic.parse("spBv1.0/plant/NDATA/+")).hasMessageContaining("edge node id '+'");
        assertThatThrownBy(() -> SparkplugTopic.parse("spBv1.0/plant/DDATA/a/b/c")).hasMessageContaining("6 levels");
        assertThatThrownBy(() -> SparkplugTopic.parse("spBv1.0/STATE/")).hasMessageContaining("host id must not be empty");
        assertThatThrownBy(() -> SparkplugTopic.parse(null)).hasMessageContaining("null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a+b", "a#", "x/y", "tab\there", "\ud800broken"})
    void requireValidId_reservedControlOrBrokenUnicode_isRefusedWithTheId(String id) {
        assertThatThrownBy(() -> SparkplugTopic.requireValidId("device id", id))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("device id");
    }

    @Test
    void device_withNodeLevelType_isRefused() {
        assertThatThrownBy(() -> SparkplugTopic.device(MessageType.NDATA, "g", "n", "d"))
                .hasMessageContaining("not a device-level");
        assertThatThrownBy(() -> SparkplugTopic.node(MessageType.DBIRTH, "g", "n"))
                .hasMessageContaining("not a node-level");
    }

    @Test
    void specQosAndRetain_followTheSpecification() {
        assertThat(MessageType.NDEATH.specQos()).isEqualTo(1);
        assertThat(MessageType.STATE.specRetain()).isTrue();
        assertThat(MessageType.NBIRTH.specQos()).isZero();
        assertThat(MessageType.DDATA.specRetain()).isFalse();
    }
}
