package io.cellgate.bench.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellgate.api.config.Access;
import io.cellgate.api.config.ByteOrder;
import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.api.config.WordOrder;
import io.cellgate.api.tag.DataType;
import io.cellgate.modbus.ReadBlock;
import io.cellgate.modbus.ReadPlanner;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MinimumReadsTest {

    /** A register tag of {@code quantity} registers (a string of 2 characters per register). */
    static TagDefinition tag(String name, RegisterArea area, int address, int quantity) {
        DataType type = area.isBits() ? DataType.BOOL : quantity == 1 ? DataType.UINT16 : DataType.STRING;
        return new TagDefinition(name, area, address, type, -1, type == DataType.STRING ? 2 * quantity : 0,
                ByteOrder.BIG_ENDIAN, WordOrder.HIGH_FIRST, 1.0, 0.0, null, null, Access.READ_ONLY, null, null, 0.0,
                "fast");
    }

    static List<int[]> intervals(int... startEnd) {
        List<int[]> list = new ArrayList<>();
        for (int i = 0; i < startEnd.length; i += 2) {
            list.add(new int[] {startEnd[i], startEnd[i + 1]});
        }
        return list;
    }

    @Test
    void minimum_adjacentTags_oneRead() {
        assertThat(MinimumReads.minimumOfIntervals(intervals(0, 0, 1, 2, 3, 3), 0, 125)).isEqualTo(1);
    }

    @Test
    void minimum_holeLongerThanMaxGap_twoReads() {
        assertThat(MinimumReads.minimumOfIntervals(intervals(0, 0, 10, 10), 8, 125)).isEqualTo(2);
        assertThat(MinimumReads.minimumOfIntervals(intervals(0, 0, 10, 10), 9, 125)).isEqualTo(1);
    }

    @Test
    void minimum_spanBeyondLimit_twoReads() {
        assertThat(MinimumReads.minimumOfIntervals(intervals(0, 0, 124, 124), 125, 125)).isEqualTo(1);
        assertThat(MinimumReads.minimumOfIntervals(intervals(0, 0, 125, 125), 125, 125)).isEqualTo(2);
    }

    @Test
    void minimum_longTagSkippedByShortNeighbours_countsTheSkip() {
        // [0,1] and [6,7] share a read; [5,130] cannot join them within 125 registers: 2 reads, where
        // blocks taken as runs of the start order ([0,1] | [5,130] | [6,7]) would need 3.
        assertThat(MinimumReads.minimumOfIntervals(intervals(0, 1, 5, 129, 6, 7), 8, 125)).isEqualTo(2);
    }

    @Test
    void minimum_bitTagsInsideAWord_countAsTheWord() {
        List<TagDefinition> tags = List.of(tag("w", RegisterArea.HOLDING_REGISTER, 28, 1),
                tag("b0", RegisterArea.HOLDING_REGISTER, 28, 1), tag("x", RegisterArea.HOLDING_REGISTER, 29, 1));
        assertThat(MinimumReads.minimum(tags, 0, 125)).isEqualTo(1);
    }

    @Test
    void minimum_areasAreSeparate() {
        List<TagDefinition> tags = List.of(tag("a", RegisterArea.HOLDING_REGISTER, 0, 1),
                tag("b", RegisterArea.INPUT_REGISTER, 1, 1), tag("c", RegisterArea.COIL, 0, 1),
                tag("d", RegisterArea.COIL, 1999, 1), tag("e", RegisterArea.COIL, 2000, 1));
        // Coils 0 and 1999 fit one read of 2000 bits (with maxGap 2000); 2000 needs a second.
        assertThat(MinimumReads.minimum(tags, 2000, 125)).isEqualTo(4);
    }

    @Test
    void minimum_maxRegistersPerReadBelow125_isTheLimit() {
        List<TagDefinition> tags = List.of(tag("a", RegisterArea.HOLDING_REGISTER, 0, 1),
                tag("b", RegisterArea.HOLDING_REGISTER, 10, 1));
        assertThat(MinimumReads.minimum(tags, 20, 11)).isEqualTo(1);
        assertThat(MinimumReads.minimum(tags, 20, 10)).isEqualTo(2);
    }

    @Test
    void minimum_tagLongerThanOneRead_isRejected() {
        assertThatThrownBy(() -> MinimumReads.minimumOfIntervals(intervals(0, 10), 0, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..10");
    }

    /**
     * The bound against the definition itself: the fewest blocks over every partition of small random
     * tag sets (overlaps of any kind, holes around maxGap, spans around the limit), and the planner too.
     */
    @Test
    void minimum_smallRandomSets_equalsExhaustiveSearchAndPlanner() {
        Random random = new Random(7);
        int differentFromNaive = 0;
        for (int round = 0; round < 3000; round++) {
            int n = 1 + random.nextInt(7);
            int limit = 4 + random.nextInt(9);
            int maxGap = random.nextInt(4);
            List<TagDefinition> tags = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int quantity = 1 + random.nextInt(Math.min(limit, 5));
                tags.add(tag("t" + i, RegisterArea.HOLDING_REGISTER, random.nextInt(20), quantity));
            }
            int exhaustive = Exhaustive.minimumBlocks(tags, maxGap, limit);
            int bound = MinimumReads.minimum(tags, maxGap, limit);
            List<ReadBlock> plan = ReadPlanner.plan(tags, maxGap, limit);
            String where = "round " + round + ", maxGap " + maxGap + ", limit " + limit + ", tags " + describe(tags);
            assertThat(bound).as(where).isEqualTo(exhaustive);
            assertThat(PlanCheck.problems(plan, tags, maxGap, limit)).as(where).isEmpty();
            assertThat(plan).as(where).hasSize(exhaustive);
            if (exhaustive != n) {
                differentFromNaive++;
            }
        }
        // The cases must exercise merging, not only one read per tag.
        assertThat(differentFromNaive).isGreaterThan(1000);
    }

    private static String describe(List<TagDefinition> tags) {
        return tags.stream().map(t -> t.address() + ".." + (t.address() + t.quantity() - 1)).toList().toString();
    }

    /** Enumerates every partition of the tags into blocks (restricted growth strings). */
    static final class Exhaustive {

        static int minimumBlocks(List<TagDefinition> tags, int maxGap, int limit) {
            int n = tags.size();
            int[] assignment = new int[n];
            int[] best = {n};
            search(tags, assignment, 0, 0, maxGap, limit, best);
            return best[0];
        }

        private static void search(List<TagDefinition> tags, int[] assignment, int index, int blocks, int maxGap,
                int limit, int[] best) {
            if (blocks >= best[0]) {
                return;
            }
            if (index == tags.size()) {
                for (int b = 0; b < blocks; b++) {
                    if (!validBlock(tags, assignment, b, maxGap, limit)) {
                        return;
                    }
                }
                best[0] = blocks;
                return;
            }
            for (int b = 0; b <= blocks; b++) {
                assignment[index] = b;
                search(tags, assignment, index + 1, Math.max(blocks, b + 1), maxGap, limit, best);
            }
        }

        /** The definition, literally: span within the limit, and every unoccupied run at most maxGap long. */
        private static boolean validBlock(List<TagDefinition> tags, int[] assignment, int block, int maxGap,
                int limit) {
            int first = Integer.MAX_VALUE;
            int last = Integer.MIN_VALUE;
            boolean[] used = new boolean[64];
            for (int i = 0; i < tags.size(); i++) {
                if (assignment[i] == block) {
                    TagDefinition t = tags.get(i);
                    first = Math.min(first, t.address());
                    last = Math.max(last, t.address() + t.quantity() - 1);
                    for (int a = t.address(); a < t.address() + t.quantity(); a++) {
                        used[a] = true;
                    }
                }
            }
            if (last - first + 1 > limit) {
                return false;
            }
            int run = 0;
            for (int a = first; a <= last; a++) {
                run = used[a] ? 0 : run + 1;
                if (run > maxGap) {
                    return false;
                }
            }
            return true;
        }
    }
}
