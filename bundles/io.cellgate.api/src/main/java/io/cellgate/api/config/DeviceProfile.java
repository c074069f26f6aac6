package io.cellgate.api.config;

import java.util.List;
import java.util.Optional;

/**
 * A device type's register map, loaded from a profile file in {@code device-configs/profiles}.
 *
 * @param id          profile id, referenced by devices in the cell configuration
 * @param vendor      manufacturer, or null
 * @param model       model name, or null
 * @param description free text, or null
 * @param tags        the register map, in file order
 */
public record DeviceProfile(String id, String vendor, String model, String description, List<TagDefinition> tags) {

    public DeviceProfile {
        tags = List.copyOf(tags);
    }

    public Optional<TagDefinition> tag(String name) {
        return tags.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
