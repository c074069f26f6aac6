package io.cellgate.bench.plan;

import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.config.TagDefinition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The fewest read requests that can cover a list of tags, computed independently of the planner.
 *
 * <p>Definitions (the planner's contract, docs/modbus.md): a read block is a set of tags of one area; its
 * span (last register of its tags minus first, plus one) is at most L (125 registers, or
 * min(125, maxRegistersPerRead); 2000 bits in the bit areas), and inside that span no run of registers that
 * none of its tags occupies is longer than maxGap.
 *
 * <p>What is computed is a lower bound that holds for every valid plan, by a route that shares nothing
 * with the planner's greedy: every block of any valid plan lies inside the window [first, last] of its
 * own tags, and <em>all</em> tags lying inside that window fill its holes at least as well as the block's
 * own tags do. So "windows" (one per candidate pair of a tag start s and a tag end E, E - s + 1 <= L)
 * are valid when the tags inside them leave no hole longer than maxGap, and the minimum number of valid
 * windows that together contain every tag is at most the number of blocks of any valid plan. Covering
 * is decided by the tags that contain no other tag ("maximal" intervals): a window that contains them
 * contains every tag, and ordered by start (then also by end) the maximal intervals inside one window
 * are a contiguous run. The minimum cover of that run sequence is an exact dynamic programme over
 * suffixes.
 *
 * <p>A plan whose request count equals this bound is therefore minimal under any definition that
 * allows one request per block; {@code MinimumReadsTest} also checks the bound against an exhaustive
 * search over all partitions of small random tag sets.
 */
public final class MinimumReads {

    /** Modbus limits (function codes 1..4): registers, and coils / discrete inputs, per read. */
    static final int PROTOCOL_MAX_REGISTERS = 125;
    static final int PROTOCOL_MAX_BITS = 2000;

    private MinimumReads() {
    }

    /** The read limit of an area for a device configured with {@code maxRegistersPerRead}. */
    public static int limit(RegisterArea area, int maxRegistersPerRead) {
        return area.isBits() ? PROTOCOL_MAX_BITS : Math.min(PROTOCOL_MAX_REGISTERS, maxRegistersPerRead);
    }

    /** The minimum number of read requests for {@code tags} (any mix of areas). */
    public static int minimum(List<TagDefinition> tags, int maxGap, int maxRegistersPerRead) {
        Map<RegisterArea, List<int[]>> byArea = new EnumMap<>(RegisterArea.class);
        for (TagDefinition t : tags) {
            int start = t.address();
            byArea.computeIfAbsent(t.area(), a -> new ArrayList<>())
                    .add(new int[] {start, start + t.quantity() - 1});
        }
        int total = 0;
        for (Map.Entry<RegisterArea, List<int[]>> e : byArea.entrySet()) {
            total += minimumOfIntervals(e.getValue(), maxGap, limit(e.getKey(), maxRegistersPerRead));
        }
        return total;
    }

    /**
     * The minimum number of windows for closed intervals {start, end} of one area.
     *
     * @throws IllegalArgumentException when an interval is longer than the limit (no plan exists)
     */
    static int minimumOfIntervals(List<int[]> intervals, int maxGap, int limit) {
        if (intervals.isEmpty()) {
            return 0;
        }
        int[][] all = intervals.stream().map(int[]::clone).toArray(int[][]::new);
        for (int[] iv : all) {
            if (iv[1] - iv[0] + 1 > limit) {
                throw new IllegalArgumentException("interval " + iv[0] + ".." + iv[1] + " is longer than " + limit);
            }
        }
        // By start ascending, then end descending: a maximal interval comes before those it contains.
        Arrays.sort(all, Comparator.<int[]>comparingInt(iv -> iv[0]).thenComparingInt(iv -> -iv[1]));
        List<int[]> maximal = new ArrayList<>();
        int furthestEnd = Integer.MIN_VALUE;
        for (int[] iv : all) {
            // Every earlier interval starts at or before iv; iv is contained in one iff one ends at or after it.
            if (iv[1] > furthestEnd) {
                maximal.add(iv);
                furthestEnd = iv[1];
            }
        }
        int m = maximal.size();
        int[] ends = all.length == 0 ? new int[0]
                : Arrays.stream(all).mapToInt(iv -> iv[1]).distinct().sorted().toArray();

        // Valid windows, each as the run [lo, hi] of maximal intervals it contains.
        List<int[]> runs = new ArrayList<>();
        int[] starts = Arrays.stream(all).mapToInt(iv -> iv[0]).distinct().sorted().toArray();
        for (int s : starts) {
            for (int end : ends) {
                if (end < s) {
                    continue;
                }
                if ((long) end - s + 1 > limit) {
                    break;
                }
                if (!valid(all, s, end, maxGap)) {
                    continue;
                }
                int lo = -1;
                int hi = -1;
                for (int i = 0; i < m; i++) {
                    int[] iv = maximal.get(i);
                    if (iv[0] >= s && iv[1] <= end) {
                        if (lo < 0) {
                            lo = i;
                        }
                        hi = i;
                    }
                }
                if (lo >= 0) {
                    runs.add(new int[] {lo, hi});
                }
            }
        }
        // best[k]: fewest windows containing maximal intervals k..m-1; a window containing k and reaching
        // hi leaves hi+1..m-1 (windows need not be disjoint, so every window through k is a candidate).
        int[] best = new int[m + 1];
        best[m] = 0;
        for (int k = m - 1; k >= 0; k--) {
            int b = Integer.MAX_VALUE;
            for (int[] run : runs) {
                if (run[0] <= k && k <= run[1]) {
                    b = Math.min(b, 1 + best[run[1] + 1]);
                }
            }
            if (b == Integer.MAX_VALUE) {
                throw new IllegalStateException("no valid window contains interval " + maximal.get(k)[0] + ".."
                        + maximal.get(k)[1] + " (cannot happen: the interval alone is one)");
            }
            best[k] = b;
        }
        return best[0];
    }

    /** True when the intervals lying inside [s, end] leave no uncovered run longer than maxGap inside their hull. */
    private static boolean valid(int[][] sortedByStart, int s, int end, int maxGap) {
        long covered = Long.MIN_VALUE; // last address covered so far
        boolean any = false;
        for (int[] iv : sortedByStart) {
            if (iv[0] < s || iv[1] > end) {
                continue;
            }
            if (any && iv[0] - covered - 1 > maxGap) {
                return false;
            }
            covered = any ? Math.max(covered, iv[1]) : iv[1];
            any = true;
        }
        return any;
    }
}
