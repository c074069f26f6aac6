package io.cellgate.modbus;

import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.config.TagDefinition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;

/**
 * Groups tags into the fewest read requests.
 *
 * <p>A block is valid when it spans at most L registers (L = min(125, maxRegistersPerRead); 2000 for
 * bit areas) and, within the union of its tags, no run of unread-but-requested addresses is longer
 * than maxGap. Per area, with tags sorted by start address: take the first uncovered tag's start s;
 * the block is every uncovered tag that fits entirely into [s, s+L-1], taken in address order while
 * each next tag starts at most maxGap after the end covered so far. Repeat on the rest.
 *
 * <p>Why that is minimal: an optimal plan has a block B containing the first tag; B lies within
 * [s, s+L-1] (no tag starts before s), and its tags are all in the greedy block G (a tag of B not in
 * G would start after a hole larger than maxGap in B). Swapping B for G keeps the plan valid, and
 * removing G's tags from the other blocks cannot open a hole in them (any tag left of such a hole
 * would lie within [s, s+L-1] and before G's end, hence be in G). So the rest needs as many blocks as
 * the optimum minus one, by induction. The unit tests check this against an exhaustive search.
 */
public final class ReadPlanner {

    private ReadPlanner() {
    }

    /**
     * Plans the reads of a list of tags.
     *
     * @param maxGap              addresses that may be read and discarded to join two tags (>= 0)
     * @param maxRegistersPerRead register limit per read (capped at 125; bit areas use 2000)
     * @throws IllegalArgumentException when a tag is larger than one read or outside 0..65535
     */
    public static List<ReadBlock> plan(List<TagDefinition> tags, int maxGap, int maxRegistersPerRead) {
        if (maxGap < 0) {
            throw new IllegalArgumentException("maxGap " + maxGap + " must be >= 0");
        }
        if (maxRegistersPerRead < 1) {
            throw new IllegalArgumentException("maxRegistersPerRead " + maxRegistersPerRead + " must be >= 1");
        }
        Map<RegisterArea, List<TagDefinition>> byArea = new EnumMap<>(RegisterArea.class);
        for (TagDefinition t : tags) {
            int limit = limit(t.area(), maxRegistersPerRead);
            if (t.quantity() > limit) {
                throw new IllegalArgumentException("tag " + t.name() + ": " + t.quantity()
                        + " registers do not fit into one read of at most " + limit);
            }
            if (t.address() < 0 || t.address() + t.quantity() - 1 > 0xFFFF) {
                throw new IllegalArgumentException("tag " + t.name() + ": addresses " + t.address() + ".."
                        + (t.address() + t.quantity() - 1) + " outside 0..65535");
            }
            byArea.computeIfAbsent(t.area(), a -> new ArrayList<>()).add(t);
        }
        List<ReadBlock> blocks = new ArrayList<>();
        for (Map.Entry<RegisterArea, List<TagDefinition>> e : byArea.entrySet()) {
            planArea(e.getKey(), e.getValue(), maxGap, limit(e.getKey(), maxRegistersPerRead), blocks);
        }
        return blocks;
    }

    private static int limit(RegisterArea area, int maxRegistersPerRead) {
        return area.isBits() ? Modbus.MAX_READ_BITS : Math.min(Modbus.MAX_READ_REGISTERS, maxRegistersPerRead);
    }

    private static void planArea(RegisterArea area, List<TagDefinition> tags, int maxGap, int limit,
            List<ReadBlock> out) {
        LinkedList<TagDefinition> remaining = new LinkedList<>(tags);
        remaining.sort(Comparator.comparingInt(TagDefinition::address).thenComparingInt(t -> end(t)));
        while (!remaining.isEmpty()) {
            int start = remaining.getFirst().address();
            long windowEnd = (long) start + limit - 1;
            int end = -1;
            List<TagDefinition> block = new ArrayList<>();
            var it = remaining.iterator();
            while (it.hasNext()) {
                TagDefinition t = it.next();
                if (end >= 0 && (long) t.address() > (long) end + maxGap + 1) {
                    break; // every later tag starts even further away
                }
                if (end(t) <= windowEnd) {
                    block.add(t);
                    end = Math.max(end, end(t));
                    it.remove();
                }
            }
            out.add(new ReadBlock(area, start, end - start + 1, block));
        }
    }

    private static int end(TagDefinition t) {
        return t.address() + t.quantity() - 1;
    }
}
