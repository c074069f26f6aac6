package io.cellgate.simulator.internal;

import io.cellgate.api.config.RegisterArea;
import java.util.BitSet;
import java.util.function.IntUnaryOperator;

/**
 * The four Modbus data areas of one simulated unit, 65536 entries each, all zero at start.
 *
 * <p>Every method is atomic with respect to the others (one monitor per unit), so a client reading a
 * multi-register value never sees half of a simulation update. Writes by clients are remembered per
 * address so that the simulation leaves what a client wrote alone.
 */
public final class UnitDataModel {

    /** Entries per area: protocol addresses 0..65535. */
    public static final int SIZE = 65536;

    private final boolean[] coils = new boolean[SIZE];
    private final boolean[] discreteInputs = new boolean[SIZE];
    // char is the unsigned 16-bit type: exactly a register.
    private final char[] inputRegisters = new char[SIZE];
    private final char[] holdingRegisters = new char[SIZE];
    private final BitSet clientWrittenCoils = new BitSet(SIZE);
    private final BitSet clientWrittenHolding = new BitSet(SIZE);

    /** Registers {@code address..address+quantity-1} of a register area, each 0..65535. */
    public synchronized int[] readRegisters(RegisterArea area, int address, int quantity) {
        char[] regs = registers(area);
        checkRange(area, address, quantity);
        int[] out = new int[quantity];
        for (int i = 0; i < quantity; i++) {
            out[i] = regs[address + i];
        }
        return out;
    }

    /** Bits {@code address..address+quantity-1} of a bit area. */
    public synchronized boolean[] readBits(RegisterArea area, int address, int quantity) {
        boolean[] bits = bits(area);
        checkRange(area, address, quantity);
        boolean[] out = new boolean[quantity];
        System.arraycopy(bits, address, out, 0, quantity);
        return out;
    }

    /** Sets registers of any register area, as the device itself would; not recorded as a client write. */
    public synchronized void writeRegisters(RegisterArea area, int address, int[] values) {
        char[] regs = registers(area);
        checkRange(area, address, values.length);
        for (int i = 0; i < values.length; i++) {
            regs[address + i] = checkRegister(values[i], address + i);
        }
    }

    /** Sets bits of any bit area, as the device itself would; not recorded as a client write. */
    public synchronized void writeBits(RegisterArea area, int address, boolean[] values) {
        boolean[] bits = bits(area);
        checkRange(area, address, values.length);
        System.arraycopy(values, 0, bits, address, values.length);
    }

    /**
     * A simulation update: sets the registers unless a client has written any of them.
     *
     * @return false (and nothing changed) when a client owns one of the registers
     */
    public synchronized boolean simulateRegisters(RegisterArea area, int address, int[] values) {
        if (isClientWritten(area, address, values.length)) {
            return false;
        }
        writeRegisters(area, address, values);
        return true;
    }

    /** A simulation update of one register by read-modify-write (BIT tags), unless a client wrote it. */
    public synchronized boolean simulateRegister(RegisterArea area, int address, IntUnaryOperator update) {
        if (isClientWritten(area, address, 1)) {
            return false;
        }
        char[] regs = registers(area);
        checkRange(area, address, 1);
        regs[address] = checkRegister(update.applyAsInt(regs[address]), address);
        return true;
    }

    /** A simulation update of one bit, unless a client wrote it. */
    public synchronized boolean simulateBit(RegisterArea area, int address, boolean value) {
        if (isClientWritten(area, address, 1)) {
            return false;
        }
        writeBits(area, address, new boolean[] {value});
        return true;
    }

    /** A client's write (FC 6/16): holding registers only, remembered as client-owned. */
    public synchronized void clientWriteRegisters(int address, int[] values) {
        writeRegisters(RegisterArea.HOLDING_REGISTER, address, values);
        clientWrittenHolding.set(address, address + values.length);
    }

    /** A client's write (FC 5/15): coils only, remembered as client-owned. */
    public synchronized void clientWriteCoils(int address, boolean[] values) {
        writeBits(RegisterArea.COIL, address, values);
        clientWrittenCoils.set(address, address + values.length);
    }

    /** True when a client wrote any entry of the range (only coils and holding registers can be written). */
    public synchronized boolean isClientWritten(RegisterArea area, int address, int quantity) {
        checkRange(area, address, quantity);
        BitSet written = switch (area) {
            case COIL -> clientWrittenCoils;
            case HOLDING_REGISTER -> clientWrittenHolding;
            default -> null;
        };
        if (written == null) {
            return false;
        }
        int next = written.nextSetBit(address);
        return next >= 0 && next < address + quantity;
    }

    /** Forgets which entries clients wrote, so the simulation animates them again. */
    public synchronized void clearClientWrites() {
        clientWrittenCoils.clear();
        clientWrittenHolding.clear();
    }

    private char[] registers(RegisterArea area) {
        return switch (area) {
            case INPUT_REGISTER -> inputRegisters;
            case HOLDING_REGISTER -> holdingRegisters;
            default -> throw new IllegalArgumentException(area + " is a bit area, not a register area");
        };
    }

    private boolean[] bits(RegisterArea area) {
        return switch (area) {
            case COIL -> coils;
            case DISCRETE_INPUT -> discreteInputs;
            default -> throw new IllegalArgumentException(area + " is a register area, not a bit area");
        };
    }

    private static void checkRange(RegisterArea area, int address, int quantity) {
        if (address < 0 || quantity < 0 || address + quantity > SIZE) {
            throw new IllegalArgumentException(area + " " + address + " +" + quantity + " is outside 0.." + (SIZE - 1));
        }
    }

    private static char checkRegister(int value, int address) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("register " + address + ": value " + value + " is not 16-bit");
        }
        return (char) value;
    }
}
