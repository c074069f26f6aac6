package io.cellgate.api.config;

/** Order of the two bytes inside each 16-bit register. Modbus is big-endian; some devices swap. */
public enum ByteOrder {
    BIG_ENDIAN, LITTLE_ENDIAN
}
