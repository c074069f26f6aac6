package io.cellgate.modbus;

import io.cellgate.api.config.RegisterArea;
import java.util.Arrays;

/**
 * A request PDU and what it asks for, so that the response can be validated against it. Only the
 * eight function codes of {@link Modbus} can be built; limits are checked before anything is encoded.
 *
 * @param functionCode function code
 * @param address      first address
 * @param quantity     registers or bits read or written (1 for single writes)
 * @param pdu          the encoded PDU (function code first)
 */
public record ModbusRequest(int functionCode, int address, int quantity, byte[] pdu) {

    public ModbusRequest {
        pdu = pdu.clone();
    }

    @Override
    public byte[] pdu() {
        return pdu.clone();
    }

    /** A read of an area: FC1 coils, FC2 discrete inputs, FC3 holding registers, FC4 input registers. */
    public static ModbusRequest read(RegisterArea area, int address, int quantity) {
        int fc = switch (area) {
            case COIL -> Modbus.READ_COILS;
            case DISCRETE_INPUT -> Modbus.READ_DISCRETE_INPUTS;
            case HOLDING_REGISTER -> Modbus.READ_HOLDING_REGISTERS;
            case INPUT_REGISTER -> Modbus.READ_INPUT_REGISTERS;
        };
        int max = area.isBits() ? Modbus.MAX_READ_BITS : Modbus.MAX_READ_REGISTERS;
        checkRange(fc, address, quantity, max);
        return new ModbusRequest(fc, address, quantity,
                new byte[] {(byte) fc, hi(address), lo(address), hi(quantity), lo(quantity)});
    }

    /** FC5. */
    public static ModbusRequest writeSingleCoil(int address, boolean value) {
        checkRange(Modbus.WRITE_SINGLE_COIL, address, 1, 1);
        return new ModbusRequest(Modbus.WRITE_SINGLE_COIL, address, 1, new byte[] {(byte) Modbus.WRITE_SINGLE_COIL,
            hi(address), lo(address), (byte) (value ? 0xFF : 0x00), 0});
    }

    /** FC6. */
    public static ModbusRequest writeSingleRegister(int address, int value) {
        checkRange(Modbus.WRITE_SINGLE_REGISTER, address, 1, 1);
        checkRegister(value);
        return new ModbusRequest(Modbus.WRITE_SINGLE_REGISTER, address, 1, new byte[] {
            (byte) Modbus.WRITE_SINGLE_REGISTER, hi(address), lo(address), hi(value), lo(value)});
    }

    /** FC15. */
    public static ModbusRequest writeMultipleCoils(int address, boolean[] values) {
        checkRange(Modbus.WRITE_MULTIPLE_COILS, address, values.length, Modbus.MAX_WRITE_COILS);
        byte[] packed = RegisterCodec.packBits(values);
        byte[] pdu = new byte[6 + packed.length];
        pdu[0] = (byte) Modbus.WRITE_MULTIPLE_COILS;
        pdu[1] = hi(address);
        pdu[2] = lo(address);
        pdu[3] = hi(values.length);
        pdu[4] = lo(values.length);
        pdu[5] = (byte) packed.length;
        System.arraycopy(packed, 0, pdu, 6, packed.length);
        return new ModbusRequest(Modbus.WRITE_MULTIPLE_COILS, address, values.length, pdu);
    }

    /** FC16. */
    public static ModbusRequest writeMultipleRegisters(int address, int[] values) {
        checkRange(Modbus.WRITE_MULTIPLE_REGISTERS, address, values.length, Modbus.MAX_WRITE_REGISTERS);
        byte[] pdu = new byte[6 + 2 * values.length];
        pdu[0] = (byte) Modbus.WRITE_MULTIPLE_REGISTERS;
        pdu[1] = hi(address);
        pdu[2] = lo(address);
        pdu[3] = hi(values.length);
        pdu[4] = lo(values.length);
        pdu[5] = (byte) (2 * values.length);
        for (int i = 0; i < values.length; i++) {
            checkRegister(values[i]);
            pdu[6 + 2 * i] = hi(values[i]);
            pdu[7 + 2 * i] = lo(values[i]);
        }
        return new ModbusRequest(Modbus.WRITE_MULTIPLE_REGISTERS, address, values.length, pdu);
    }

    /** True for FC1..FC4. */
    public boolean isRead() {
        return functionCode <= Modbus.READ_INPUT_REGISTERS;
    }

    /** True when the request reads coils or discrete inputs. */
    public boolean readsBits() {
        return functionCode == Modbus.READ_COILS || functionCode == Modbus.READ_DISCRETE_INPUTS;
    }

    /** Length of a normal (non-exception) response PDU to this request. */
    public int expectedResponseLength() {
        return isRead() ? 2 + expectedByteCount() : 5;
    }

    /** Byte count a read response must carry. */
    public int expectedByteCount() {
        return readsBits() ? (quantity + 7) / 8 : 2 * quantity;
    }

    private static void checkRange(int fc, int address, int quantity, int max) {
        if (quantity < 1 || quantity > max) {
            throw new IllegalArgumentException("function " + fc + ": quantity " + quantity + " outside 1.." + max);
        }
        if (address < 0 || address + quantity - 1 > 0xFFFF) {
            throw new IllegalArgumentException("function " + fc + ": addresses " + address + ".."
                    + (address + quantity - 1) + " outside 0..65535");
        }
    }

    private static void checkRegister(int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("register value " + value + " outside 0..65535");
        }
    }

    private static byte hi(int v) {
        return (byte) (v >> 8);
    }

    private static byte lo(int v) {
        return (byte) v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModbusRequest r && r.functionCode == functionCode && r.address == address
                && r.quantity == quantity && Arrays.equals(r.pdu, pdu);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(pdu) + functionCode;
    }

    @Override
    public String toString() {
        return "FC" + functionCode + " @" + address + " x" + quantity;
    }
}
