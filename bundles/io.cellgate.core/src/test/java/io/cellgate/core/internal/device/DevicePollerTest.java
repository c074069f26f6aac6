package io.cellgate.core.internal.device;

import static io.cellgate.core.internal.testing.Fakes.await;
import static io.cellgate.core.internal.testing.Fakes.device;
import static io.cellgate.core.internal.testing.Fakes.profile;
import static io.cellgate.core.internal.testing.Fakes.profiles;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.bus.DeviceState.Status;
import io.cellgate.api.config.DeviceConfig;
import io.cellgate.api.config.Endpoint;
import io.cellgate.api.config.PollGroup;
import io.cellgate.api.tag.QualityReason;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.core.internal.bus.TagBusImpl;
import io.cellgate.core.internal.poll.PollScheduler;
import io.cellgate.core.internal.testing.Fakes.FakeDriver;
import io.cellgate.core.internal.testing.Fakes.FakeSession;
import io.cellgate.core.internal.testing.Fakes.Mode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DevicePollerTest {

    private final TagBusImpl bus = new TagBusImpl();
    private final DeviceRegistry registry = new DeviceRegistry();
    // one core thread: the isolation test must hold with fewer core threads than silent devices
    private final PollScheduler scheduler = new PollScheduler(1, 16);
    private final FakeDriver driver = new FakeDriver();
    private final List<DevicePoller> pollers = new ArrayList<>();

    @AfterEach
    void tearDown() {
        driver.sessions.values().forEach(s -> s.release.countDown());
        pollers.forEach(DevicePoller::close);
        scheduler.close();
    }

    private DevicePoller poller(String id) {
        DevicePoller p = new DevicePoller(id, bus, profiles(profile()), scheduler, registry);
        pollers.add(p);
        return p;
    }

    private TagValue value(String device, String tag) {
        return bus.value(new TagPath(device, tag)).orElseThrow();
    }

    private Status status(String device) {
        return bus.device(device).map(DeviceState::status).orElse(null);
    }

    @Test
    void apply_healthyDevice_tagsWaitingThenGoodAfterFirstPoll() {
        poller("press").apply(device("press", true, 20), driver);

        assertThat(bus.tags()).hasSize(4);
        await("first poll", () -> value("press", "setpoint").isGood());
        assertThat(value("press", "temperature").isGood()).isTrue();
        await("connected", () -> status("press") == Status.CONNECTED);
        DeviceState state = bus.device("press").orElseThrow();
        assertThat(state.lastGoodRead()).isNotNull();
        assertThat(state.requestCount()).isPositive();
        assertThat(state.lastRoundTripMillis()).isEqualTo(1.5);
    }

    @Test
    void apply_beforeFirstPoll_tagsBadWaitingForInitialData() {
        driver.initialMode = Mode.BLOCK;
        poller("press").apply(device("press", true, 20), driver);

        assertThat(value("press", "setpoint").reason()).isEqualTo(QualityReason.WAITING_FOR_INITIAL_DATA);
        assertThat(status("press")).isIn(Status.STARTING, Status.FAILING);
    }

    @Test
    void poll_sessionFails_tagsBadWithReasonThenRecoverToGood() {
        poller("press").apply(device("press", true, 20), driver);
        await("good", () -> value("press", "setpoint").isGood());
        FakeSession session = driver.session("press");

        session.mode = Mode.FAIL;
        await("bad after failure", () -> !value("press", "setpoint").isGood());
        TagValue bad = value("press", "setpoint");
        assertThat(bad.reason()).isEqualTo(QualityReason.COMM_FAILURE);
        assertThat(bad.detail()).isEqualTo("timeout after 1000 ms");
        await("failing", () -> status("press") == Status.FAILING);
        assertThat(bus.device("press").orElseThrow().lastError()).contains("timeout after 1000 ms");
        assertThat(bus.device("press").orElseThrow().errorCount()).isPositive();

        session.mode = Mode.GOOD;
        await("recovered", () -> value("press", "setpoint").isGood());
        await("connected again", () -> status("press") == Status.CONNECTED);
        assertThat(driver.opens).hasValue(1); // recovered without reopening
    }

    @Test
    void poll_blockedDevices_doNotDelayHealthyDevice() {
        driver.initialMode = Mode.BLOCK;
        for (String id : List.of("silent1", "silent2", "silent3")) {
            poller(id).apply(device(id, true, 20), driver);
        }
        await("all silent devices blocked", () -> List.of("silent1", "silent2", "silent3").stream()
                .allMatch(id -> driver.session(id) != null && driver.session(id).polls.get() == 1));
        driver.initialMode = Mode.GOOD;
        DevicePoller healthy = poller("healthy");
        healthy.apply(device("healthy", true, 20), driver);

        FakeSession good = driver.session("healthy");
        await("healthy device keeps polling", () -> good.polls.get() >= 10);

        // the silent devices are still stuck in their first poll: one poll in flight per device, the rest overruns
        for (String id : List.of("silent1", "silent2", "silent3")) {
            assertThat(driver.session(id).polls).hasValue(1);
        }
        assertThat(value("healthy", "setpoint").isGood()).isTrue();
    }

    @Test
    void poll_blockedLongerThanTwoIntervals_tagsBadAndOverrunsCounted() {
        driver.initialMode = Mode.BLOCK;
        DevicePoller p = poller("silent");
        p.apply(device("silent", true, 20), driver);

        await("overdue tags made Bad", () -> value("silent", "setpoint").reason() == QualityReason.COMM_FAILURE);
        assertThat(value("silent", "setpoint").detail()).contains("poll still running");
        assertThat(p.overruns()).isPositive();
        await("failing", () -> status("silent") == Status.FAILING);
        assertThat(driver.session("silent").polls).hasValue(1);
    }

    @Test
    void apply_disabledDevice_tagsBadDisabledAndNeverOpened() {
        poller("press").apply(device("press", false, 20), driver);

        assertThat(value("press", "setpoint").reason()).isEqualTo(QualityReason.DEVICE_DISABLED);
        assertThat(status("press")).isEqualTo(Status.DISABLED);
        assertThat(driver.opens).hasValue(0);
        assertThat(registry.device("press").orElseThrow().enabled()).isFalse();
    }

    @Test
    void apply_driverConfigError_tagsBadConfigErrorAndFailing() {
        driver.configError = "device 'press': tag 'setpoint' address 70000 out of range";
        poller("press").apply(device("press", true, 20), driver);

        assertThat(value("press", "setpoint").reason()).isEqualTo(QualityReason.CONFIG_ERROR);
        assertThat(value("press", "setpoint").detail()).contains("address 70000");
        DeviceState state = bus.device("press").orElseThrow();
        assertThat(state.status()).isEqualTo(Status.FAILING);
        assertThat(state.lastError()).contains("address 70000");
        assertThat(registry.device("press").orElseThrow().session()).isNull();
    }

    @Test
    void apply_noDriver_failingNamingTheProtocol() {
        poller("press").apply(device("press", true, 20), null);

        assertThat(value("press", "setpoint").reason()).isEqualTo(QualityReason.CONFIG_ERROR);
        assertThat(bus.device("press").orElseThrow().lastError()).contains("no driver for protocol 'modbus-tcp'");
    }

    @Test
    void apply_unknownProfile_failingWithoutTags() {
        DeviceConfig cfg = device("press", true, 20);
        DeviceConfig other = new DeviceConfig("press", "press", "nope", true, cfg.endpoint(), 1, cfg.pollGroups(),
                1000, 0, 0, 1, 0, 125);
        poller("press").apply(other, driver);

        assertThat(bus.tags()).isEmpty();
        assertThat(bus.device("press").orElseThrow().lastError()).contains("profile 'nope' is not loaded");
    }

    @Test
    void apply_tagInUnconfiguredPollGroup_configErrorNamingTagAndGroup() {
        DeviceConfig cfg = new DeviceConfig("press", "press", "test-profile", true,
                new Endpoint(Endpoint.MODBUS_TCP, "127.0.0.1", 502, null, 0, null, 0, 0), 1,
                List.of(new PollGroup("fast", 20)), 1000, 0, 0, 1, 0, 125);
        poller("press").apply(cfg, driver);

        assertThat(value("press", "label").reason()).isEqualTo(QualityReason.CONFIG_ERROR);
        assertThat(bus.device("press").orElseThrow().lastError()).contains("tag 'label'").contains("'slow'");
        assertThat(driver.opens).hasValue(0);
    }

    @Test
    void apply_changeOfOneDevice_otherKeepsPolling() {
        DevicePoller a = poller("a");
        a.apply(device("a", true, 20), driver);
        poller("b").apply(device("b", true, 20), driver);
        FakeSession b = driver.session("b");
        FakeSession firstA = driver.session("a");
        await("b polls", () -> b.polls.get() >= 2);

        a.apply(device("a", true, 40), driver);
        int bAfterChange = b.polls.get();

        await("old session of a closed", () -> firstA.closed);
        await("b keeps polling after a changed", () -> b.polls.get() >= bAfterChange + 5);
        await("new session of a polls", () -> driver.session("a") != firstA && driver.session("a").polls.get() >= 1);
        assertThat(b.closed).isFalse();
        assertThat(bus.info(new TagPath("a", "setpoint")).orElseThrow().pollIntervalMillis()).isEqualTo(40);
    }

    @Test
    void close_stopsPollingClosesSessionAndRemovesDevice() {
        DevicePoller p = poller("press");
        p.apply(device("press", true, 20), driver);
        await("polled", () -> value("press", "setpoint").isGood());

        p.close();

        await("session closed", () -> driver.session("press").closed);
        assertThat(bus.tags()).isEmpty();
        assertThat(bus.device("press")).isEmpty();
        assertThat(registry.device("press")).isEmpty();
    }

    @Test
    void apply_duplicateDeviceId_secondConfigurationIgnored() {
        poller("press").apply(device("press", true, 20), driver);
        DevicePoller dup = poller("press");

        dup.apply(device("press", false, 20), driver);

        assertThat(status("press")).isNotEqualTo(Status.DISABLED);
        assertThat(registry.device("press").orElseThrow().enabled()).isTrue();
    }
}
