package io.cellgate.api.write;

import io.cellgate.api.tag.TagValue;

/**
 * The result of a write.
 *
 * @param status   what happened
 * @param message  why, for anything but {@link Status#OK}
 * @param readBack the value read back from the device after a successful write, or null
 */
public record WriteResult(Status status, String message, TagValue readBack) {

    public enum Status {
        /** Written and acknowledged by the device. */
        OK,
        /** The tag is not configured. */
        UNKNOWN_TAG,
        /** Refused before reaching the device: read-only tag, wrong type, or outside the tag's limits. */
        INVALID,
        /** Refused by the access check (or no access check is installed: fail closed). */
        DENIED,
        /** The device did not accept the write (no answer, exception, disabled). */
        FAILED
    }

    public boolean ok() {
        return status == Status.OK;
    }
}
