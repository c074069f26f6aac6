package io.cellgate.bench.sparkplug;

import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagValue;
import io.cellgate.mqtt.internal.ConnectAttempt;
import io.cellgate.mqtt.internal.Connection;
import io.cellgate.mqtt.internal.EdgeNode;
import io.cellgate.mqtt.internal.EdgeNodeSettings;
import io.cellgate.mqtt.internal.Message;
import io.cellgate.mqtt.internal.MqttSession;
import io.cellgate.mqtt.internal.MqttSessionListener;
import io.cellgate.mqtt.internal.MqttSettings;
import io.cellgate.mqtt.internal.SparkplugBenchAccess;
import io.cellgate.mqtt.internal.Tls;
import io.cellgate.mqtt.testing.Mosquitto;
import io.cellgate.mqtt.testing.TestCertificates;
import io.cellgate.mqtt.testing.TestCertificates.Issued;
import io.cellgate.outbox.Outbox;
import io.cellgate.outbox.OutboxOptions;
import io.cellgate.outbox.internal.MvStoreOutbox;
import io.cellgate.sparkplug.TagSample;
import io.cellgate.sparkplug.proto.SparkplugB.Payload;
import io.cellgate.api.write.WriteResult;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The Sparkplug edge node end to end (docs/benchmarks.md, section 5): the real {@link EdgeNode} (durable outbox
 * with fsync, QoS 1 DDATA) against a real mosquitto started here (mutual TLS on 127.0.0.1, an ACL like the tests'),
 * fed by a bus of {@code devices × tags} changing at a controlled rate, and a host application in the same JVM
 * that decodes every DDATA with the generated protobuf classes and counts metrics. Not a test: prints tables.
 *
 * <ul>
 * <li>{@code throughput}: for each rate and max.in.flight, warm-up, then metrics/s received over the window,
 * whether the node kept up (nothing piling up), metrics per DDATA, CPU (process and per thread group, % of one
 * core), heap, mosquitto's CPU.</li>
 * <li>{@code replay}: fills the node's outbox with {@code --backlog} records (the node's {@code DataRecord} format,
 * {@code --record-metrics} samples each, one append per record as the node does, but with fsync off for speed),
 * then starts the node (fsync on) with live data at {@code --live-rate}: historical messages/s and metrics/s, live
 * metrics/s and how long live values wait (bus → host), disk use per record at the full backlog and after.</li>
 * </ul>
 *
 * <pre>java -Xms64m -Xmx160m -XX:+UseSerialGC -cp target/benchmarks.jar io.cellgate.bench.sparkplug.SparkplugBench
 *      [--mode throughput|replay|all] [--dir /var/tmp] [--devices 10] [--tags 100] [--rates 20000,50000]
 *      [--in-flight 64] [--seconds 20] [--warmup 10] [--backlog 1000000] [--record-metrics 10]
 *      [--live-rate 5000] [--replay-seconds 120] [--broker-conf "max_inflight_messages 100"]</pre>
 */
public final class SparkplugBench {

    private static final String ACL = """
            user gw1
            topic readwrite spBv1.0/plant/#
            topic read spBv1.0/STATE/#
            user host
            topic readwrite #
            """;

    private String mode = "all";
    private Path base = Path.of("/var/tmp");
    private int devices = 10;
    private int tags = 100;
    private List<Integer> rates = List.of(20_000, 50_000);
    private List<Integer> inFlight = List.of(64);
    private int seconds = 20;
    private int warmup = 10;
    private int backlog = 1_000_000;
    private int recordMetrics = 10;
    private int liveRate = 5_000;
    private int replaySeconds = 120;
    private final List<String> brokerConf = new ArrayList<>();

    private Issued ca;
    private Issued gw1;
    private Issued hostCert;
    private Mosquitto broker;

    private SparkplugBench() {
    }

