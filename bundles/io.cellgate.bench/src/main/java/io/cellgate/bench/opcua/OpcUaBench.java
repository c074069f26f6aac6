package io.cellgate.bench.opcua;

import io.cellgate.bench.cell.SimulateCell;
import io.cellgate.bench.plan.PlanReport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemSynchronizationException;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;

/**
 * OPC UA subscription load on the real gateway (docs/benchmarks.md, benchmark 4): for each value-change
 * interval, generates a cell whose every tag changes at each simulator tick and is polled at that interval,
 * serves its devices from this JVM with the project's simulator, starts {@code cellgate.jar --config} in its
 * own JVM (the service's flags), connects {@code sessions} Milo clients (Basic256Sha256 SignAndEncrypt,
 * user name), each monitoring {@code items} tags (sampling interval = poll interval = publishing interval),
 * and measures notifications delivered per second and the gateway's CPU (/proc/PID/stat) and RSS
 * (VmRSS, VmHWM) over {@code seconds}, after a warm-up. A baseline of the same cell without clients
 * is measured first. Not a test: prints a table, exit code 0 when every item was created and every session
 * kept its subscription.
 *
 * <pre>java --add-opens=java.base/sun.security.provider.certpath=ALL-UNNAMED -cp target/benchmarks.jar \
 *      io.cellgate.bench.opcua.OpcUaBench --gateway ../../distrib/target/cellgate.jar</pre>
 *
 * Options: --intervals 1000,100 (ms) --sessions 10 --items 1000 --seconds 60 --warmup 15 --baseline 20
 * --base-port 17000 --keep (keeps the work directory). The gateway's OPC UA port is its default, 4840.
 */
public final class OpcUaBench {

    static final String[] GATEWAY_FLAGS = {"-Xms64m", "-Xmx160m", "-XX:+UseSerialGC", "-XX:MaxMetaspaceSize=96m",
        "-XX:ReservedCodeCacheSize=48m", "-Xss512k", "-XX:MaxDirectMemorySize=64m",
        "-Dio.netty.allocator.numDirectArenas=1", "-Dio.netty.allocator.numHeapArenas=1",
        "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true"};
    private static final int OPCUA_PORT = 4840;
    private static final String USER = "bench";
    private static final char[] PASSWORD = "benchmark subscriptions on loopback".toCharArray();
    private static final String CLIENT_URI = "urn:cellgate:opcua-bench";

    record Options(Path gateway, List<Long> intervals, int sessions, int items, int seconds, int warmup, int baseline,
            int basePort, boolean keep) {
    }

