package io.cellgate.bench.driver;

import io.cellgate.api.driver.RoundTrips;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the Modbus driver's health statistics add to every request: the round trip's log bucket
 * ({@link RoundTrips#bucketOf}) and one atomic increment, as the driver's counters record it. Round trips vary
 * over the buckets (0.1 ms .. 2 s) so that the logarithm is not folded away.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms64m", "-Xmx160m", "-XX:+UseSerialGC"})
public class RoundTripRecordBenchmark {

    private final AtomicLongArray buckets = new AtomicLongArray(RoundTrips.BUCKETS);
    private final double[] roundTripsMillis = new double[1024];
    private int next;

    public RoundTripRecordBenchmark() {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < roundTripsMillis.length; i++) {
            roundTripsMillis[i] = 0.1 * Math.pow(20_000, random.nextDouble());
        }
    }

    @Benchmark
    public long recordOneRoundTrip() {
        double millis = roundTripsMillis[next++ & 1023];
        return buckets.incrementAndGet(RoundTrips.bucketOf(millis));
    }
}
