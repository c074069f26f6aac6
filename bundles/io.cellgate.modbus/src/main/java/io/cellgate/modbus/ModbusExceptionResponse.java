package io.cellgate.modbus;

/** The device answered with a Modbus exception response (function code | 0x80). */
public class ModbusExceptionResponse extends ModbusException {
    private static final long serialVersionUID = 1L;

    private final int functionCode;
    private final int exceptionCode;

    public ModbusExceptionResponse(int functionCode, int exceptionCode) {
        super(String.format("device exception 0x%02X %s (function %d)", exceptionCode, name(exceptionCode),
                functionCode));
        this.functionCode = functionCode;
        this.exceptionCode = exceptionCode;
    }

    /** The function code of the request (without the 0x80 flag). */
    public int functionCode() {
        return functionCode;
    }

    public int exceptionCode() {
        return exceptionCode;
    }

    /** The specification's name of an exception code, "unknown" outside 1..11. */
    public static String name(int code) {
        return switch (code) {
            case 1 -> "illegal function";
            case 2 -> "illegal data address";
            case 3 -> "illegal data value";
            case 4 -> "server device failure";
            case 5 -> "acknowledge";
            case 6 -> "server device busy";
            case 7 -> "negative acknowledge";
            case 8 -> "memory parity error";
            case 10 -> "gateway path unavailable";
            case 11 -> "gateway target device failed to respond";
            default -> "unknown";
        };
    }
}
