package io.cellgate.simulator.internal;

import io.cellgate.api.config.RegisterArea;

/**
 * Answers one Modbus request PDU against a unit's data model (Modbus Application Protocol V1.1b3,
 * function codes 1, 2, 3, 4, 5, 6, 15 and 16). Malformed requests get exception 03, as the
 * specification asks; the framing layer has already checked the PDU is 1..253 bytes.
 */
final class ModbusRequestHandler {

    static final int ILLEGAL_FUNCTION = 0x01;
    static final int ILLEGAL_DATA_ADDRESS = 0x02;
    static final int ILLEGAL_DATA_VALUE = 0x03;
    static final int GATEWAY_TARGET_FAILED = 0x0B;

    private static final int MAX_READ_BITS = 2000;
    private static final int MAX_READ_REGISTERS = 125;
    private static final int MAX_WRITE_COILS = 1968;
    private static final int MAX_WRITE_REGISTERS = 123;

    private ModbusRequestHandler() {
    }

    /** The response PDU for a request PDU (never null, never throws for any input of length >= 1). */
    static byte[] handle(UnitDataModel unit, byte[] pdu) {
        int fc = pdu[0] & 0xFF;
        return switch (fc) {
            case 1 -> readBits(unit, RegisterArea.COIL, pdu);
            case 2 -> readBits(unit, RegisterArea.DISCRETE_INPUT, pdu);
            case 3 -> readRegisters(unit, RegisterArea.HOLDING_REGISTER, pdu);
            case 4 -> readRegisters(unit, RegisterArea.INPUT_REGISTER, pdu);
            case 5 -> writeSingleCoil(unit, pdu);
            case 6 -> writeSingleRegister(unit, pdu);
            case 15 -> writeMultipleCoils(unit, pdu);
            case 16 -> writeMultipleRegisters(unit, pdu);
            default -> exception(fc, ILLEGAL_FUNCTION);
        };
    }

    /** An exception response PDU: the function code with the high bit set, then the code. */
    static byte[] exception(int functionCode, int code) {
        return new byte[] {(byte) (functionCode | 0x80), (byte) code};
    }

    private static byte[] readBits(UnitDataModel unit, RegisterArea area, byte[] pdu) {
        int fc = pdu[0] & 0xFF;
        if (pdu.length != 5) {
            return exception(fc, ILLEGAL_DATA_VALUE);
        }
        int address = u16(pdu, 1);
        int quantity = u16(pdu, 3);
        if (quantity < 1 || quantity > MAX_READ_BITS) {
            return exception(fc, ILLEGAL_DATA_VALUE);
        }
        if (address + quantity > UnitDataModel.SIZE) {
            return exception(fc, ILLEGAL_DATA_ADDRESS);
        }
        boolean[] bits = unit.readBits(area, address, quantity);
        int byteCount = (quantity + 7) / 8;
        byte[] out = new byte[2 + byteCount];
        out[0] = (byte) fc;
        out[1] = (byte) byteCount;
        for (int i = 0; i < quantity; i++) {
            if (bits[i]) {
                out[2 + (i >> 3)] |= (byte) (1 << (i & 7));
            }
        }
        return out;
    }

    private static byte[] readRegisters(UnitDataModel unit, RegisterArea area, byte[] pdu) {
        int fc = pdu[0] & 0xFF;
        if (pdu.length != 5) {
            return exception(fc, ILLEGAL_DATA_VALUE);
        }
        int address = u16(pdu, 1);
        int quantity = u16(pdu, 3);
        if (quantity < 1 || quantity > MAX_READ_REGISTERS) {
            return exception(fc, ILLEGAL_DATA_VALUE);
        }
        if (address + quantity > UnitDataModel.SIZE) {
            return exception(fc, ILLEGAL_DATA_ADDRESS);
        }
        int[] regs = unit.readRegisters(area, address, quantity);
        byte[] out = new byte[2 + 2 * quantity];
        out[0] = (byte) fc;
        out[1] = (byte) (2 * quantity);
        for (int i = 0; i < quantity; i++) {
            out[2 + 2 * i] = (byte) (regs[i] >> 8);
            out[3 + 2 * i] = (byte) regs[i];
        }
        return out;
    }

    private static byte[] writeSingleCoil(UnitDataModel unit, byte[] pdu) {
        if (pdu.length != 5) {
            return exception(5, ILLEGAL_DATA_VALUE);
        }
        int address = u16(pdu, 1);
        int value = u16(pdu, 3);
        if (value != 0xFF00 && value != 0x0000) {
            return exception(5, ILLEGAL_DATA_VALUE);
        }
        unit.clientWriteCoils(address, new boolean[] {value == 0xFF00});
        return pdu.clone(); // the normal response echoes the request
    }

    private static byte[] writeSingleRegister(UnitDataModel unit, byte[] pdu) {
        if (pdu.length != 5) {
            return exception(6, ILLEGAL_DATA_VALUE);
        }
        unit.clientWriteRegisters(u16(pdu, 1), new int[] {u16(pdu, 3)});
        return pdu.clone();
    }

    private static byte[] writeMultipleCoils(UnitDataModel unit, byte[] pdu) {
        if (pdu.length < 6) {
            return exception(15, ILLEGAL_DATA_VALUE);
        }
        int address = u16(pdu, 1);
        int quantity = u16(pdu, 3);
        int byteCount = pdu[5] & 0xFF;
        if (quantity < 1 || quantity > MAX_WRITE_COILS || byteCount != (quantity + 7) / 8
                || pdu.length != 6 + byteCount) {
            return exception(15, ILLEGAL_DATA_VALUE);
        }
        if (address + quantity > UnitDataModel.SIZE) {
            return exception(15, ILLEGAL_DATA_ADDRESS);
        }
        boolean[] values = new boolean[quantity];
        for (int i = 0; i < quantity; i++) {
            values[i] = ((pdu[6 + (i >> 3)] >> (i & 7)) & 1) != 0;
        }
        unit.clientWriteCoils(address, values);
        return new byte[] {15, pdu[1], pdu[2], pdu[3], pdu[4]};
    }

    private static byte[] writeMultipleRegisters(UnitDataModel unit, byte[] pdu) {
        if (pdu.length < 6) {
            return exception(16, ILLEGAL_DATA_VALUE);
        }
        int address = u16(pdu, 1);
        int quantity = u16(pdu, 3);
        int byteCount = pdu[5] & 0xFF;
        if (quantity < 1 || quantity > MAX_WRITE_REGISTERS || byteCount != 2 * quantity
                || pdu.length != 6 + byteCount) {
            return exception(16, ILLEGAL_DATA_VALUE);
        }
        if (address + quantity > UnitDataModel.SIZE) {
            return exception(16, ILLEGAL_DATA_ADDRESS);
        }
        int[] values = new int[quantity];
        for (int i = 0; i < quantity; i++) {
            values[i] = u16(pdu, 6 + 2 * i);
        }
        unit.clientWriteRegisters(address, values);
        return new byte[] {16, pdu[1], pdu[2], pdu[3], pdu[4]};
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }
}
