package io.cellgate.modbus;

/** Function codes and protocol limits (Modbus Application Protocol V1.1b3). */
public final class Modbus {
    public static final int READ_COILS = 1;
    public static final int READ_DISCRETE_INPUTS = 2;
    public static final int READ_HOLDING_REGISTERS = 3;
    public static final int READ_INPUT_REGISTERS = 4;
    public static final int WRITE_SINGLE_COIL = 5;
    public static final int WRITE_SINGLE_REGISTER = 6;
    public static final int WRITE_MULTIPLE_COILS = 15;
    public static final int WRITE_MULTIPLE_REGISTERS = 16;

    public static final int MAX_READ_REGISTERS = 125;
    public static final int MAX_READ_BITS = 2000;
    public static final int MAX_WRITE_REGISTERS = 123;
    public static final int MAX_WRITE_COILS = 1968;
    /** Largest PDU: 256-byte RTU ADU minus address and CRC. */
    public static final int MAX_PDU = 253;

    private Modbus() {
    }
}
