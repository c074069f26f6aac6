package io.cellgate.simulator.internal;

import static io.cellgate.simulator.internal.Tags.bit;
import static io.cellgate.simulator.internal.Tags.ordered;
import static io.cellgate.simulator.internal.Tags.plain;
import static io.cellgate.simulator.internal.Tags.ranged;
import static io.cellgate.simulator.internal.Tags.scaled;
import static io.cellgate.simulator.internal.Tags.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.cellgate.api.config.ByteOrder;
import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.api.config.WordOrder;
import io.cellgate.api.tag.DataType;
import io.cellgate.modbus.RegisterCodec;
import io.cellgate.simulator.internal.ProfileSimulation.Behaviour;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProfileSimulationTest {

    private static final RegisterArea HR = RegisterArea.HOLDING_REGISTER;
    private static final RegisterArea IR = RegisterArea.INPUT_REGISTER;

    /** Every data type in every byte and word order, scaled and unscaled, in all four areas. */
    static DeviceProfile everyTypeProfile() {
        List<TagDefinition> tags = new ArrayList<>();
        int address = 0;
        for (DataType type : List.of(DataType.INT16, DataType.UINT16, DataType.INT32, DataType.UINT32,
                DataType.INT64, DataType.FLOAT32, DataType.FLOAT64)) {
            for (ByteOrder bo : ByteOrder.values()) {
                for (WordOrder wo : WordOrder.values()) {
                    if (type.registers() == 1 && wo == WordOrder.LOW_FIRST) {
                        continue; // word order means nothing for one register
                    }
                    String suffix = type.name().toLowerCase() + "_" + (bo == ByteOrder.BIG_ENDIAN ? "be" : "le") + "_"
                            + (wo == WordOrder.HIGH_FIRST ? "hf" : "lf");
                    tags.add(ordered("h_" + suffix, HR, address, type, bo, wo));
                    tags.add(ordered("i_" + suffix, IR, address, type, bo, wo));
                    address += type.registers();
                    tags.add(scaled("s_" + suffix, HR, address, type, bo, wo, 0.1, -40));
                    address += type.registers();
                }
            }
        }
        tags.add(scaled("energy_total", IR, address, DataType.UINT32, ByteOrder.LITTLE_ENDIAN, WordOrder.LOW_FIRST,
                0.01, 0));
        tags.add(scaled("voltage_l1", IR, address + 2, DataType.FLOAT32, ByteOrder.BIG_ENDIAN, WordOrder.LOW_FIRST,
                1, 0));
        tags.add(scaled("temperature", IR, address + 4, DataType.INT16, ByteOrder.BIG_ENDIAN, WordOrder.HIGH_FIRST,
                0.1, 0));
        tags.add(scaled("pv_scaled_f64", IR, address + 5, DataType.FLOAT64, ByteOrder.LITTLE_ENDIAN,
                WordOrder.LOW_FIRST, 0.5, 3));
        tags.add(string("model", HR, address, 11, ByteOrder.BIG_ENDIAN));
        tags.add(string("serial_number", HR, address + 6, 12, ByteOrder.LITTLE_ENDIAN));
        tags.add(bit("status_run", HR, address + 12, 0, ByteOrder.BIG_ENDIAN));
        tags.add(bit("status_fault", HR, address + 12, 5, ByteOrder.BIG_ENDIAN));
        tags.add(bit("status_remote", HR, address + 12, 15, ByteOrder.BIG_ENDIAN));
        tags.add(bit("alarm_le", IR, address + 12, 3, ByteOrder.LITTLE_ENDIAN));
        tags.add(plain("enabled", HR, address + 13, DataType.BOOL));
        tags.add(plain("coil_motor", RegisterArea.COIL, 3, DataType.BOOL));
        tags.add(plain("di_door", RegisterArea.DISCRETE_INPUT, 65535, DataType.BOOL));
        return Tags.profile("every-type", "PM5560-SIM", tags);
    }

    @Test
    void roundTrip_everyTypeAndOrderOverTcp_decodesToCurrentValue() throws IOException {
        DeviceProfile profile = everyTypeProfile();
        try (ModbusTcpServer server = new ModbusTcpServer("127.0.0.1", 0)) {
            ProfileSimulation simulation = new ProfileSimulation(profile, server.unit(1), 42);
            server.start();
            try (RawModbusClient client = new RawModbusClient(server.port())) {
                Set<String> changed = new HashSet<>();
                List<Object> first = new ArrayList<>();
                for (int round = 0; round < 30; round++) {
                    int i = 0;
                    for (TagDefinition def : profile.tags()) {
                        Object expected = simulation.currentValue(def.name());
                        Object decoded = readOverTcp(client, def);
                        assertThat(decoded).as("tag %s after %d ticks", def.name(), round).isEqualTo(expected);
                        assertThat(decoded).as(def.name()).isInstanceOf(javaType(def));
                        if (round == 0) {
                            first.add(decoded);
                        } else if (!decoded.equals(first.get(i))) {
                            changed.add(def.name());
                        }
                        i++;
                    }
                    simulation.tick();
                }
                // Everything but the fixed strings moves.
                assertThat(changed).containsAll(profile.tags().stream().map(TagDefinition::name)
                        .filter(n -> !n.equals("model") && !n.equals("serial_number")).toList());
            }
        }
    }

    @Test
    void roundTrip_registersMatchAnEncodingDoneByHand() throws IOException {
        DeviceProfile profile = everyTypeProfile();
        try (ModbusTcpServer server = new ModbusTcpServer("127.0.0.1", 0)) {
            ProfileSimulation simulation = new ProfileSimulation(profile, server.unit(1), 3);
            server.start();
            try (RawModbusClient client = new RawModbusClient(server.port())) {
                for (int round = 0; round < 5; round++) {
                    int u16 = (Integer) simulation.currentValue("h_uint16_be_hf");
                    assertThat(client.readRegisters(1, 3, address(profile, "h_uint16_be_hf"), 1)).containsExactly(u16);

                    int i32 = (Integer) simulation.currentValue("i_int32_le_lf");
                    assertThat(client.readRegisters(1, 4, address(profile, "i_int32_le_lf"), 2))
                            .containsExactly(swap(i32 & 0xFFFF), swap(i32 >>> 16));

                    int f32 = Float.floatToIntBits((Float) simulation.currentValue("h_float32_be_hf"));
                    assertThat(client.readRegisters(1, 3, address(profile, "h_float32_be_hf"), 2))
                            .containsExactly(f32 >>> 16, f32 & 0xFFFF);

                    long i64 = (Long) simulation.currentValue("i_int64_be_lf");
                    assertThat(client.readRegisters(1, 4, address(profile, "i_int64_be_lf"), 4)).containsExactly(
                            (int) (i64 & 0xFFFF), (int) ((i64 >>> 16) & 0xFFFF), (int) ((i64 >>> 32) & 0xFFFF),
                            (int) (i64 >>> 48));
                    simulation.tick();
                }
                // "PM5560-SIM" in 11 characters: two per register, first in the high byte, zero padded.
                assertThat(client.readRegisters(1, 3, address(profile, "model"), 6))
                        .containsExactly('P' << 8 | 'M', '5' << 8 | '5', '6' << 8 | '0', '-' << 8 | 'S',
                                'I' << 8 | 'M', 0);
            }
        }
    }

    @Test
    void tick_counters_increaseMonotonically() {
        DeviceProfile profile = Tags.profile("meter", null, List.of(
                scaled("energy_total", HR, 0, DataType.UINT32, ByteOrder.BIG_ENDIAN, WordOrder.LOW_FIRST, 0.01, 0),
                plain("op_counter_64", HR, 2, DataType.INT64),
                plain("energy_import_f", HR, 6, DataType.FLOAT32),
                plain("something_u32", HR, 8, DataType.UINT32)));
        ProfileSimulation simulation = new ProfileSimulation(profile, new UnitDataModel(), 11);
        for (TagDefinition def : profile.tags()) {
            assertThat(simulation.behaviour(def.name())).as(def.name()).isEqualTo(Behaviour.COUNTER);
        }
        double[] previous = new double[profile.tags().size()];
        for (int t = 0; t < 500; t++) {
            for (int i = 0; i < previous.length; i++) {
                double value = ((Number) simulation.currentValue(profile.tags().get(i).name())).doubleValue();
                if (t > 0) {
                    assertThat(value).as("%s at tick %d", profile.tags().get(i).name(), t).isGreaterThan(previous[i]);
                }
                previous[i] = value;
            }
            simulation.tick();
        }
    }

    @Test
    void tick_ramps_stayWithinRangeAndSweepIt() {
        DeviceProfile profile = Tags.profile("drive", null, List.of(
                ranged("speed", 0, DataType.INT16, 1, -50.0, 50.0),
                ranged("level", 1, DataType.FLOAT32, 1, 0.0, 10.0),
                ranged("flow", 3, DataType.UINT16, 0.1, null, null)));
        ProfileSimulation simulation = new ProfileSimulation(profile, new UnitDataModel(), 5);
        double[][] ranges = {{-50, 50}, {0, 10}, {0, 1000}};
        double[] min = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] max = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int t = 0; t < 200; t++) {
            for (int i = 0; i < 3; i++) {
                String name = profile.tags().get(i).name();
                assertThat(simulation.behaviour(name)).isEqualTo(Behaviour.RAMP);
                double value = ((Number) simulation.currentValue(name)).doubleValue();
                assertThat(value).as("%s at tick %d", name, t).isBetween(ranges[i][0], ranges[i][1]);
                min[i] = Math.min(min[i], value);
                max[i] = Math.max(max[i], value);
            }
            simulation.tick();
        }
        for (int i = 0; i < 3; i++) {
            assertThat(min[i]).isCloseTo(ranges[i][0], within(1e-9));
            assertThat(max[i]).isCloseTo(ranges[i][1], within(1e-9));
        }
    }

    @Test
    void tick_voltageAndTemperature_noiseAroundSetpoint() {
        DeviceProfile profile = Tags.profile("meter", null, List.of(
                ranged("voltage_l1", 0, DataType.UINT16, 0.1, null, null),
                ranged("temperature_oil", 1, DataType.FLOAT32, 1, 40.0, 80.0)));
        ProfileSimulation simulation = new ProfileSimulation(profile, new UnitDataModel(), 5);
        Set<Object> voltages = new HashSet<>();
        Set<Object> temperatures = new HashSet<>();
        for (int t = 0; t < 100; t++) {
            double v = (Double) simulation.currentValue("voltage_l1");
            float temp = (Float) simulation.currentValue("temperature_oil");
            assertThat(v).isBetween(220.0, 240.0);
            assertThat(temp).isBetween(56f, 64f); // 60 +- 10 % of the half range
            voltages.add(v);
            temperatures.add(temp);
            simulation.tick();
        }
        assertThat(simulation.behaviour("voltage_l1")).isEqualTo(Behaviour.NOISE);
        assertThat(voltages).hasSizeGreaterThan(3);
        assertThat(temperatures).hasSizeGreaterThan(3);
    }

    @Test
    void tick_boolsAndBits_toggleEveryFewTicks() {
        DeviceProfile profile = Tags.profile("io", null, List.of(
                plain("coil_pump", RegisterArea.COIL, 0, DataType.BOOL),
                plain("di_door", RegisterArea.DISCRETE_INPUT, 0, DataType.BOOL),
                bit("status_ready", HR, 0, 4, ByteOrder.LITTLE_ENDIAN),
                plain("enabled", HR, 1, DataType.BOOL)));
        ProfileSimulation simulation = new ProfileSimulation(profile, new UnitDataModel(), 9);
        for (TagDefinition def : profile.tags()) {
            assertThat(simulation.behaviour(def.name())).isEqualTo(Behaviour.TOGGLE);
            Set<Object> seen = new HashSet<>();
            Object last = simulation.currentValue(def.name());
            int longestRun = 0;
            int run = 0;
            for (int t = 0; t < 40; t++) {
                simulation.tick();
                Object now = simulation.currentValue(def.name());
                seen.add(now);
                run = now.equals(last) ? run + 1 : 0;
                longestRun = Math.max(longestRun, run);
                last = now;
            }
            assertThat(seen).as(def.name()).containsExactlyInAnyOrder(true, false);
            assertThat(longestRun).as(def.name()).isLessThan(13);
        }
    }

    @Test
    void tick_stringTags_fixedModelAndSerial() {
        DeviceProfile profile = Tags.profile("plc", "S7-1200 simulated", List.of(
                string("model_name", HR, 0, 8, ByteOrder.BIG_ENDIAN),
                string("serial_no", HR, 10, 12, ByteOrder.BIG_ENDIAN)));
        ProfileSimulation simulation = new ProfileSimulation(profile, new UnitDataModel(), 1);
        assertThat(simulation.currentValue("model_name")).isEqualTo("S7-1200"); // cut at 8, trailing blank dropped
        assertThat((String) simulation.currentValue("serial_no")).matches("SIM\\d{8}");
        Object serial = simulation.currentValue("serial_no");
        simulation.tick();
        assertThat(simulation.currentValue("serial_no")).isEqualTo(serial);
        assertThat(simulation.behaviour("model_name")).isEqualTo(Behaviour.FIXED);
    }

    @Test
    void constructor_sameSeed_sameValues_otherSeed_otherValues() {
        DeviceProfile profile = everyTypeProfile();
        UnitDataModel a = new UnitDataModel();
        UnitDataModel b = new UnitDataModel();
        UnitDataModel c = new UnitDataModel();
        ProfileSimulation simA = new ProfileSimulation(profile, a, 77);
        ProfileSimulation simB = new ProfileSimulation(profile, b, 77);
        ProfileSimulation simC = new ProfileSimulation(profile, c, 78);
        boolean differs = false;
        for (int t = 0; t < 20; t++) {
            assertThat(a.readRegisters(HR, 0, 125)).isEqualTo(b.readRegisters(HR, 0, 125));
            for (TagDefinition def : profile.tags()) {
                assertThat(simB.currentValue(def.name())).isEqualTo(simA.currentValue(def.name()));
                differs |= !simC.currentValue(def.name()).equals(simA.currentValue(def.name()));
            }
            simA.tick();
            simB.tick();
            simC.tick();
        }
        assertThat(differs).isTrue();
    }

    @Test
    void tick_afterClientWrites_keepsWrittenValuesAndAnimatesTheRest() throws IOException {
        DeviceProfile profile = Tags.profile("drive", null, List.of(
                ranged("setpoint", 10, DataType.INT32, 1, null, null),
                ranged("speed", 12, DataType.INT16, 1, -100.0, 100.0),
                plain("coil_start", RegisterArea.COIL, 0, DataType.BOOL)));
        try (ModbusTcpServer server = new ModbusTcpServer("127.0.0.1", 0)) {
            ProfileSimulation simulation = new ProfileSimulation(profile, server.unit(1), 4);
            server.start();
            try (RawModbusClient client = new RawModbusClient(server.port())) {
                client.writeRegisters(1, 10, 0, 1234);
                client.request(1, new byte[] {5, 0, 0, (byte) 0xFF, 0});
                Set<Object> speeds = new HashSet<>();
                for (int t = 0; t < 30; t++) {
                    simulation.tick();
                    speeds.add(simulation.currentValue("speed"));
                }
                assertThat(simulation.currentValue("setpoint")).isEqualTo(1234);
                assertThat(simulation.isClientOwned("setpoint")).isTrue();
                assertThat(client.readRegisters(1, 3, 10, 2)).containsExactly(0, 1234);
                assertThat(simulation.currentValue("coil_start")).isEqualTo(true);
                assertThat(client.readBits(1, 1, 0, 1)).containsExactly(true);
                assertThat(simulation.isClientOwned("speed")).isFalse();
                assertThat(speeds).hasSizeGreaterThan(5);
            }
        }
    }

    @Test
    void constructor_overlappingTags_laterOneSharesAndReadsRegisters() {
        DeviceProfile profile = Tags.profile("meter", null, List.of(
                ranged("power", 0, DataType.INT32, 1, null, null),
                plain("power_high_word", HR, 0, DataType.INT16)));
        ProfileSimulation simulation = new ProfileSimulation(profile, new UnitDataModel(), 2);
        assertThat(simulation.behaviour("power")).isEqualTo(Behaviour.RAMP);
        assertThat(simulation.behaviour("power_high_word")).isEqualTo(Behaviour.SHARED);
        Set<Object> seen = new HashSet<>();
        for (int t = 0; t < 40; t++) {
            int power = (Integer) simulation.currentValue("power");
            assertThat(simulation.currentValue("power_high_word")).isEqualTo((short) (power >> 16));
            seen.add(power);
            simulation.tick();
        }
        assertThat(seen).hasSizeGreaterThan(5);
    }

    @Test
    void constructor_statusWordWithBitTags_bitsToggleAndWordFollowsThem() {
        DeviceProfile profile = Tags.profile("controller", null, List.of(
                plain("status_word", HR, 75, DataType.UINT16),
                bit("alarm1_active", HR, 75, 0, ByteOrder.BIG_ENDIAN),
                bit("sensor_break", HR, 75, 5, ByteOrder.BIG_ENDIAN),
                bit("sensor_break_again", HR, 75, 5, ByteOrder.BIG_ENDIAN)));
        ProfileSimulation simulation = new ProfileSimulation(profile, new UnitDataModel(), 2);
        assertThat(simulation.behaviour("status_word")).isEqualTo(Behaviour.SHARED);
        assertThat(simulation.behaviour("alarm1_active")).isEqualTo(Behaviour.TOGGLE);
        assertThat(simulation.behaviour("sensor_break")).isEqualTo(Behaviour.TOGGLE);
        assertThat(simulation.behaviour("sensor_break_again")).isEqualTo(Behaviour.SHARED);
        Set<Object> words = new HashSet<>();
        for (int t = 0; t < 60; t++) {
            int expected = ((Boolean) simulation.currentValue("alarm1_active") ? 1 : 0)
                    | ((Boolean) simulation.currentValue("sensor_break") ? 1 << 5 : 0);
            assertThat(simulation.currentValue("status_word")).isEqualTo(expected);
            assertThat(simulation.currentValue("sensor_break_again")).isEqualTo(simulation.currentValue("sensor_break"));
            words.add(expected);
            simulation.tick();
        }
        assertThat(words).containsExactlyInAnyOrder(0, 1, 32, 33);
    }

    @Test
    void constructor_namesAndTypes_chooseBehaviour() {
        DeviceProfile profile = Tags.profile("meter", null, List.of(
                ranged("power_total", 0, DataType.INT32, 0.1, null, null),
                ranged("parts_total", 2, DataType.UINT16, 1, null, null),
                ranged("energy_import", 3, DataType.INT32, 0.1, null, null),
                ranged("hr_uint32", 5, DataType.UINT32, 1, null, null),
                ranged("hr_uint32_limited", 7, DataType.UINT32, 1, 0.0, 100.0),
                ranged("output_frequency", 9, DataType.INT16, 0.01, 0.0, 60.0),
                ranged("motor_speed", 10, DataType.INT16, 1, null, null),
                ranged("fault_code", 11, DataType.UINT16, 1, null, null),
                ranged("encoder_position", 12, DataType.INT16, 1, null, null),
                ranged("power_factor_l1", 13, DataType.INT16, 0.001, null, null),
                ranged("process_value", 14, DataType.INT16, 0.1, null, null)));
        ProfileSimulation simulation = new ProfileSimulation(profile, new UnitDataModel(), 2);
        assertThat(simulation.behaviour("power_total")).isEqualTo(Behaviour.RAMP);
        assertThat(simulation.behaviour("parts_total")).isEqualTo(Behaviour.COUNTER);
        assertThat(simulation.behaviour("energy_import")).isEqualTo(Behaviour.COUNTER);
        assertThat(simulation.behaviour("hr_uint32")).isEqualTo(Behaviour.COUNTER);
        assertThat(simulation.behaviour("hr_uint32_limited")).isEqualTo(Behaviour.RAMP);
        assertThat(simulation.behaviour("output_frequency")).isEqualTo(Behaviour.NOISE);
        assertThat(simulation.behaviour("motor_speed")).isEqualTo(Behaviour.RAMP);
        assertThat(simulation.behaviour("fault_code")).isEqualTo(Behaviour.FIXED);
        assertThat(simulation.behaviour("encoder_position")).isEqualTo(Behaviour.RAMP);
        assertThat(simulation.behaviour("power_factor_l1")).isEqualTo(Behaviour.NOISE);
        assertThat(simulation.behaviour("process_value")).isEqualTo(Behaviour.NOISE);
        for (int t = 0; t < 50; t++) {
            assertThat(simulation.currentValue("fault_code")).isEqualTo(0);
            assertThat((Double) simulation.currentValue("power_factor_l1")).isBetween(0.85, 0.99);
            // Near the 50 Hz nominal value, not in the middle of the 0..60 limits.
            assertThat((Double) simulation.currentValue("output_frequency")).isBetween(49.9 - 1e-9, 50.1 + 1e-9);
            simulation.tick();
        }
    }

    @Test
    void constructor_scaleZero_tagNotAnimatedOthersAre() {
        DeviceProfile profile = Tags.profile("broken", null, List.of(
                ranged("broken", 0, DataType.INT16, 0, null, null),
                ranged("fine", 1, DataType.INT16, 1, 0.0, 10.0)));
        ProfileSimulation simulation = new ProfileSimulation(profile, new UnitDataModel(), 2);
        assertThat(simulation.behaviour("broken")).isEqualTo(Behaviour.NONE);
        assertThat(simulation.behaviour("fine")).isEqualTo(Behaviour.RAMP);
    }

    @Test
    void currentValue_unknownTag_errorNamesTagAndProfile() {
        ProfileSimulation simulation = new ProfileSimulation(everyTypeProfile(), new UnitDataModel(), 1);
        assertThatThrownBy(() -> simulation.currentValue("nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope").hasMessageContaining("every-type");
    }

    private static Object readOverTcp(RawModbusClient client, TagDefinition def) throws IOException {
        return switch (def.area()) {
            case COIL -> client.readBits(1, 1, def.address(), 1)[0];
            case DISCRETE_INPUT -> client.readBits(1, 2, def.address(), 1)[0];
            case HOLDING_REGISTER -> RegisterCodec.decode(def, client.readRegisters(1, 3, def.address(),
                    def.quantity()), 0);
            case INPUT_REGISTER -> RegisterCodec.decode(def, client.readRegisters(1, 4, def.address(),
                    def.quantity()), 0);
        };
    }

    private static Class<?> javaType(TagDefinition def) {
        return def.isScaled() ? Double.class : def.dataType().javaType();
    }

    private static int address(DeviceProfile profile, String name) {
        return profile.tag(name).orElseThrow().address();
    }

    private static int swap(int register) {
        return ((register & 0xFF) << 8) | (register >> 8);
    }
}
