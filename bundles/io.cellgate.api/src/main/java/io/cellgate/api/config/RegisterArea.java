package io.cellgate.api.config;

/** The four Modbus data areas. */
public enum RegisterArea {
    COIL(true, true),
    DISCRETE_INPUT(true, false),
    INPUT_REGISTER(false, false),
    HOLDING_REGISTER(false, true);

    private final boolean bits;
    private final boolean writable;

    RegisterArea(boolean bits, boolean writable) {
        this.bits = bits;
        this.writable = writable;
    }

    /** True for the single-bit areas (coils, discrete inputs). */
    public boolean isBits() {
        return bits;
    }

    /** True where the protocol allows writes at all (coils, holding registers). */
    public boolean isWritable() {
        return writable;
    }
}
