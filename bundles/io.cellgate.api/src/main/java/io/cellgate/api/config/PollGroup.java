package io.cellgate.api.config;

/**
 * A named poll interval of a device. Tags refer to it by name.
 *
 * @param name           group name
 * @param intervalMillis how often the group's tags are read
 */
public record PollGroup(String name, long intervalMillis) {
}
