package io.cellgate.modbus;

/**
 * A frame that violates the protocol or does not answer the request (wrong ids, function code,
 * byte count, CRC, length). The stream it came from should not be trusted any further.
 */
public class ModbusProtocolException extends ModbusException {
    private static final long serialVersionUID = 1L;

    public ModbusProtocolException(String message) {
        super(message);
    }
}
