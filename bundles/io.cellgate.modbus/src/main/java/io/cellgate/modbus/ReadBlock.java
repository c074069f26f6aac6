package io.cellgate.modbus;

import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.config.TagDefinition;
import java.util.List;

/**
 * One read request of a plan: {@code quantity} registers (or bits) of {@code area} from {@code start},
 * covering {@code tags} entirely.
 */
public record ReadBlock(RegisterArea area, int start, int quantity, List<TagDefinition> tags) {

    public ReadBlock {
        tags = List.copyOf(tags);
    }

    /** Index of a tag's first register within this block's response. */
    public int indexOf(TagDefinition tag) {
        return tag.address() - start;
    }

    public ModbusRequest request() {
        return ModbusRequest.read(area, start, quantity);
    }
}
