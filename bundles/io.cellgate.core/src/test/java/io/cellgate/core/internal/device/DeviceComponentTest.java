package io.cellgate.core.internal.device;

import static io.cellgate.core.internal.testing.Fakes.await;
import static io.cellgate.core.internal.testing.Fakes.config;
import static io.cellgate.core.internal.testing.Fakes.profile;
import static io.cellgate.core.internal.testing.Fakes.profiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.bus.DeviceState.Status;
import io.cellgate.api.config.DeviceConfig;
import io.cellgate.api.driver.DeviceDriver;
import io.cellgate.api.tag.TagPath;
import io.cellgate.core.internal.bus.TagBusImpl;
import io.cellgate.core.internal.poll.PollScheduler;
import io.cellgate.core.internal.testing.Fakes;
import io.cellgate.core.internal.testing.Fakes.FakeDriver;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeviceComponentTest {

    private final TagBusImpl bus = new TagBusImpl();
    private final DeviceRegistry registry = new DeviceRegistry();
    private final PollScheduler scheduler = new PollScheduler(1, 8);
    private DeviceComponent component;

    @AfterEach
    void tearDown() {
        if (component != null) {
            component.deactivate();
        }
        scheduler.close();
    }

    private static Config cfg(Map<String, Object> overrides) {
        Map<String, Object> values = new HashMap<>();
        values.put("device_id", "press");
        values.put("profile", Fakes.PROFILE);
        values.put("host", "127.0.0.1");
        values.put("poll_groups", new String[] {"fast=20", "slow=200"});
        values.putAll(overrides);
        return config(Config.class, values);
    }

    private DeviceComponent component(Config c) {
        component = new DeviceComponent(c, bus, profiles(profile()), scheduler, registry);
        return component;
    }

    private Status status() {
        return bus.device("press").map(DeviceState::status).orElse(null);
    }

    @Test
    void activate_driverBoundBefore_polls() {
        FakeDriver driver = new FakeDriver();
        DeviceComponent c = component(cfg(Map.of()));
        c.bindDriver(driver, Map.of(DeviceDriver.PROTOCOL_PROPERTY, new String[] {"modbus-tcp", "modbus-rtu"}));
        c.activate();

        await("good", () -> bus.value(new TagPath("press", "setpoint")).orElseThrow().isGood());
        assertThat(driver.opens).hasValue(1);
    }

    @Test
    void bindDriver_arrivesAfterActivation_deviceStartsPolling_unbindFails() {
        DeviceComponent c = component(cfg(Map.of()));
        c.activate();
        assertThat(bus.device("press").orElseThrow().lastError()).contains("no driver for protocol 'modbus-tcp'");

        FakeDriver other = new FakeDriver();
        c.bindDriver(other, Map.of(DeviceDriver.PROTOCOL_PROPERTY, "s7"));
        assertThat(other.opens).hasValue(0);

        FakeDriver modbus = new FakeDriver();
        c.bindDriver(modbus, Map.of(DeviceDriver.PROTOCOL_PROPERTY, "modbus-tcp"));
        await("connected", () -> status() == Status.CONNECTED);

        c.unbindDriver(modbus);
        assertThat(status()).isEqualTo(Status.FAILING);
        await("session closed", () -> modbus.session("press").closed);
    }

    @Test
    void bindDriver_withoutProtocolProperty_usesProtocolsMethod() {
        FakeDriver driver = new FakeDriver();
        DeviceComponent c = component(cfg(Map.of()));
        c.bindDriver(driver, Map.of());
        c.activate();

        assertThat(driver.opens).hasValue(1);
    }

    @Test
    void modified_disable_stopsPollingAndClosesSession() {
        FakeDriver driver = new FakeDriver();
        DeviceComponent c = component(cfg(Map.of()));
        c.bindDriver(driver, Map.of(DeviceDriver.PROTOCOL_PROPERTY, "modbus-tcp"));
        c.activate();
        await("connected", () -> status() == Status.CONNECTED);

        c.modified(cfg(Map.of("enabled", false)));

        assertThat(status()).isEqualTo(Status.DISABLED);
        await("session closed", () -> driver.session("press").closed);
    }

    @Test
    void modified_invalidPollGroups_failingNamingTheEntry() {
        DeviceComponent c = component(cfg(Map.of()));
        c.activate();

        c.modified(cfg(Map.of("poll_groups", new String[] {"fast"})));

        assertThat(bus.device("press").orElseThrow().lastError())
                .isEqualTo("device 'press': poll.groups entry 'fast' is not name=milliseconds");
        assertThat(bus.tags()).isEmpty();
    }

    @Test
    void deactivate_removesDevice() {
        DeviceComponent c = component(cfg(Map.of()));
        c.activate();

        c.deactivate();
        component = null;

        assertThat(bus.device("press")).isEmpty();
        assertThat(registry.device("press")).isEmpty();
    }

    @Test
    void activate_invalidDeviceId_rejected() {
        DeviceComponent c = component(cfg(Map.of("device_id", "bad id/")));
        component = null;

        assertThatThrownBy(c::activate).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad id/");
    }

    @Test
    void toDeviceConfig_tcpDevice_mapsAllFieldsAndDropsSerialDefaults() {
        DeviceConfig d = DeviceConfigMapper.toDeviceConfig(cfg(Map.of("port", 1502, "unit_id", 7, "timeout_ms", 250L)));

        assertThat(d.id()).isEqualTo("press");
        assertThat(d.name()).isEqualTo("press");
        assertThat(d.endpoint().host()).isEqualTo("127.0.0.1");
        assertThat(d.endpoint().port()).isEqualTo(1502);
        assertThat(d.endpoint().serialPort()).isNull();
        assertThat(d.endpoint().baudRate()).isZero();
        assertThat(d.unitId()).isEqualTo(7);
        assertThat(d.timeoutMillis()).isEqualTo(250);
        assertThat(d.pollGroup("slow").orElseThrow().intervalMillis()).isEqualTo(200);
    }

    @Test
    void toDeviceConfig_serialDevice_keepsSerialFields() {
        DeviceConfig d = DeviceConfigMapper.toDeviceConfig(cfg(Map.of("host", "", "protocol", "modbus-rtu",
                "serial_port", "/dev/ttyUSB0", "serial_baudRate", 9600, "serial_parity", "none")));

        assertThat(d.endpoint().host()).isNull();
        assertThat(d.endpoint().port()).isZero();
        assertThat(d.endpoint().serialPort()).isEqualTo("/dev/ttyUSB0");
        assertThat(d.endpoint().baudRate()).isEqualTo(9600);
        assertThat(d.endpoint().parity()).isEqualTo("none");
    }

    @Test
    void toDeviceConfig_badInput_errorsNameDeviceAndProperty() {
        assertThatThrownBy(() -> DeviceConfigMapper.toDeviceConfig(cfg(Map.of("poll_groups", new String[0]))))
                .hasMessage("device 'press': poll.groups is empty");
        assertThatThrownBy(() -> DeviceConfigMapper.toDeviceConfig(
                cfg(Map.of("poll_groups", new String[] {"a=100", "a=200"}))))
                .hasMessage("device 'press': poll.groups defines 'a' twice");
        assertThatThrownBy(() -> DeviceConfigMapper.toDeviceConfig(cfg(Map.of("poll_groups", new String[] {"a=5"}))))
                .hasMessageContaining("at least 10 ms");
        assertThatThrownBy(() -> DeviceConfigMapper.toDeviceConfig(cfg(Map.of("host", ""))))
                .hasMessage("device 'press': neither host nor serial.port is set");
        assertThatThrownBy(() -> DeviceConfigMapper.toDeviceConfig(cfg(Map.of("profile", " "))))
                .hasMessage("device 'press': profile is missing");
    }
}
