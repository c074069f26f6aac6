package io.cellgate.api.config;

/** Order of the registers of a multi-register value: most significant word first, or last. */
public enum WordOrder {
    HIGH_FIRST, LOW_FIRST
}
