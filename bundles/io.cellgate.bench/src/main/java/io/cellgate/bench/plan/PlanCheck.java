package io.cellgate.bench.plan;

import io.cellgate.api.config.TagDefinition;
import io.cellgate.modbus.ReadBlock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Checks a read plan against the block rules on its own, so that a count is only compared for valid plans. */
public final class PlanCheck {

    private PlanCheck() {
    }

    /** Every rule the plan breaks, one sentence each; empty when the plan is valid for {@code tags}. */
    public static List<String> problems(List<ReadBlock> plan, List<TagDefinition> tags, int maxGap,
            int maxRegistersPerRead) {
        List<String> problems = new ArrayList<>();
        Map<TagDefinition, Integer> seen = new IdentityHashMap<>();
        for (int b = 0; b < plan.size(); b++) {
            ReadBlock block = plan.get(b);
            String where = "block " + b + " (" + block.area() + " " + block.start() + "+" + block.quantity() + ")";
            int limit = MinimumReads.limit(block.area(), maxRegistersPerRead);
            if (block.quantity() < 1 || block.quantity() > limit) {
                problems.add(where + ": quantity outside 1.." + limit);
            }
            if (block.tags().isEmpty()) {
                problems.add(where + ": reads no tag");
                continue;
            }
            int first = Integer.MAX_VALUE;
            int last = Integer.MIN_VALUE;
            for (TagDefinition t : block.tags()) {
                if (seen.put(t, b) != null) {
                    problems.add(where + ": tag " + t.name() + " is read by two blocks");
                }
                int end = t.address() + t.quantity() - 1;
                if (t.area() != block.area() || t.address() < block.start()
                        || end > block.start() + block.quantity() - 1) {
                    problems.add(where + ": tag " + t.name() + " (" + t.area() + " " + t.address() + ".." + end
                            + ") is not inside the block");
                }
                first = Math.min(first, t.address());
                last = Math.max(last, end);
            }
            if (first != block.start() || last != block.start() + block.quantity() - 1) {
                problems.add(where + ": reads beyond its tags (" + first + ".." + last + ")");
            }
            List<TagDefinition> sorted = new ArrayList<>(block.tags());
            sorted.sort(Comparator.comparingInt(TagDefinition::address));
            long covered = sorted.get(0).address() - 1L;
            for (TagDefinition t : sorted) {
                if (t.address() - covered - 1 > maxGap) {
                    problems.add(where + ": hole of " + (t.address() - covered - 1) + " before tag " + t.name()
                            + ", more than maxGap " + maxGap);
                }
                covered = Math.max(covered, t.address() + t.quantity() - 1L);
            }
        }
        for (TagDefinition t : tags) {
            if (!seen.containsKey(t)) {
                problems.add("tag " + t.name() + " is read by no block");
            }
        }
        Map<TagDefinition, Boolean> asked = new IdentityHashMap<>();
        tags.forEach(t -> asked.put(t, true));
        for (TagDefinition t : seen.keySet()) {
            if (!asked.containsKey(t)) {
                problems.add("tag " + t.name() + " is read but was not asked for");
            }
        }
        return problems;
    }
}
