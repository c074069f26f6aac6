package io.cellgate.modbus;

import static io.cellgate.modbus.Tags.tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.api.tag.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReadPlannerTest {

    private static final RegisterArea HR = RegisterArea.HOLDING_REGISTER;

    private static TagDefinition reg(String name, int address, DataType type) {
        return tag(name, HR, address, type);
    }

    private static TagDefinition span(String name, int address, int registers) {
        return Tags.string(name, address, 2 * registers);
    }

    /** Every plan must cover each tag entirely, respect the limits and the gap bound. */
    private static void assertValid(List<TagDefinition> tags, List<ReadBlock> plan, int maxGap, int limit) {
        for (TagDefinition t : tags) {
            assertThat(plan).anySatisfy(b -> {
                assertThat(b.area()).isEqualTo(t.area());
                assertThat(b.tags()).contains(t);
            });
        }
        for (ReadBlock b : plan) {
            assertThat(b.quantity()).isBetween(1, b.area().isBits() ? 2000 : limit);
            boolean[] covered = new boolean[b.quantity()];
            for (TagDefinition t : b.tags()) {
                assertThat(t.address()).isGreaterThanOrEqualTo(b.start());
                assertThat(t.address() + t.quantity()).isLessThanOrEqualTo(b.start() + b.quantity());
                for (int i = 0; i < t.quantity(); i++) {
                    covered[t.address() - b.start() + i] = true;
                }
            }
            assertThat(covered[0]).isTrue();
            assertThat(covered[covered.length - 1]).isTrue();
            int run = 0;
            for (boolean c : covered) {
                run = c ? 0 : run + 1;
                assertThat(run).as("hole in %s", b).isLessThanOrEqualTo(maxGap);
            }
        }
    }

    @Test
    void plan_gapExactlyMaxGap_joins() {
        List<TagDefinition> tags = List.of(reg("a", 10, DataType.UINT16), reg("b", 14, DataType.UINT16));
        List<ReadBlock> plan = ReadPlanner.plan(tags, 3, 125);
        assertThat(plan).containsExactly(new ReadBlock(HR, 10, 5, tags));
    }

    @Test
    void plan_gapMaxGapPlusOne_splits() {
        List<TagDefinition> tags = List.of(reg("a", 10, DataType.UINT16), reg("b", 15, DataType.UINT16));
        List<ReadBlock> plan = ReadPlanner.plan(tags, 3, 125);
        assertThat(plan).extracting(ReadBlock::start, ReadBlock::quantity)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(10, 1), org.assertj.core.groups.Tuple.tuple(15, 1));
    }

    @Test
    void plan_overlappingTags_shareOneBlock() {
        List<TagDefinition> tags = List.of(reg("f", 100, DataType.FLOAT32), reg("hi", 100, DataType.UINT16),
                reg("lo", 101, DataType.UINT16), reg("d", 99, DataType.FLOAT64));
        List<ReadBlock> plan = ReadPlanner.plan(tags, 0, 125);
        assertThat(plan).hasSize(1);
        assertThat(plan.get(0).start()).isEqualTo(99);
        assertThat(plan.get(0).quantity()).isEqualTo(4);
        assertValid(tags, plan, 0, 125);
    }

    @Test
    void plan_bitTagsSharingARegister_readItOnce() {
        List<TagDefinition> tags = List.of(Tags.bit("b0", 7, 0), Tags.bit("b5", 7, 5), Tags.bit("b15", 7, 15));
        List<ReadBlock> plan = ReadPlanner.plan(tags, 0, 125);
        assertThat(plan).containsExactly(new ReadBlock(HR, 7, 1, tags));
    }

    @Test
    void plan_at65535Boundary_staysInRange() {
        List<TagDefinition> tags = List.of(reg("last", 65535, DataType.UINT16), reg("f", 65532, DataType.FLOAT32));
        List<ReadBlock> plan = ReadPlanner.plan(tags, 10, 125);
        assertThat(plan).hasSize(1);
        assertThat(plan.get(0).start() + plan.get(0).quantity() - 1).isEqualTo(65535);
        assertThat(plan.get(0).request().quantity()).isEqualTo(4);
        assertThatThrownBy(() -> ReadPlanner.plan(List.of(reg("x", 65535, DataType.UINT32)), 0, 125))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag x").hasMessageContaining("65536");
    }

    @Test
    void plan_125RegisterBoundary_splitsExactlyThere() {
        List<TagDefinition> fits = List.of(reg("a", 0, DataType.UINT16), reg("b", 124, DataType.UINT16));
        assertThat(ReadPlanner.plan(fits, 200, 125)).hasSize(1).first()
                .extracting(ReadBlock::quantity).isEqualTo(125);
        List<TagDefinition> over = List.of(reg("a", 0, DataType.UINT16), reg("b", 124, DataType.UINT32));
        assertThat(ReadPlanner.plan(over, 200, 125)).hasSize(2);
        assertThat(ReadPlanner.plan(fits, 200, 500)).hasSize(1);
        assertThat(ReadPlanner.plan(fits, 200, 100)).hasSize(2);
    }

    @Test
    void plan_stringTags_coveredWhole() {
        List<TagDefinition> tags = List.of(Tags.string("serial", 0, 20), Tags.string("name", 10, 9),
                reg("x", 15, DataType.INT16));
        List<ReadBlock> plan = ReadPlanner.plan(tags, 0, 125);
        assertThat(plan).hasSize(1);
        assertThat(plan.get(0).quantity()).isEqualTo(16);
        assertValid(tags, plan, 0, 125);
    }

    @Test
    void plan_areasAreSeparate_andBitsUp2000() {
        List<TagDefinition> tags = List.of(tag("c0", RegisterArea.COIL, 0, DataType.BOOL),
                tag("c1999", RegisterArea.COIL, 1999, DataType.BOOL), tag("c2000", RegisterArea.COIL, 2000, DataType.BOOL),
                tag("d0", RegisterArea.DISCRETE_INPUT, 0, DataType.BOOL), reg("h0", 0, DataType.UINT16),
                tag("i0", RegisterArea.INPUT_REGISTER, 0, DataType.UINT16));
        List<ReadBlock> plan = ReadPlanner.plan(tags, 5000, 125);
        assertThat(plan).hasSize(5);
        assertThat(plan).filteredOn(b -> b.area() == RegisterArea.COIL).extracting(ReadBlock::quantity)
                .containsExactly(2000, 1);
        assertValid(tags, plan, 5000, 125);
    }

    @Test
    void plan_tagLargerThanOneRead_isRefused() {
        assertThatThrownBy(() -> ReadPlanner.plan(List.of(span("big", 0, 50)), 0, 40))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag big");
    }

    @Test
    void plan_longTagSkippedInWindow_laterShortTagStillJoins() {
        // b does not fit into [0, 9]; c does and must join a's block rather than cost a request.
        List<TagDefinition> tags = List.of(span("a", 0, 1), span("b", 5, 8), span("c", 6, 1));
        List<ReadBlock> plan = ReadPlanner.plan(tags, 10, 10);
        assertThat(plan).hasSize(2);
        assertValid(tags, plan, 10, 10);
    }

    @Test
    void plan_randomSmallMaps_matchesExhaustiveMinimum() {
        Random random = new Random(4711);
        for (int round = 0; round < 3000; round++) {
            int n = 1 + random.nextInt(7);
            int limit = 2 + random.nextInt(8);
            int maxGap = random.nextInt(4);
            List<TagDefinition> tags = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int q = 1 + random.nextInt(Math.min(limit, 4));
                tags.add(span("t" + i, random.nextInt(20), q));
            }
            List<ReadBlock> plan = ReadPlanner.plan(tags, maxGap, limit);
            assertValid(tags, plan, maxGap, limit);
            assertThat(plan).as("round %d: %s gap %d limit %d", round, tags, maxGap, limit)
                    .hasSize(exhaustiveMinimum(tags, maxGap, limit));
        }
    }

    /** Minimum set cover over every valid block (any subset of tags), by dynamic programming. */
    private static int exhaustiveMinimum(List<TagDefinition> tags, int maxGap, int limit) {
        int n = tags.size();
        int full = (1 << n) - 1;
        List<Integer> valid = new ArrayList<>();
        for (int s = 1; s <= full; s++) {
            if (validBlock(tags, s, maxGap, limit)) {
                valid.add(s);
            }
        }
        int[] best = new int[full + 1];
        Arrays.fill(best, Integer.MAX_VALUE);
        best[0] = 0;
        for (int mask = 0; mask <= full; mask++) {
            if (best[mask] == Integer.MAX_VALUE) {
                continue;
            }
            for (int b : valid) {
                int next = mask | b;
                best[next] = Math.min(best[next], best[mask] + 1);
            }
        }
        return best[full];
    }

    private static boolean validBlock(List<TagDefinition> tags, int subset, int maxGap, int limit) {
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;
        for (int i = 0; i < tags.size(); i++) {
            if ((subset & (1 << i)) != 0) {
                lo = Math.min(lo, tags.get(i).address());
                hi = Math.max(hi, tags.get(i).address() + tags.get(i).quantity() - 1);
            }
        }
        if (hi - lo + 1 > limit) {
            return false;
        }
        boolean[] covered = new boolean[hi - lo + 1];
        for (int i = 0; i < tags.size(); i++) {
            if ((subset & (1 << i)) != 0) {
                for (int k = 0; k < tags.get(i).quantity(); k++) {
                    covered[tags.get(i).address() - lo + k] = true;
                }
            }
        }
        int run = 0;
        for (boolean c : covered) {
            run = c ? 0 : run + 1;
            if (run > maxGap) {
                return false;
            }
        }
        return true;
    }
}
