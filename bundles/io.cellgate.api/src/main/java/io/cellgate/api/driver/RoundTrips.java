package io.cellgate.api.driver;

import java.util.Arrays;

/**
 * A histogram of request round trips with fixed logarithmic buckets: bucket {@code i} holds round trips up to
 * {@link #upperBoundMillis(int)}, four buckets per doubling from 0.1 ms (each bound about 19 % above the previous one)
 * up to about 105 s, and the last bucket everything above. Fixed buckets make a snapshot a small array copy and two
 * histograms comparable; a percentile is read as the upper bound of its bucket, so it overstates by at most 19 %.
 *
 * @param counts the count of each bucket ({@link #BUCKETS} of them); a copy is kept
 */
public record RoundTrips(long[] counts) {

    /** Number of buckets. */
    public static final int BUCKETS = 82;
    /** No round trips. */
    public static final RoundTrips EMPTY = new RoundTrips(new long[BUCKETS]);

    private static final double FIRST_MILLIS = 0.1;
    private static final double STEP = Math.pow(2, 0.25);

    public RoundTrips {
        if (counts == null || counts.length != BUCKETS) {
            throw new IllegalArgumentException("round trip histogram: " + BUCKETS + " buckets expected, got "
                    + (counts == null ? "none" : counts.length));
        }
        counts = counts.clone();
    }

    /** The bucket a round trip falls into. */
    public static int bucketOf(double millis) {
        if (!(millis > FIRST_MILLIS)) {
            return 0;
        }
        int i = (int) Math.ceil(Math.log(millis / FIRST_MILLIS) / Math.log(STEP) - 1e-9);
        return Math.min(i, BUCKETS - 1);
    }

    /** The largest round trip of bucket {@code i} in ms; infinite for the last one. */
    public static double upperBoundMillis(int i) {
        return i >= BUCKETS - 1 ? Double.POSITIVE_INFINITY : FIRST_MILLIS * Math.pow(STEP, i);
    }

    /** The counts, a copy. */
    @Override
    public long[] counts() {
        return counts.clone();
    }

    /** Round trips recorded. */
    public long total() {
        return Arrays.stream(counts).sum();
    }

    /**
     * The round trip that {@code q} of all round trips do not exceed (upper bound of its bucket), e.g. 0.99 for p99;
     * -1 when the histogram is empty. The last bucket reports the bound below it.
     */
    public double percentileMillis(double q) {
        if (q <= 0 || q > 1) {
            throw new IllegalArgumentException("percentile " + q + " is not in (0, 1]");
        }
        long total = total();
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return upperBoundMillis(Math.min(i, BUCKETS - 2));
            }
        }
        return upperBoundMillis(BUCKETS - 2);
    }

    /** The counts of this histogram minus those of an earlier one of the same session (the round trips since). */
    public RoundTrips since(RoundTrips earlier) {
        long[] out = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            out[i] = Math.max(0, counts[i] - earlier.counts[i]);
        }
        return new RoundTrips(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoundTrips r && Arrays.equals(counts, r.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "RoundTrips[total=" + total() + "]";
    }
}