    record Result(long intervalMs, int sessions, int items, int itemsCreated, double expectedPerSecond,
            double deliveredPerSecond, long badNotifications, double baselineCpuPercent, double cpuPercent,
            long minRssKib, long maxRssKib, long hwmKib, double loadStart, double loadEnd, boolean healthy) {
    }

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        System.out.printf(Locale.ROOT, "OPC UA benchmark: %d sessions x %d items, intervals %s ms, %d s per scenario%n",
                o.sessions(), o.items(), o.intervals(), o.seconds());
        List<Result> results = new ArrayList<>();
        for (long interval : o.intervals()) {
            results.add(scenario(o, interval));
        }
        System.out.println();
        System.out.println("| change + poll interval | sessions x items | items created | expected changes/s "
                + "| notifications/s | delivered / expected | non-Good notifications | gateway CPU, no clients "
                + "| gateway CPU | VmRSS min..max (MiB) | VmHWM (MiB) | load avg start / end |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        boolean healthy = true;
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "| %d ms | %d x %d | %d | %,.0f | %,.0f | %.3f | %d | %.1f %% | %.1f %% | %.1f..%.1f | %.1f | %.2f / %.2f |%n",
                    r.intervalMs(), r.sessions(), r.items(), r.itemsCreated(), r.expectedPerSecond(),
                    r.deliveredPerSecond(), r.deliveredPerSecond() / r.expectedPerSecond(), r.badNotifications(),
                    r.baselineCpuPercent(), r.cpuPercent(), r.minRssKib() / 1024.0, r.maxRssKib() / 1024.0,
                    r.hwmKib() / 1024.0, r.loadStart(), r.loadEnd());
            healthy &= r.healthy();
        }
        System.out.println("(CPU: percent of one core, utime + stime of the gateway process)");
        System.exit(healthy ? 0 : 1);
    }

    static Result scenario(Options o, long intervalMs) throws Exception {
        System.out.printf(Locale.ROOT, "%n== values change and are polled every %d ms ==%n", intervalMs);
        Path work = Files.createTempDirectory("cellgate-opcua-bench");
        Path cellDir = work.resolve("cell");
        Path stateDir = work.resolve("state");
        Files.createDirectories(stateDir);
        int devices = (o.items() + BenchCell.TAGS_PER_DEVICE - 1) / BenchCell.TAGS_PER_DEVICE;
        BenchCell.writeCell(cellDir, devices, intervalMs, o.basePort());

        KeyPair keys = KeyPairGenerator.getInstance("RSA").genKeyPair();
        X509Certificate certificate = new SelfSignedCertificateBuilder(keys).setCommonName("cellgate opcua bench")
                .setOrganization("CellGate").setApplicationUri(CLIENT_URI).addDnsName("localhost")
                .addIpAddress("127.0.0.1").setValidityPeriod(Period.ofDays(7)).build();
        BenchCell.trust(stateDir, certificate.getEncoded(), "opcua-bench.der");
        BenchCell.writeUser(stateDir, USER, "Observer", PASSWORD);
        requireFree(OPCUA_PORT);

        Process gateway = null;
        List<OpcUaClient> clients = new ArrayList<>();
        try (SimulateCell simulator = new SimulateCell(PlanReport.load(cellDir), intervalMs)) {
            System.out.println("simulator: " + simulator.serverCount() + " devices x " + BenchCell.TAGS_PER_DEVICE + " tags");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(List.of(GATEWAY_FLAGS));
            // Extra JVM flags for the gateway, to try a tuning: -Dgateway.extra.flags="-Dx=y -XX:..."
            String extra = System.getProperty("gateway.extra.flags", "").trim();
            if (!extra.isEmpty()) {
                command.addAll(List.of(extra.split("\\s+")));
            }
            command.addAll(List.of("-Dcellgate.log.dir=" + stateDir.resolve("logs"), "-jar", o.gateway().toString(),
                    "--config", cellDir.toString(), "--state", stateDir.toString()));
            gateway = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(work.resolve("gateway.log").toFile()).start();
            long pid = gateway.pid();
            System.out.println("gateway: pid " + pid + ", log " + work.resolve("gateway.log"));
            EndpointDescription endpoint = awaitEndpoint(gateway);

            Thread.sleep(10_000); // first polls, JIT
            double load0 = loadAverage();
            double baselineCpu = cpuPercent(pid, o.baseline() * 1000L);
            System.out.printf(Locale.ROOT, "baseline without clients: %.1f %% CPU over %d s%n", baselineCpu, o.baseline());

            LongAdder notifications = new LongAdder();
            LongAdder bad = new LongAdder();
            int created = 0;
            List<String> paths = BenchCell.tagPaths(o.items());
            for (int s = 0; s < o.sessions(); s++) {
                OpcUaClient client = connect(endpoint, keys, certificate);
                clients.add(client);
                created += subscribe(client, paths, intervalMs, notifications, bad);
            }
            System.out.printf(Locale.ROOT, "%d sessions, %d of %d monitored items created; warming up %d s%n",
                    clients.size(), created, o.sessions() * o.items(), o.warmup());
            Thread.sleep(o.warmup() * 1000L);

            long n0 = notifications.sum();
            long bad0 = bad.sum();
            long cpu0 = ProcStats.cpuTicks(pid);
            long t0 = System.nanoTime();
            long minRss = Long.MAX_VALUE;
            long maxRss = 0;
            for (int i = 0; i <= o.seconds(); i += 5) {
                long rss = ProcStats.statusKib(pid, "VmRSS");
                minRss = Math.min(minRss, rss);
                maxRss = Math.max(maxRss, rss);
                System.out.printf(Locale.ROOT, "t=%2d s  VmRSS %.1f MiB  notifications %,d%n", i, rss / 1024.0,
                        notifications.sum() - n0);
                if (i + 5 <= o.seconds()) {
                    Thread.sleep(5000);
                }
            }
            long cpu1 = ProcStats.cpuTicks(pid);
            long n1 = notifications.sum();
            double elapsed = (System.nanoTime() - t0) / 1e9;
            long hwm = ProcStats.statusKib(pid, "VmHWM");
            double cpu = 100.0 * (cpu1 - cpu0) / ProcStats.clockTicksPerSecond() / elapsed;
            boolean alive = gateway.isAlive() && clients.stream().allMatch(c -> c.getSubscriptions().size() == 1);
            return new Result(intervalMs, o.sessions(), o.items(), created,
                    o.sessions() * (double) o.items() * 1000.0 / intervalMs, (n1 - n0) / elapsed, bad.sum() - bad0,
                    baselineCpu, cpu, minRss, maxRss, hwm, load0, loadAverage(),
                    alive && created == o.sessions() * o.items());
        } finally {
            for (OpcUaClient c : clients) {
                try {
                    c.disconnect();
                } catch (Exception e) {
                    // the gateway may be gone; the result says so
                }
            }
            if (gateway != null) {
                gateway.destroy();
                if (!gateway.waitFor(30, TimeUnit.SECONDS)) {
                    gateway.destroyForcibly();
                }
            }
            if (o.keep()) {
                System.out.println("work directory kept: " + work);
            } else {
                deleteTree(work);
            }
        }
    }

    /** One subscription with {@code paths} as data items; returns how many the server created. */
    private static int subscribe(OpcUaClient client, List<String> paths, long intervalMs, LongAdder notifications,
            LongAdder bad) throws Exception {
        OpcUaSubscription subscription = new OpcUaSubscription(client, (double) intervalMs);
        subscription.create();
        int ns = client.readNamespaceTable().getIndex("urn:cellgate:cell").intValue();
        for (String path : paths) {
            OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(new NodeId(ns, BenchCell.CELL_ID + "/" + path));
            item.setSamplingInterval((double) intervalMs);
            item.setDataValueListener((i, value) -> {
                notifications.increment();
                if (!value.getStatusCode().isGood()) {
                    bad.increment();
                }
            });
            subscription.addMonitoredItem(item);
        }
        try {
            subscription.synchronizeMonitoredItems();
        } catch (MonitoredItemSynchronizationException e) {
            System.out.println("some monitored items were refused: " + e.getMessage());
        }
        return (int) subscription.getMonitoredItems().stream()
                .filter(i -> i.getCreateResult().map(r -> r.isGood()).orElse(false)).count();
    }

    private static OpcUaClient connect(EndpointDescription endpoint, KeyPair keys, X509Certificate certificate)
            throws Exception {
        // Trusts exactly the certificate the gateway announced (its host name SAN is the machine's name,
        // not the loopback address used here, so the optional host name check is left off).
        MemoryTrustListManager trust = new MemoryTrustListManager();
        trust.addTrustedCertificate(CertificateUtil.decodeCertificate(endpoint.getServerCertificate().bytesOrEmpty()));
        OpcUaClient client = OpcUaClient.create(OpcUaClientConfig.builder()
                .setApplicationName(LocalizedText.english("cellgate opcua bench"))
                .setApplicationUri(CLIENT_URI)
                .setEndpoint(endpoint)
                .setKeyPair(keys)
                .setCertificate(certificate)
                .setCertificateChain(new X509Certificate[] {certificate})
                .setCertificateValidator(new DefaultClientCertificateValidator(trust, Set.of(),
                        new MemoryCertificateQuarantine()))
                .setIdentityProvider(new UsernameProvider(USER, new String(PASSWORD)))
                .setRequestTimeout(UInteger.valueOf(60_000))
                .build());
        client.connect();
        return client;
    }

    private static EndpointDescription awaitEndpoint(Process gateway) throws Exception {
        String url = "opc.tcp://127.0.0.1:" + OPCUA_PORT + "/cellgate/discovery";
        Exception last = null;
        for (int i = 0; i < 180 && gateway.isAlive(); i++) {
            try {
                EndpointDescription e = DiscoveryClient.getEndpoints(url).get(5, TimeUnit.SECONDS).stream()
                        .filter(d -> d.getSecurityPolicyUri().equals(SecurityPolicy.Basic256Sha256.getUri())
                                && d.getSecurityMode() == MessageSecurityMode.SignAndEncrypt)
                        .findFirst().orElseThrow();
                return EndpointUtil.updateUrl(e, "127.0.0.1", OPCUA_PORT);
            } catch (Exception e) {
                last = e;
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException("the gateway never answered GetEndpoints at " + url
                + (gateway.isAlive() ? "" : " (it exited with " + gateway.exitValue() + ")"), last);
    }

    private static double cpuPercent(long pid, long millis) throws Exception {
        long c0 = ProcStats.cpuTicks(pid);
        long t0 = System.nanoTime();
        Thread.sleep(millis);
        long c1 = ProcStats.cpuTicks(pid);
        return 100.0 * (c1 - c0) / ProcStats.clockTicksPerSecond() / ((System.nanoTime() - t0) / 1e9);
    }

    private static double loadAverage() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }

    private static void requireFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " is in use: the gateway's OPC UA server needs it", e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static Options parse(String[] args) {
        Path gateway = Path.of("distrib/target/cellgate.jar");
        List<Long> intervals = List.of(1000L, 100L);
        int sessions = 10;
        int items = 1000;
        int seconds = 60;
        int warmup = 15;
        int baseline = 20;
        int basePort = 17000;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--keep")) {
                keep = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + ": needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--gateway" -> gateway = Path.of(v);
                case "--intervals" -> intervals = java.util.Arrays.stream(v.split(",")).map(String::trim).map(Long::parseLong).toList();
                case "--sessions" -> sessions = Integer.parseInt(v);
                case "--items" -> items = Integer.parseInt(v);
                case "--seconds" -> seconds = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--baseline" -> baseline = Integer.parseInt(v);
                case "--base-port" -> basePort = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (!Files.isRegularFile(gateway)) {
            throw new IllegalArgumentException("--gateway " + gateway + ": not a file (build distrib/target/cellgate.jar first)");
        }
        return new Options(gateway, intervals, sessions, items, seconds, warmup, baseline, basePort, keep);
    }
}
