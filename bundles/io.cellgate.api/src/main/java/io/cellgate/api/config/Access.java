package io.cellgate.api.config;

/** Whether a tag may be written through the write service. */
public enum Access {
    READ_ONLY, READ_WRITE
}
