package io.cellgate.core.internal.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.bus.DeviceState.Status;
import io.cellgate.api.bus.Subscription;
import io.cellgate.api.bus.TagListener;
import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.QualityReason;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.core.internal.testing.Fakes.Recorder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TagBusImplTest {

    private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");
    private static final TagPath TEMP = new TagPath("oven", "temp");
    private static final TagPath RUN = new TagPath("oven", "run");
    private static final TagPath COUNT = new TagPath("oven", "count");

    private final TagBusImpl bus = new TagBusImpl();
    private final Recorder rec = new Recorder();

    @BeforeEach
    void setUp() {
        bus.defineDevice("oven", List.of(info(TEMP, DataType.FLOAT64, 0.5), info(RUN, DataType.BOOL, 0),
                info(COUNT, DataType.INT32, 0)), waiting());
        bus.subscribe(rec);
    }

    private static TagInfo info(TagPath path, DataType type, double deadband) {
        return new TagInfo(path, type, false, null, null, false, null, null, deadband, "fast", 1000);
    }

    private static TagValue waiting() {
        return TagValue.bad(QualityReason.WAITING_FOR_INITIAL_DATA, null, T);
    }

    private static TagValue good(Object v) {
        return TagValue.good(v, T);
    }

    @Test
    void update_withinDeadband_notDeliveredButLatestStored() {
        bus.update(TEMP, good(20.0));
        bus.update(TEMP, good(20.3));
        bus.update(TEMP, good(20.5)); // exactly the deadband: not more than it

        assertThat(rec.payloads()).containsExactly(20.0);
        assertThat(bus.value(TEMP)).contains(good(20.5));
    }

    @Test
    void update_crossingDeadbandFromLastDelivered_delivered() {
        bus.update(TEMP, good(20.0));
        bus.update(TEMP, good(20.4));
        bus.update(TEMP, good(20.8)); // 0.4 from the last sample, 0.8 from the last delivered
        bus.update(TEMP, good(20.2)); // 0.6 below 20.8

        assertThat(rec.payloads()).containsExactly(20.0, 20.8, 20.2);
    }

    @Test
    void update_qualityChangeWithinDeadband_delivered() {
        bus.update(TEMP, good(20.0));
        bus.update(TEMP, TagValue.bad(QualityReason.COMM_FAILURE, "timeout", T));
        bus.update(TEMP, TagValue.bad(QualityReason.COMM_FAILURE, "timeout again", T));
        bus.update(TEMP, TagValue.bad(QualityReason.DEVICE_EXCEPTION, "0x02", T));
        bus.update(TEMP, good(20.0));

        assertThat(rec.values).extracting(TagValue::reason).containsExactly(QualityReason.NONE,
                QualityReason.COMM_FAILURE, QualityReason.DEVICE_EXCEPTION, QualityReason.NONE);
    }

    @Test
    void update_deadbandZero_everyChangeButNoRepeats() {
        bus.update(COUNT, good(1));
        bus.update(COUNT, good(1));
        bus.update(COUNT, good(2));
        bus.update(COUNT, good(2));
        bus.update(COUNT, good(1));

        assertThat(rec.payloads()).containsExactly(1, 2, 1);
    }

    @Test
    void update_boolean_everyChange() {
        bus.update(RUN, good(true));
        bus.update(RUN, good(true));
        bus.update(RUN, good(false));

        assertThat(rec.payloads()).containsExactly(true, false);
    }

    @Test
    void update_unknownTag_droppedAndReportedFalse() {
        assertThat(bus.update(new TagPath("oven", "nope"), good(1))).isFalse();
        assertThat(rec.values).isEmpty();
    }

    @Test
    void subscribe_closed_noMoreDeliveries() {
        Recorder other = new Recorder();
        Subscription sub = bus.subscribe(other);
        bus.update(COUNT, good(1));
        sub.close();
        sub.close(); // idempotent
        bus.update(COUNT, good(2));

        assertThat(other.payloads()).containsExactly(1);
        assertThat(rec.payloads()).containsExactly(1, 2);
        assertThat(bus.subscriberCount()).isEqualTo(1);
    }

    @Test
    void update_listenerThrows_othersStillReceiveAndProducerUnaffected() {
        TagListener broken = new TagListener() {
            @Override
            public void onValue(TagInfo tag, TagValue value) {
                throw new IllegalStateException("boom");
            }

            @Override
            public void onCatalogChanged(String deviceId) {
                throw new IllegalStateException("boom");
            }
        };
        TagBusImpl fresh = new TagBusImpl();
        fresh.subscribe(broken);
        Recorder after = new Recorder();
        fresh.subscribe(after);

        fresh.defineDevice("oven", List.of(info(COUNT, DataType.INT32, 0)), waiting());
        boolean stored = fresh.update(COUNT, good(1));
        fresh.update(COUNT, good(2));

        assertThat(stored).isTrue();
        assertThat(after.catalogChanges).containsExactly("oven");
        assertThat(after.payloads()).containsExactly(1, 2);
        assertThat(fresh.value(COUNT)).contains(good(2));
    }

    @Test
    void defineDevice_replacesTagsAndNotifies() {
        TagPath newTag = new TagPath("oven", "pressure");
        bus.defineDevice("oven", List.of(info(newTag, DataType.FLOAT32, 0)), waiting());

        assertThat(bus.tags()).extracting(TagInfo::path).containsExactly(newTag);
        assertThat(bus.value(TEMP)).isEmpty();
        assertThat(bus.value(newTag)).contains(waiting());
        assertThat(rec.catalogChanges).containsExactly("oven");
    }

    @Test
    void tags_severalDevices_orderedByPath() {
        TagPath a = new TagPath("aaa", "z");
        bus.defineDevice("aaa", List.of(info(a, DataType.INT16, 0)), waiting());

        assertThat(bus.tags()).extracting(TagInfo::path).containsExactly(a, COUNT, RUN, TEMP);
    }

    @Test
    void defineDevice_initialValueCountsAsDelivered_firstGoodIsAQualityChange() {
        bus.update(COUNT, waiting());
        bus.update(COUNT, good(5));

        assertThat(rec.values).containsExactly(good(5));
    }

    @Test
    void removeDevice_tagsAndStateGone_subscribersNotified() {
        bus.updateDeviceState(new DeviceState("oven", Status.CONNECTED, null, T, 1, 0, 1, 2.0));
        bus.removeDevice("oven");

        assertThat(bus.tags()).isEmpty();
        assertThat(bus.value(TEMP)).isEmpty();
        assertThat(bus.info(TEMP)).isEmpty();
        assertThat(bus.device("oven")).isEmpty();
        assertThat(bus.update(TEMP, good(1.0))).isFalse();
        assertThat(rec.catalogChanges).containsExactly("oven");
    }

    @Test
    void updateDeviceState_countersOnly_storedButNotDelivered() {
        bus.updateDeviceState(new DeviceState("oven", Status.CONNECTED, null, T, 1, 0, 1, 2.0));
        bus.updateDeviceState(new DeviceState("oven", Status.CONNECTED, null, T, 2, 0, 2, 2.0));
        bus.updateDeviceState(new DeviceState("oven", Status.FAILING, "timeout", T, 3, 1, 3, 2.0));

        assertThat(rec.states).extracting(DeviceState::pollCount).containsExactly(1L, 3L);
        assertThat(bus.device("oven")).get().extracting(DeviceState::status).isEqualTo(Status.FAILING);
        assertThat(bus.devices()).hasSize(1);
    }

    @Test
    void defineDevice_foreignTag_rejectedNamingTheTag() {
        TagInfo foreign = info(new TagPath("press", "x"), DataType.INT16, 0);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> bus.defineDevice("oven", List.of(foreign), waiting()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("press/x");
    }
}
