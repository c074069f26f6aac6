package io.cellgate.api.config;

import java.util.List;
import java.util.Optional;

/**
 * A device of the cell, as configured.
 *
 * @param id              device id, unique in the cell ({@link io.cellgate.api.tag.TagPath#NAME})
 * @param name            display name
 * @param profile         id of the device profile it uses
 * @param enabled         false keeps it configured but not polled (its tags are Bad/DEVICE_DISABLED)
 * @param endpoint        how it is reached
 * @param unitId          Modbus unit id (0..255; 1..247 on serial lines)
 * @param pollGroups      poll groups with their intervals
 * @param timeoutMillis   response timeout per request
 * @param retries         retries of a failed request before the poll counts as failed
 * @param minGapMillis    minimum gap between two requests to this device (pacing)
 * @param maxOutstanding  requests in flight at once to this device (1 = strictly one after the other)
 * @param maxGap          registers (or bits) that the read planner may read and discard to join two blocks
 * @param maxRegistersPerRead upper bound of registers per read (<= 125), for devices with smaller limits
 */
public record DeviceConfig(String id, String name, String profile, boolean enabled, Endpoint endpoint, int unitId,
        List<PollGroup> pollGroups, long timeoutMillis, int retries, long minGapMillis, int maxOutstanding,
        int maxGap, int maxRegistersPerRead) {

    public DeviceConfig {
        pollGroups = List.copyOf(pollGroups);
    }

    public Optional<PollGroup> pollGroup(String groupName) {
        return pollGroups.stream().filter(g -> g.name().equals(groupName)).findFirst();
    }

    /**
     * The poll group a tag of this device is read in: the one the tag names, or the device's first
     * group when the tag names none. Empty when the tag names a group this device does not have.
     */
    public Optional<PollGroup> pollGroupOf(TagDefinition tag) {
        if (tag.pollGroup() == null) {
            return pollGroups.stream().findFirst();
        }
        return pollGroup(tag.pollGroup());
    }
}
