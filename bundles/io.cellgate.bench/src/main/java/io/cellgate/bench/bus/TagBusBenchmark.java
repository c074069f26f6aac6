package io.cellgate.bench.bus;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Tag updates per second through {@code TagBusImpl.update} with 10,000 tags defined, 1 or 4 subscribers,
 * every update delivered or half of them within the deadband, from one or two producer threads (each
 * with its own devices, as the pollers have). One operation = one update. The fork runs with the
 * service's heap and GC flags, so allocation and collection cost what they cost on the gateway.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms64m", "-Xmx160m", "-XX:+UseSerialGC", "-XX:MaxMetaspaceSize=96m",
    "-XX:ReservedCodeCacheSize=48m", "-Xss512k"})
public class TagBusBenchmark {

    /** The bus with its tags and subscribers, shared by the producer threads. */
    @State(Scope.Benchmark)
    public static class Bus {
        @Param({"1", "4"})
        public int subscribers;

        /** {@code all}: every update delivered; {@code half}: every second round within the deadband. */
        @Param({"all", "half"})
        public String delivered;

        BusWorkload workload;

        @Setup(Level.Trial)
        public void setUp() {
            workload = new BusWorkload(subscribers);
        }
    }

    /** One poller thread's devices. */
    @State(Scope.Thread)
    public static class Producer {
        BusWorkload.Producer producer;

        @Setup(Level.Trial)
        public void setUp(Bus bus, ThreadParams threads) {
            producer = bus.workload.producer(threads.getThreadIndex(), threads.getThreadCount(),
                    "half".equals(bus.delivered));
        }
    }

    @Benchmark
    @Threads(1)
    public boolean update_1thread(Producer p) {
        return p.producer.updateNext();
    }

    @Benchmark
    @Threads(2)
    public boolean update_2threads(Producer p) {
        return p.producer.updateNext();
    }
}
