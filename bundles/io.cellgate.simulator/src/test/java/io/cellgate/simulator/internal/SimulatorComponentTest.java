package io.cellgate.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.ProfileRegistry;
import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.api.tag.DataType;
import io.cellgate.modbus.RegisterCodec;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The component built directly, without a framework: a fake registry and a config proxy. */
class SimulatorComponentTest {

    private static final TagDefinition POWER = Tags.ranged("power", 0, DataType.INT32, 1, 0.0, 5000.0);
    private static final DeviceProfile METER = Tags.profile("meter", "M-1", List.of(POWER,
            Tags.plain("coil_run", RegisterArea.COIL, 0, DataType.BOOL)));

    private static final ProfileRegistry REGISTRY = new ProfileRegistry() {
        @Override
        public Optional<DeviceProfile> profile(String id) {
            return id.equals(METER.id()) ? Optional.of(METER) : Optional.empty();
        }

        @Override
        public Collection<DeviceProfile> profiles() {
            return List.of(METER);
        }
    };

    @Test
    void activate_validConfig_servesEveryUnitIdWithTheProfile() throws Exception {
        SimulatorComponent component = new SimulatorComponent(REGISTRY, config(Map.of("port", 0,
                "unit_ids", new int[] {1, 2}, "profile", "meter", "update_interval_ms", 3_600_000L, "seed", 5L)));
        try {
            int port = component.started().get(10, TimeUnit.SECONDS);
            assertThat(port).isEqualTo(component.server().port()).isPositive();
            try (RawModbusClient client = new RawModbusClient(port)) {
                for (int unit : new int[] {1, 2}) {
                    Object decoded = RegisterCodec.decode(POWER, client.readRegisters(unit, 3, 0, 2), 0);
                    assertThat(decoded).isEqualTo(component.simulation(unit).currentValue("power"));
                }
                assertThat(client.request(3, new byte[] {3, 0, 0, 0, 1})).containsExactly(0x83, 0x0B);
            }
        } finally {
            component.deactivate();
        }
        assertThat(component.server().isRunning()).isFalse();
    }

    @Test
    void activate_shortInterval_valuesTickOnTheComponentsScheduler() throws Exception {
        SimulatorComponent component = new SimulatorComponent(REGISTRY, config(Map.of("port", 0, "profile", "meter",
                "update_interval_ms", 10L)));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (component.simulation(1).ticks() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(component.simulation(1).ticks()).isGreaterThanOrEqualTo(3);
        } finally {
            component.deactivate();
        }
        assertThat(component.server().isRunning()).isFalse();
    }

    @Test
    void activate_portInUse_activatesAndReportsBindFailureNamingPort() throws IOException, InterruptedException {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = busy.getLocalPort();
            SimulatorComponent component = new SimulatorComponent(REGISTRY, config(Map.of("port", port,
                    "profile", "meter")));
            try {
                assertThatThrownBy(() -> component.started().get(10, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(IOException.class).hasMessageContaining("127.0.0.1:" + port);
                assertThat(component.server().isRunning()).isFalse();
            } finally {
                component.deactivate();
            }
        }
    }

    @Test
    void activate_unknownProfile_failsNamingProfileAndKnownOnes() {
        assertThatThrownBy(() -> new SimulatorComponent(REGISTRY, config(Map.of("port", 0, "profile", "plc-x"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("plc-x").hasMessageContaining("meter");
    }

    @Test
    void activate_invalidConfig_failsNamingProperty() {
        assertThatThrownBy(() -> new SimulatorComponent(REGISTRY, config(Map.of("port", 0, "profile", "meter",
                "unit_ids", new int[] {1, 1})))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unit.ids");
        assertThatThrownBy(() -> new SimulatorComponent(REGISTRY, config(Map.of("port", 0, "profile", "meter",
                "unit_ids", new int[] {256})))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("256");
        assertThatThrownBy(() -> new SimulatorComponent(REGISTRY, config(Map.of("port", 70000, "profile", "meter"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
        assertThatThrownBy(() -> new SimulatorComponent(REGISTRY, config(Map.of("port", 0, "profile", " "))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("profile");
    }

    @Test
    void config_defaults_loopbackAndUnitOne() {
        SimulatorConfig config = config(Map.of("profile", "meter"));
        assertThat(config.bind_address()).isEqualTo("127.0.0.1");
        assertThat(config.unit_ids()).containsExactly(1);
        assertThat(config.update_interval_ms()).isEqualTo(500);
        assertThat(config.unknown_unit()).isEqualTo(ModbusTcpServer.UnknownUnit.EXCEPTION);
    }

    /** A config whose methods return the overrides, else the annotation defaults, as DS would. */
    static SimulatorConfig config(Map<String, Object> overrides) {
        return (SimulatorConfig) Proxy.newProxyInstance(SimulatorConfig.class.getClassLoader(),
                new Class<?>[] {SimulatorConfig.class}, (proxy, method, args) -> {
                    if (overrides.containsKey(method.getName())) {
                        return overrides.get(method.getName());
                    }
                    if (method.getDefaultValue() != null) {
                        return method.getDefaultValue();
                    }
                    if (method.getName().equals("toString")) {
                        return "SimulatorConfig" + overrides;
                    }
                    throw new IllegalStateException("no value for " + method.getName());
                });
    }
}
