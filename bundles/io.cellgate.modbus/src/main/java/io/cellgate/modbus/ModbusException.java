package io.cellgate.modbus;

/** A Modbus exchange that did not yield a usable answer. */
public abstract class ModbusException extends Exception {
    private static final long serialVersionUID = 1L;

    protected ModbusException(String message) {
        super(message);
    }
}