    public static void main(String[] args) throws Exception {
        SparkplugBench b = new SparkplugBench();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--mode" -> b.mode = args[++i];
                case "--dir" -> b.base = Path.of(args[++i]);
                case "--devices" -> b.devices = Integer.parseInt(args[++i]);
                case "--tags" -> b.tags = Integer.parseInt(args[++i]);
                case "--rates" -> b.rates = ints(args[++i]);
                case "--in-flight" -> b.inFlight = ints(args[++i]);
                case "--seconds" -> b.seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> b.warmup = Integer.parseInt(args[++i]);
                case "--backlog" -> b.backlog = Integer.parseInt(args[++i]);
                case "--record-metrics" -> b.recordMetrics = Integer.parseInt(args[++i]);
                case "--live-rate" -> b.liveRate = Integer.parseInt(args[++i]);
                case "--replay-seconds" -> b.replaySeconds = Integer.parseInt(args[++i]);
                case "--broker-conf" -> b.brokerConf.add(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see the class comment)");
            }
        }
        b.run();
        System.exit(0);
    }

    private static List<Integer> ints(String csv) {
        return Stream.of(csv.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    private void run() throws Exception {
        Path work = Files.createTempDirectory(base, "sparkplug-bench");
        try {
            ca = TestCertificates.ca("bench CA");
            Issued server = TestCertificates.localhostServer(ca);
            gw1 = TestCertificates.client(ca, "gw1");
            hostCert = TestCertificates.client(ca, "host");
            Path brokerDir = Files.createDirectories(work.resolve("broker"));
            List<String> extra = new ArrayList<>();
            // The host must not lose messages when it lags: mosquitto's default queue per client is 1,000.
            extra.add("max_queued_messages 0");
            extra.addAll(brokerConf);
            broker = Mosquitto.tls(brokerDir, ca, server, ACL, extra.toArray(String[]::new));
            broker.start();
            System.out.printf(Locale.ROOT, "sparkplug bench: %d cores, java %s, heap max %d MiB, dir %s, broker conf %s%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                    Runtime.getRuntime().maxMemory() >> 20, work, extra);
            if (mode.equals("throughput") || mode.equals("all")) {
                throughput(work);
            }
            if (mode.equals("replay") || mode.equals("all")) {
                replay(work);
            }
        } finally {
            if (broker != null) {
                broker.stop();
            }
            delete(work);
        }
    }

    // ------------------------------------------------------------------ throughput

    private void throughput(Path work) throws Exception {
        System.out.printf(Locale.ROOT, "%nthroughput: %d devices x %d tags, every value a new FLOAT64, %d s warm-up, %d s measured%n",
                devices, tags, warmup, seconds);
        System.out.printf(Locale.ROOT, "%8s %6s %10s %10s %7s %8s %8s %7s %7s %7s %7s %7s %9s %9s %7s%n", "offered", "infl",
                "recv/s", "DDATA/s", "m/DDATA", "kept_up", "backlog", "cpu%", "node%", "host%", "prod%", "mosq%",
                "heapMiB", "lat_p50", "lat_p99");
        for (int rate : rates) {
            for (int n : inFlight) {
                Path state = Files.createDirectories(work.resolve("tp-" + rate + "-" + n));
                BenchBus bus = new BenchBus(devices, tags);
                Host host = host();
                EdgeNode node = node(bus, state, n);
                try {
                    host.awaitBirths(devices, 20);
                    Producer producer = new Producer(bus, rate);
                    producer.start();
                    Thread.sleep(warmup * 1000L);
                    Snapshot s0 = snapshot(host, node, producer);
                    HeapMax heap = new HeapMax();
                    for (int i = 0; i < seconds * 4; i++) {
                        Thread.sleep(250);
                        heap.sample();
                    }
                    Snapshot s1 = snapshot(host, node, producer);
                    producer.stop();
                    double secs = (s1.nanos - s0.nanos) / 1e9;
                    long recv = s1.liveMetrics - s0.liveMetrics + s1.histMetrics - s0.histMetrics;
                    long msgs = s1.ddata - s0.ddata;
                    long produced = s1.produced - s0.produced;
                    long backlogStart = s0.produced - s0.liveMetrics - s0.histMetrics;
                    long backlogEnd = s1.produced - s1.liveMetrics - s1.histMetrics;
                    // Kept up: received ≥ 97 % of what was produced in the window and the backlog did not grow by more
                    // than a second's worth.
                    boolean keptUp = recv >= 0.97 * produced && backlogEnd - backlogStart < rate;
                    Map<String, Double> cpu = cpuShare(s0, s1);
                    System.out.printf(Locale.ROOT, "%8d %6d %10.0f %10.1f %7.1f %8s %8d %7.1f %7.1f %7.1f %7.1f %7.1f %9.1f %9d %7d%n",
                            rate, n, recv / secs, msgs / secs, msgs == 0 ? 0.0 : (double) recv / msgs, keptUp ? "yes" : "NO",
                            backlogEnd, 100.0 * (s1.processCpu - s0.processCpu) / (s1.nanos - s0.nanos),
                            cpu.getOrDefault("node", 0.0), cpu.getOrDefault("host", 0.0), cpu.getOrDefault("producer", 0.0),
                            100.0 * (s1.mosquittoTicks - s0.mosquittoTicks) / ticksPerSecond() / secs, heap.maxMiB,
                            host.latencyPercentile(s0.latency, s1.latency, 0.50),
                            host.latencyPercentile(s0.latency, s1.latency, 0.99));
                    System.out.printf(Locale.ROOT, "         threads (%% of one core): %s; heap committed %.1f MiB; receive maximum %d%n",
                            format(cpu), heap.committedMiB, host.receiveMaximum);
                    // Let the node catch up before it stops, so the next run starts clean.
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (System.nanoTime() < deadline && host.metrics() < producer.produced()) {
                        Thread.sleep(100);
                    }
                } finally {
                    node.stop(Duration.ofSeconds(5));
                    host.close();
                }
            }
        }
    }

    // ------------------------------------------------------------------ replay

    private void replay(Path work) throws Exception {
        Path state = Files.createDirectories(work.resolve("replay"));
        EdgeNodeSettings settings = settings(state, inFlight.get(0));
        System.out.printf(Locale.ROOT, "%nreplay: %d records of %d metrics (%d devices round robin) filled with fsync off, "
                + "then the node (fsync on, max.in.flight %d) with live data at %d metrics/s%n", backlog, recordMetrics,
                devices, settings.maxInFlight(), liveRate);
        long fillStart = System.nanoTime();
        long recordBytes = 0;
        Instant t0 = Instant.now().minus(Duration.ofHours(1));
        try (Outbox outbox = MvStoreOutbox.open(settings.outbox(), false, System::currentTimeMillis)) {
            for (int i = 0; i < backlog; i++) {
                String device = BenchBus.device(i % devices);
                List<TagSample> samples = new ArrayList<>(recordMetrics);
                for (int k = 0; k < recordMetrics; k++) {
                    TagInfo tag = new TagInfo(new io.cellgate.api.tag.TagPath(device, BenchBus.tag((i / devices + k) % tags)),
                            io.cellgate.api.tag.DataType.FLOAT64, false, null, null, false, null, null, 0, "fast", 100);
                    samples.add(new TagSample(tag.path(), TagValue.good((double) i + k, t0.plusMillis(i))));
                }
                byte[] record = SparkplugBenchAccess.dataRecord(device, samples);
                recordBytes += record.length;
                outbox.append(record);
            }
            System.out.printf(Locale.ROOT, "fill: %d records in %.1f s; record %.1f B on average; outbox entries %d, "
                    + "file %d bytes = %.1f B per record (%.2fx the record)%n", backlog, (System.nanoTime() - fillStart) / 1e9,
                    (double) recordBytes / backlog, outbox.stats().entries(), outbox.stats().storeFileBytes(),
                    (double) outbox.stats().storeFileBytes() / backlog,
                    (double) outbox.stats().storeFileBytes() / recordBytes);
        }
        System.out.printf(Locale.ROOT, "after close (compacts up to 200 ms): directory %d bytes%n", dirBytes(settings.outbox().directory()));

        BenchBus bus = new BenchBus(devices, tags);
        Host host = host();
        EdgeNode node = null;
        try {
            Producer producer = new Producer(bus, liveRate);
            long start = System.nanoTime();
            node = new EdgeNode(mqtt(), socketFactory(), settings, bus, req -> new WriteResult(WriteResult.Status.OK, null, null),
                    e -> true, () -> null, Clock.systemUTC());
            node.start();
            host.awaitBirths(devices, 30);
            producer.start();
            System.out.printf(Locale.ROOT, "births %.1f s after start%n", (System.nanoTime() - start) / 1e9);
            System.out.printf(Locale.ROOT, "%6s %10s %10s %10s %10s %10s %8s %8s %8s %7s %7s %9s%n", "t_s", "hist_msg/s",
                    "hist_m/s", "live_m/s", "live_msg/s", "hist_total", "lat_p50", "lat_p99", "lat_max", "cpu%", "mosq%",
                    "heapMiB");
            Snapshot first = snapshot(host, node, producer);
            Snapshot prev = first;
            long end = start + TimeUnit.SECONDS.toNanos(replaySeconds);
            HeapMax heap = new HeapMax();
            while (System.nanoTime() < end && host.histMessages() < backlog) {
                for (int i = 0; i < 20 && host.histMessages() < backlog; i++) {
                    Thread.sleep(250);
                    heap.sample();
                }
                Snapshot s = snapshot(host, node, producer);
                double secs = (s.nanos - prev.nanos) / 1e9;
                System.out.printf(Locale.ROOT, "%6.0f %10.0f %10.0f %10.0f %10.1f %10d %8d %8d %8d %7.1f %7.1f %9.1f%n",
                        (s.nanos - start) / 1e9, (s.histMsgs - prev.histMsgs) / secs, (s.histMetrics - prev.histMetrics) / secs,
                        (s.liveMetrics - prev.liveMetrics) / secs, (s.liveMsgs - prev.liveMsgs) / secs, s.histMsgs,
                        host.latencyPercentile(prev.latency, s.latency, 0.5), host.latencyPercentile(prev.latency, s.latency, 0.99),
                        host.latencyMax(prev.latency, s.latency),
                        100.0 * (s.processCpu - prev.processCpu) / (s.nanos - prev.nanos),
                        100.0 * (s.mosquittoTicks - prev.mosquittoTicks) / ticksPerSecond() / secs, heap.maxMiB);
                prev = s;
            }
            Snapshot last = snapshot(host, node, producer);
            double secs = (last.nanos - first.nanos) / 1e9;
            Map<String, Double> cpu = cpuShare(first, last);
            System.out.printf(Locale.ROOT, "replay summary over %.1f s: %d historical messages (%.0f/s), %d historical metrics "
                    + "(%.0f/s); live %d metrics (%.0f/s of %d offered); live wait p50 %d ms, p99 %d ms, max %d ms; "
                    + "process CPU %.1f %% of one core; threads %s; heap max %.1f MiB; replay %s%n", secs,
                    last.histMsgs - first.histMsgs, (last.histMsgs - first.histMsgs) / secs,
                    last.histMetrics - first.histMetrics, (last.histMetrics - first.histMetrics) / secs,
                    last.liveMetrics - first.liveMetrics, (last.liveMetrics - first.liveMetrics) / secs, liveRate,
                    host.latencyPercentile(first.latency, last.latency, 0.5),
                    host.latencyPercentile(first.latency, last.latency, 0.99), host.latencyMax(first.latency, last.latency),
                    100.0 * (last.processCpu - first.processCpu) / (last.nanos - first.nanos), format(cpu), heap.maxMiB,
                    host.histMessages() >= backlog ? "complete" : "NOT complete (" + host.histMessages() + " of " + backlog + ")");
            producer.stop();
        } finally {
            if (node != null) {
                node.stop(Duration.ofSeconds(5));
            }
            host.close();
        }
        try (Outbox outbox = MvStoreOutbox.open(settings.outbox(), false, System::currentTimeMillis)) {
            System.out.printf(Locale.ROOT, "after the node stopped: outbox entries %d, file %d bytes%n", outbox.stats().entries(),
                    outbox.stats().storeFileBytes());
        }
    }

    // ------------------------------------------------------------------ parts

    private MqttSettings mqtt() {
        return MqttSettings.builder().brokerUrls(broker.sslUrl()).clientId("gw1").caFile(Path.of("unused"))
                .keepAlive(Duration.ofSeconds(30)).connectTimeout(Duration.ofSeconds(5))
                .reconnect(Duration.ofMillis(100), Duration.ofMillis(1000)).build();
    }

    private javax.net.ssl.SSLSocketFactory socketFactory() {
        return Tls.socketFactory(List.of(ca.certificate()), gw1.keyManagers(), mqtt().tlsProtocols());
    }

    private EdgeNodeSettings settings(Path state, int maxInFlight) {
        EdgeNodeSettings s = EdgeNodeSettings.of("plant", "cell1", state).withMaxInFlight(maxInFlight)
                .withNodeMetricsInterval(Duration.ofSeconds(60));
        // Room for the whole backlog: the default 256 MiB of record bytes would drop the oldest.
        return s.withOutbox(s.outbox().withMaxBytes(8L << 30));
    }

    private EdgeNode node(BenchBus bus, Path state, int maxInFlight) {
        EdgeNode node = new EdgeNode(mqtt(), socketFactory(), settings(state, maxInFlight), bus,
                req -> new WriteResult(WriteResult.Status.OK, null, null), e -> true, () -> null, Clock.systemUTC());
        node.start();
        return node;
    }

    private Host host() throws InterruptedException {
        Host h = new Host();
        MqttSettings s = MqttSettings.builder().brokerUrls(broker.sslUrl()).clientId("host").caFile(Path.of("unused"))
                .keepAlive(Duration.ofSeconds(30)).connectTimeout(Duration.ofSeconds(5))
                .reconnect(Duration.ofMillis(100), Duration.ofMillis(500)).build();
        h.session = new MqttSession(s, Tls.socketFactory(List.of(ca.certificate()), hostCert.keyManagers(), s.tlsProtocols()),
                h, null);
        h.session.start();
        if (h.connected.poll(15, TimeUnit.SECONDS) == null) {
            throw new IllegalStateException("host did not connect: " + h.session.lastError() + "\n" + broker.log());
        }
        return h;
    }

    /** Changes tags round robin at {@code rate} values per second (each value new), from one thread, like a poller. */
    private static final class Producer {
        private final BenchBus bus;
        private final int rate;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong produced = new AtomicLong();
        private final Thread thread;

        Producer(BenchBus bus, int rate) {
            this.bus = bus;
            this.rate = rate;
            this.thread = new Thread(this::loop, "bench-producer");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        long produced() {
            return produced.get();
        }

        private void loop() {
            long start = System.nanoTime();
            long n = 0;
            int size = bus.size();
            while (running.get()) {
                long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
                if (n >= due) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
                Instant now = Instant.now();
                while (n < due) {
                    TagInfo tag = bus.tagAt((int) (n % size));
                    bus.publish(tag, TagValue.good((double) n, now));
                    n++;
                }
                produced.set(n);
            }
        }
    }

    /**
     * The host application: subscribes to the group at QoS 1, decodes every DDATA/DBIRTH with the generated classes,
     * counts live and historical metrics and how long live values took from the bus (their source time) to here.
     */
    static final class Host implements MqttSessionListener, AutoCloseable {
        volatile MqttSession session;
        final BlockingQueue<Connection> connected = new LinkedBlockingQueue<>();
        volatile int receiveMaximum;
        private long births;
        private long ddata;
        private long liveMsgs;
        private long histMsgs;
        private long liveMetrics;
        private long histMetrics;
        private long decodeErrors;
        /** Live wait in ms, bucket per ms up to 60 s (last bucket: more). */
        private final long[] latency = new long[60_001];

        @Override
        public Message willFor(ConnectAttempt attempt) {
            return null;
        }

        @Override
        public void connected(Connection c) {
            receiveMaximum = c.receiveMaximum();
            session.subscribe("spBv1.0/plant/#", 1).join();
            connected.add(c);
        }

        @Override
        public void connectionLost(Throwable cause) {
            System.out.println("host: connection lost: " + cause);
        }

        @Override
        public void messageArrived(String topic, byte[] payload) {
            boolean data = topic.contains("/DDATA/");
            if (!data && !topic.contains("/DBIRTH/")) {
                return;
            }
            Payload p;
            try {
                p = Payload.parseFrom(payload);
            } catch (Exception e) {
                synchronized (this) {
                    decodeErrors++;
                }
                return;
            }
            long now = System.currentTimeMillis();
            synchronized (this) {
                if (!data) {
                    births++;
                    return;
                }
                ddata++;
                boolean hist = false;
                for (Payload.Metric m : p.getMetricsList()) {
                    if (m.getIsHistorical()) {
                        hist = true;
                        histMetrics++;
                    } else {
                        liveMetrics++;
                        long wait = Math.max(0, now - m.getTimestamp());
                        latency[(int) Math.min(wait, latency.length - 1)]++;
                    }
                }
                if (hist) {
                    histMsgs++;
                } else {
                    liveMsgs++;
                }
            }
        }

        synchronized long metrics() {
            return liveMetrics + histMetrics;
        }

        synchronized long histMessages() {
            return histMsgs;
        }

        void awaitBirths(int n, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                synchronized (this) {
                    if (births >= n) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
            throw new IllegalStateException("only " + births + " of " + n + " DBIRTHs within " + seconds + " s");
        }

        int latencyPercentile(long[] from, long[] to, double q) {
            long total = 0;
            for (int i = 0; i < to.length; i++) {
                total += to[i] - from[i];
            }
            long want = (long) Math.ceil(total * q);
            long seen = 0;
            for (int i = 0; i < to.length; i++) {
                seen += to[i] - from[i];
                if (seen >= want && total > 0) {
                    return i;
                }
            }
            return -1;
        }

        int latencyMax(long[] from, long[] to) {
            for (int i = to.length - 1; i >= 0; i--) {
                if (to[i] > from[i]) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public void close() {
            session.stop(null, Duration.ofSeconds(2)).join();
        }
    }

    private record Snapshot(long nanos, long processCpu, Map<Long, ThreadCpu> threads, long mosquittoTicks, long produced,
            long accepted, long ddata, long liveMsgs, long histMsgs, long liveMetrics, long histMetrics, long[] latency) {
    }

    private record ThreadCpu(String name, long nanos) {
    }

    private Snapshot snapshot(Host h, EdgeNode node, Producer producer) {
        ThreadMXBean tmx = ManagementFactory.getThreadMXBean();
        Map<Long, ThreadCpu> threads = new HashMap<>();
        for (ThreadInfo ti : tmx.getThreadInfo(tmx.getAllThreadIds())) {
            if (ti != null) {
                threads.put(ti.getThreadId(), new ThreadCpu(ti.getThreadName(), tmx.getThreadCpuTime(ti.getThreadId())));
            }
        }
        long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        synchronized (h) {
            return new Snapshot(System.nanoTime(), cpu, threads, mosquittoTicks(), producer.produced(),
                    SparkplugBenchAccess.acceptedSamples(node), h.ddata, h.liveMsgs, h.histMsgs, h.liveMetrics, h.histMetrics,
                    h.latency.clone());
        }
    }

    /** CPU per thread group in % of one core: node (edge thread, its Paho threads), host, producer, other (GC, JIT…). */
    private static Map<String, Double> cpuShare(Snapshot a, Snapshot b) {
        Map<String, Double> share = new java.util.TreeMap<>();
        double wall = b.nanos - a.nanos;
        for (Map.Entry<Long, ThreadCpu> e : b.threads.entrySet()) {
            ThreadCpu before = a.threads.get(e.getKey());
            long used = e.getValue().nanos - (before == null ? 0 : before.nanos);
            share.merge(group(e.getValue().name), 100.0 * used / wall, Double::sum);
        }
        return share;
    }

    private static String group(String thread) {
        if (thread.startsWith("cellgate-sparkplug") || thread.contains("gw1")) {
            return "node";
        }
        if (thread.contains("host")) {
            return "host";
        }
        if (thread.equals("bench-producer")) {
            return "producer";
        }
        return "other";
    }

    private static String format(Map<String, Double> cpu) {
        StringBuilder b = new StringBuilder();
        cpu.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ')
                .append(String.format(Locale.ROOT, "%.1f", v)));
        return b.toString();
    }

    private long mosquittoTicks() {
        return ProcessHandle.current().children().filter(p -> p.info().command().orElse("").endsWith("mosquitto"))
                .mapToLong(p -> {
                    try {
                        String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
                        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    } catch (IOException | RuntimeException e) {
                        return 0;
                    }
                }).sum();
    }

    private static long ticksPerSecond() {
        return 100; // USER_HZ on Linux
    }

    private static final class HeapMax {
        private final MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        double maxMiB;
        double committedMiB;

        void sample() {
            maxMiB = Math.max(maxMiB, mem.getHeapMemoryUsage().getUsed() / 1048576.0);
            committedMiB = Math.max(committedMiB, mem.getHeapMemoryUsage().getCommitted() / 1048576.0);
        }
    }

    private static long dirBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
