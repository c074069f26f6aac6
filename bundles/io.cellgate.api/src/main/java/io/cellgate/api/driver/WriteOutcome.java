package io.cellgate.api.driver;

import io.cellgate.api.tag.TagValue;

/**
 * What a driver write did.
 *
 * @param success  true when the device acknowledged the write
 * @param readBack the value read back after the write (Bad if the read-back failed), or null if not read
 * @param error    what went wrong when not successful (e.g. "device exception 0x02 illegal data address")
 */
public record WriteOutcome(boolean success, TagValue readBack, String error) {

    public static WriteOutcome ok(TagValue readBack) {
        return new WriteOutcome(true, readBack, null);
    }

    public static WriteOutcome failed(String error) {
        return new WriteOutcome(false, null, error);
    }
}
