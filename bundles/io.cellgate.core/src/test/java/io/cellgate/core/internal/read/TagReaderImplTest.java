package io.cellgate.core.internal.read;

import static io.cellgate.core.internal.testing.Fakes.await;
import static io.cellgate.core.internal.testing.Fakes.device;
import static io.cellgate.core.internal.testing.Fakes.profile;
import static io.cellgate.core.internal.testing.Fakes.profiles;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.tag.QualityReason;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.core.internal.bus.TagBusImpl;
import io.cellgate.core.internal.device.DevicePoller;
import io.cellgate.core.internal.device.DeviceRegistry;
import io.cellgate.core.internal.poll.PollScheduler;
import io.cellgate.core.internal.testing.Fakes.FakeDriver;
import io.cellgate.core.internal.testing.Fakes.FakeSession;
import io.cellgate.core.internal.testing.Fakes.Mode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TagReaderImplTest {

    private final TagBusImpl bus = new TagBusImpl();
    private final DeviceRegistry registry = new DeviceRegistry();
    private final PollScheduler scheduler = new PollScheduler(1, 4);
    private final FakeDriver driver = new FakeDriver();
    private final TagReaderImpl reader = new TagReaderImpl(bus, registry);
    private DevicePoller press;

    private FakeSession start(boolean enabled) {
        press = new DevicePoller("press", bus, profiles(profile()), scheduler, registry);
        // One poll at start (long interval): every further poll is the test read's.
        press.apply(device("press", enabled, 60_000), driver);
        if (!enabled) {
            return null;
        }
        FakeSession session = driver.session("press");
        await("first poll", () -> session.polls.get() >= 1 && bus.value(new TagPath("press", "setpoint"))
                .map(TagValue::isGood).orElse(false));
        return session;
    }

    @AfterEach
    void tearDown() {
        if (press != null) {
            press.close();
        }
        scheduler.close();
    }

    @Test
    void readNow_runningDevice_readsThroughTheSessionAndLeavesTheBusAlone() {
        FakeSession session = start(true);
        int before = session.polls.get();
        TagValue onBus = bus.value(new TagPath("press", "setpoint")).orElseThrow();

        TagValue v = reader.readNow(new TagPath("press", "setpoint")).orElseThrow();

        assertThat(v.isGood()).isTrue();
        assertThat(session.polls.get()).isEqualTo(before + 1);
        assertThat(session.writes).isEmpty();
        assertThat(bus.value(new TagPath("press", "setpoint"))).contains(onBus);
    }

    @Test
    void readNow_deviceNotAnswering_badWithTheReason() {
        FakeSession session = start(true);
        session.mode = Mode.FAIL;

        TagValue v = reader.readNow(new TagPath("press", "setpoint")).orElseThrow();

        assertThat(v.isGood()).isFalse();
        assertThat(v.reason()).isEqualTo(QualityReason.COMM_FAILURE);
        assertThat(v.detail()).contains("timeout");
    }

    @Test
    void readNow_disabledDevice_badDisabled() {
        start(false);

        TagValue v = reader.readNow(new TagPath("press", "setpoint")).orElseThrow();

        assertThat(v.reason()).isEqualTo(QualityReason.DEVICE_DISABLED);
    }

    @Test
    void readNow_unknownTag_empty() {
        start(true);

        assertThat(reader.readNow(new TagPath("press", "nope"))).isEmpty();
    }
}
