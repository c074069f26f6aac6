package io.cellgate.simulator.internal;

import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.api.tag.DataType;
import io.cellgate.modbus.RegisterCodec;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moving values for every tag of a device profile, written into a unit's data model with
 * {@link RegisterCodec}, so a client decoding with the same profile gets exactly {@link #currentValue}.
 *
 * <p>The behaviour of each tag follows from the tag itself (see {@link Behaviour}); the range is the
 * tag's min..max where given, else a default that the data type, scale and offset can represent.
 * Values are generated on the tag's raw grid (integers for integer types), so they survive encoding.
 * Time is counted in ticks, not wall-clock time: the same seed gives the same sequence.
 *
 * <p>A tag whose registers (or coil) a client has written is no longer animated: it keeps what the
 * client wrote, as a read-write setpoint on a real device would. Thread-safe: one monitor per
 * simulation, and the data model has its own.
 */
public final class ProfileSimulation {

    private static final Logger LOG = LoggerFactory.getLogger(ProfileSimulation.class);

    /** How a tag's value moves. */
    public enum Behaviour {
        /**
         * Monotonic increase by a small random step per tick (energy, totals, operating hours, UINT32/INT64
         * without a max); wraps at the range end like a real meter.
         */
        COUNTER,
        /** Sawtooth from the range low to high over a per-tag period (most analog values). */
        RAMP,
        /** Random noise around the middle of the range (voltages, temperatures, process values, frequency, pressure). */
        NOISE,
        /** Flips every few ticks (BOOL, BIT, coils, discrete inputs). */
        TOGGLE,
        /** A constant: STRING tags hold the model name or a serial number; numeric "...code" tags hold 0 (no fault). */
        FIXED,
        /**
         * Shares registers with another tag that drives them (an earlier tag, or the BIT tags of a status
         * word); this one only reads them.
         */
        SHARED,
        /** Not animated because the definition cannot be simulated (a WARN says why). */
        NONE
    }

    private static final String[] COUNTER_WORDS = {"energy", "count", "kwh", "mwh", "varh", "hours", "runtime",
        "operating", "cycles", "starts"};
    /** "total" is a counter (total_parts) unless it totals an instantaneous value (power_total). */
    private static final String[] INSTANTANEOUS_WORDS = {"power", "current", "factor", "flow", "rate", "demand",
        "volt", "freq"};
    private static final String[] NOISE_WORDS = {"volt", "temp", "pv", "process_value", "freq", "pressure", "humidity",
        "factor"};

    private final DeviceProfile profile;
    private final UnitDataModel model;
    private final Map<String, TagSim> tags = new LinkedHashMap<>();
    private long ticks;

    /**
     * Classifies the profile's tags and writes their initial values.
     *
     * @param seed the same seed gives the same sequence of values
     */
    public ProfileSimulation(DeviceProfile profile, UnitDataModel model, long seed) {
        this.profile = profile;
        this.model = model;
        // Registers holding BIT tags: the bits drive them (a status word follows its toggling bits).
        Map<RegisterArea, BitSet> bitRegisters = new EnumMap<>(RegisterArea.class);
        Map<RegisterArea, BitSet> wordsUsed = new EnumMap<>(RegisterArea.class);
        for (RegisterArea area : RegisterArea.values()) {
            bitRegisters.put(area, new BitSet(UnitDataModel.SIZE));
            wordsUsed.put(area, new BitSet(UnitDataModel.SIZE));
        }
        for (TagDefinition def : profile.tags()) {
            if (isRegisterBit(def) && problem(def) == null) {
                bitRegisters.get(def.area()).set(def.address());
            }
        }
        Set<String> bitsUsed = new HashSet<>();
        int index = 0;
        for (TagDefinition def : profile.tags()) {
            Random random = new Random(seed * 1_000_003L + index++);
            Behaviour behaviour = classify(def, wordsUsed.get(def.area()), bitRegisters.get(def.area()), bitsUsed);
            tags.put(def.name(), new TagSim(def, behaviour, random));
        }
        for (TagSim tag : tags.values()) {
            update(tag);
        }
    }

    /** Advances every animated tag by one step and writes the new values. */
    public synchronized void tick() {
        ticks++;
        for (TagSim tag : tags.values()) {
            update(tag);
        }
    }

    /** Ticks done since construction. */
    public synchronized long ticks() {
        return ticks;
    }

    public DeviceProfile profile() {
        return profile;
    }

    /**
     * The value a client decoding the tag's registers with the profile gets now: the simulated value,
     * or what a client wrote, or (for {@link Behaviour#SHARED} and {@link Behaviour#NONE}) whatever the
     * registers hold; null only if those registers do not decode.
     *
     * @throws IllegalArgumentException for a tag name the profile does not have
     */
    public synchronized Object currentValue(String tagName) {
        TagSim tag = tag(tagName);
        if (tag.current != null && !tag.clientOwned) {
            return tag.current;
        }
        return readBack(tag.def);
    }

    /** How the tag moves. */
    public synchronized Behaviour behaviour(String tagName) {
        return tag(tagName).behaviour;
    }

    /** True once a client has written the tag's registers; the simulation leaves it alone from then on. */
    public synchronized boolean isClientOwned(String tagName) {
        return tag(tagName).clientOwned;
    }

    private TagSim tag(String tagName) {
        TagSim tag = tags.get(tagName);
        if (tag == null) {
            throw new IllegalArgumentException("profile " + profile.id() + " has no tag '" + tagName + "'");
        }
        return tag;
    }

    private Behaviour classify(TagDefinition def, BitSet wordsUsed, BitSet bitRegisters, Set<String> bitsUsed) {
        String problem = problem(def);
        if (problem != null) {
            LOG.warn("Simulator, profile {}: tag {} is not animated: {}", profile.id(), def.name(), problem);
            return Behaviour.NONE;
        }
        int from = def.address();
        int to = from + def.quantity();
        if (isRegisterBit(def)) {
            if (!bitsUsed.add(def.area() + ":" + from + "." + def.bit())) {
                return Behaviour.SHARED; // the same bit under a second name
            }
        } else {
            if (wordsUsed.get(from, to).cardinality() > 0 || bitRegisters.get(from, to).cardinality() > 0) {
                return Behaviour.SHARED;
            }
            wordsUsed.set(from, to);
        }
        DataType type = def.dataType();
        if (def.area().isBits() || type == DataType.BOOL || type == DataType.BIT) {
            return Behaviour.TOGGLE;
        }
        String name = def.name().toLowerCase(Locale.ROOT);
        if (type == DataType.STRING || name.endsWith("code") || name.contains("code_")) {
            return Behaviour.FIXED; // a fault or error code that kept changing would look like a failing device
        }
        if (containsAny(name, COUNTER_WORDS)
                || name.contains("total") && !containsAny(name, INSTANTANEOUS_WORDS)) {
            return Behaviour.COUNTER;
        }
        if (containsAny(name, NOISE_WORDS)) {
            return Behaviour.NOISE;
        }
        if ((type == DataType.UINT32 || type == DataType.INT64) && def.max() == null) {
            return Behaviour.COUNTER;
        }
        return Behaviour.RAMP;
    }

    private static boolean isRegisterBit(TagDefinition def) {
        return def.dataType() == DataType.BIT && !def.area().isBits();
    }

    private static String problem(TagDefinition def) {
        if (def.address() < 0 || def.address() + def.quantity() > UnitDataModel.SIZE) {
            return "address " + def.address() + " +" + def.quantity() + " is outside 0..65535";
        }
        if (def.area().isBits() && def.dataType() != DataType.BOOL) {
            return def.area() + " holds single bits, not " + def.dataType();
        }
        if (def.dataType() == DataType.STRING && def.length() <= 0) {
            return "STRING length " + def.length() + " must be positive";
        }
        if (def.dataType() == DataType.BIT && !def.area().isBits() && (def.bit() < 0 || def.bit() > 15)) {
            return "bit " + def.bit() + " is outside 0..15";
        }
        if (def.dataType().isNumeric() && (def.scale() == 0 || !Double.isFinite(def.scale())
                || !Double.isFinite(def.offset()))) {
            return "scale " + def.scale() + " / offset " + def.offset() + " cannot be inverted";
        }
        return null;
    }

    private static boolean containsAny(String name, String[] words) {
        for (String word : words) {
            if (name.contains(word)) {
                return true;
            }
        }
        return false;
    }

    private void update(TagSim tag) {
        if (tag.clientOwned || tag.behaviour == Behaviour.SHARED || tag.behaviour == Behaviour.NONE) {
            return;
        }
        TagDefinition def = tag.def;
        Object value = tag.next(ticks);
        boolean written;
        try {
            if (def.area().isBits()) {
                written = model.simulateBit(def.area(), def.address(), (Boolean) value);
            } else if (def.dataType() == DataType.BIT) {
                boolean bit = (Boolean) value;
                written = model.simulateRegister(def.area(), def.address(), r -> RegisterCodec.applyBit(def, r, bit));
            } else {
                int[] regs = RegisterCodec.encode(def, value);
                if (def.isScaled() && (def.dataType() == DataType.FLOAT32 || def.dataType() == DataType.FLOAT64)) {
                    // (v - offset) / scale * scale + offset may differ from v in the last bit: report what a client decodes.
                    value = RegisterCodec.decode(def, regs, 0);
                }
                written = model.simulateRegisters(def.area(), def.address(), regs);
            }
        } catch (IllegalArgumentException e) {
            LOG.warn("Simulator, profile {}: tag {} is no longer animated: {}", profile.id(), def.name(), e.getMessage());
            tag.behaviour = Behaviour.NONE;
            tag.current = null;
            return;
        }
        if (written) {
            tag.current = value;
        } else {
            tag.clientOwned = true;
            tag.current = null;
            LOG.debug("Simulator, profile {}: tag {} was written by a client and keeps that value", profile.id(),
                    def.name());
        }
    }

    private Object readBack(TagDefinition def) {
        try {
            if (def.area().isBits()) {
                return model.readBits(def.area(), def.address(), 1)[0];
            }
            return RegisterCodec.decode(def, model.readRegisters(def.area(), def.address(), def.quantity()), 0);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The state of one tag's motion. */
    private final class TagSim {
        final TagDefinition def;
        Behaviour behaviour;
        Object current;
        boolean clientOwned;

        // Range in the raw domain (before scale/offset): integers for integer types.
        private final double rawLo;
        private final double rawHi;
        private final boolean integer;
        private final Random random;
        private final int period;
        private final int phase;
        private long countLong;
        private double countDouble;
        private final long step;
        private boolean bit;
        private final String text;

        TagSim(TagDefinition def, Behaviour behaviour, Random random) {
            this.def = def;
            this.behaviour = behaviour;
            this.random = random;
            DataType type = def.dataType();
            this.integer = type.isNumeric() && type != DataType.FLOAT32 && type != DataType.FLOAT64;
            double[] range = type.isNumeric() ? rawRange(def, behaviour) : new double[] {0, 0};
            this.rawLo = range[0];
            this.rawHi = range[1];
            this.period = behaviour == Behaviour.TOGGLE ? 4 + random.nextInt(9) : 20 + random.nextInt(41);
            this.phase = random.nextInt(period);
            this.step = 1 + random.nextInt(10);
            this.bit = random.nextBoolean();
            double start = rawLo + Math.min(1000, (rawHi - rawLo) / 10) * random.nextDouble();
            this.countLong = integer ? (long) Math.floor(start) : 0;
            this.countDouble = start;
            this.text = behaviour == Behaviour.FIXED && type == DataType.STRING ? fixedText(def, random) : null;
        }

        /** The value for tick {@code t}. */
        Object next(long t) {
            return switch (behaviour) {
                case TOGGLE -> {
                    if (t > 0 && (t + phase) % period == 0) {
                        bit = !bit;
                    }
                    yield bit;
                }
                case FIXED -> text != null ? text : typed(0);
                case COUNTER -> counter(t);
                case RAMP -> typed(rawLo + (rawHi - rawLo) * ((t + phase) % period) / (period - 1));
                case NOISE -> {
                    double mid = (rawLo + rawHi) / 2;
                    double amplitude = (rawHi - rawLo) / 2 * 0.1;
                    yield typed(mid + amplitude * (2 * random.nextDouble() - 1));
                }
                default -> throw new IllegalStateException("no values for behaviour " + behaviour);
            };
        }

        private Object counter(long t) {
            if (integer) {
                if (t > 0) {
                    long hi = (long) Math.floor(rawHi);
                    countLong = countLong > hi - step ? (long) Math.ceil(rawLo) : countLong + step;
                }
                return typedLong(countLong);
            }
            if (t > 0) {
                double increment = step / 10.0;
                countDouble = countDouble + increment > rawHi ? rawLo : countDouble + increment;
            }
            return typed(countDouble);
        }

        /** A raw-domain number as the value type decode() returns for the tag. */
        private Object typed(double raw) {
            double clamped = Math.max(rawLo, Math.min(rawHi, raw));
            return switch (def.dataType()) {
                case FLOAT32 -> {
                    float f = (float) clamped;
                    yield def.isScaled() ? (double) f * def.scale() + def.offset() : (Object) f;
                }
                case FLOAT64 -> def.isScaled() ? clamped * def.scale() + def.offset() : clamped;
                default -> typedLong(Math.round(clamped));
            };
        }

        private Object typedLong(long raw) {
            if (def.isScaled()) {
                return (double) raw * def.scale() + def.offset();
            }
            return switch (def.dataType()) {
                case INT16 -> (short) raw;
                case UINT16, INT32 -> (int) raw;
                case UINT32, INT64 -> raw;
                default -> throw new IllegalStateException("not an integer type: " + def.dataType());
            };
        }

        private String fixedText(TagDefinition def, Random random) {
            String name = def.name().toLowerCase(Locale.ROOT);
            String s;
            if (name.contains("serial")) {
                s = String.format(Locale.ROOT, "SIM%08d", random.nextInt(100_000_000));
            } else if (name.contains("vendor") || name.contains("manufacturer")) {
                s = profile.vendor() != null ? profile.vendor() : "CellGate";
            } else {
                s = profile.model() != null ? profile.model() : profile.id();
            }
            StringBuilder ascii = new StringBuilder();
            for (char c : s.toCharArray()) {
                ascii.append(c >= 0x20 && c < 0x7F ? c : '?');
            }
            // Trailing blanks are trimmed by the decoder, so they would not round-trip.
            String out = ascii.length() > def.length() ? ascii.substring(0, def.length()) : ascii.toString();
            return out.stripTrailing();
        }
    }

    /** The tag's range in the raw domain: min..max where configured, else a default, within the type. */
    private static double[] rawRange(TagDefinition def, Behaviour behaviour) {
        double[] type = typeRange(def.dataType());
        double[] raw;
        if (behaviour == Behaviour.COUNTER) {
            raw = new double[] {
                def.min() != null ? toRaw(def, def.min()) : Math.max(type[0], def.isScaled() ? toRaw(def, 0) : 0),
                def.max() != null ? toRaw(def, def.max()) : type[1]};
            if (def.dataType() == DataType.FLOAT32) {
                raw[1] = Math.min(raw[1], 1e7); // beyond 2^24 a FLOAT32 counter stops moving by small steps
            }
        } else {
            double[] eng = defaultRange(def, behaviour);
            double lo = def.min() != null ? def.min() : eng[0];
            double hi = def.max() != null ? def.max() : Math.max(lo, def.min() != null ? lo + eng[1] - eng[0] : eng[1]);
            if (behaviour == Behaviour.NOISE && Math.max(lo, eng[0]) <= Math.min(hi, eng[1])) {
                // min..max are limits; a mains voltage or frequency still sits near its nominal value.
                lo = Math.max(lo, eng[0]);
                hi = Math.min(hi, eng[1]);
            }
            raw = new double[] {toRaw(def, lo), toRaw(def, hi)};
        }
        double lo = Math.max(Math.min(raw[0], raw[1]), type[0]);
        double hi = Math.min(Math.max(raw[0], raw[1]), type[1]);
        if (def.dataType() != DataType.FLOAT32 && def.dataType() != DataType.FLOAT64) {
            lo = Math.ceil(lo);
            hi = Math.floor(hi);
        }
        if (!(lo <= hi)) { // the wanted range is not representable: stay small around zero instead
            lo = Math.max(type[0], -1000);
            hi = Math.min(type[1], 1000);
        }
        return new double[] {lo, hi};
    }

    private static double toRaw(TagDefinition def, double engineering) {
        return def.isScaled() ? (engineering - def.offset()) / def.scale() : engineering;
    }

    private static double[] defaultRange(TagDefinition def, Behaviour behaviour) {
        String name = def.name().toLowerCase(Locale.ROOT);
        if (behaviour == Behaviour.NOISE) {
            if (name.contains("volt")) {
                return new double[] {220, 240};
            }
            if (name.contains("temp")) {
                return new double[] {18, 30};
            }
            if (name.contains("freq")) {
                return new double[] {49.9, 50.1};
            }
            if (name.contains("pressure")) {
                return new double[] {4, 6};
            }
            if (name.contains("factor")) {
                return new double[] {0.85, 0.99}; // power factor (cos phi)
            }
            return new double[] {40, 60};
        }
        if (name.contains("current")) {
            return new double[] {0, 100};
        }
        return new double[] {0, 1000};
    }

    private static double[] typeRange(DataType type) {
        return switch (type) {
            case INT16 -> new double[] {Short.MIN_VALUE, Short.MAX_VALUE};
            case UINT16 -> new double[] {0, 0xFFFF};
            case INT32 -> new double[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
            case UINT32 -> new double[] {0, 0xFFFF_FFFFL};
            // Doubles near 2^63 round up past Long.MAX_VALUE: stay clear of the edges.
            case INT64 -> new double[] {-0x1p62, 0x1p62};
            case FLOAT32 -> new double[] {-Float.MAX_VALUE, Float.MAX_VALUE};
            case FLOAT64 -> new double[] {-Double.MAX_VALUE / 4, Double.MAX_VALUE / 4};
            default -> new double[] {0, 0};
        };
    }
}
