package io.cellgate.mqtt.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.bus.Subscription;
import io.cellgate.api.bus.TagBus;
import io.cellgate.api.bus.TagListener;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.api.write.WriteRequest;
import io.cellgate.api.write.WriteResult;
import io.cellgate.api.write.WriteService;
import io.cellgate.outbox.Outbox;
import io.cellgate.outbox.OutboxEntry;
import io.cellgate.outbox.OutboxStats;
import io.cellgate.outbox.Outboxes;
import io.cellgate.sparkplug.BdSeqFile;
import io.cellgate.sparkplug.CommandError;
import io.cellgate.sparkplug.CommandWrite;
import io.cellgate.sparkplug.DecodedCommands;
import io.cellgate.sparkplug.EdgeNodeProtocol;
import io.cellgate.sparkplug.MessageType;
import io.cellgate.sparkplug.MqttLimits;
import io.cellgate.sparkplug.NodeMetric;
import io.cellgate.sparkplug.PrimaryHostTracker;
import io.cellgate.sparkplug.SparkplugMessage;
import io.cellgate.sparkplug.SparkplugTopic;
import io.cellgate.sparkplug.TagSample;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cell as a Sparkplug B 3.0 edge node, without OSGi: tag bus → durable outbox → {@link MqttSession}, and
 * NCMD/DCMD → write service. Everything that touches the protocol state, the outbox and the session runs on one
 * thread ({@code edge}), which is also the session's scheduler, so listener calls, sends and acknowledgements
 * never race. Bus callbacks only enqueue; writes to devices run on a second thread ({@code commands}) because
 * they block on the device.
 *
 * <p>Data path: changes are appended to the outbox (one record per device and drain cycle, all records of a cycle
 * in one commit, cycles at most every {@code batch.interval.ms}) before anything is sent; an entry is acknowledged
 * in the outbox (lazily: durable with the next commit or within {@link #ACK_FLUSH_MILLIS}) only when every PUBLISH
 * built from it got its PUBACK. Entries
 * appended before the current births (boundary {@code replayUpTo}) are replayed as historical, alternating with
 * live entries so live data is never starved. See docs/sparkplug.md, "The edge node in the gateway".
 */
public final class EdgeNode {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeNode.class);
    static final String LAST_COMMAND = "Node Info/Last Command";
    private static final int REPLAY_READ_ENTRIES = 512;
    private static final long REPLAY_READ_BYTES = 256 * 1024;
    /** Replayed entries of one device are merged into one DDATA up to about this many metrics... */
    private static final int REPLAY_MERGE_SAMPLES = 1000;
    /** ...and up to this many entries (tests lower it to see the alternation with live data on a small backlog). */
    static final int REPLAY_MERGE_ENTRIES = 64;
    /** The tick's period at most: lazily acknowledged entries become durable within about this time. */
    static final long ACK_FLUSH_MILLIS = 200;
    /** Names of the health bundle's metrics; a new one needs a rebirth, at most once per {@link #HEALTH_REBIRTH_MILLIS}. */
    static final String HEALTH_PREFIX = "Health/";
    static final long HEALTH_REBIRTH_MILLIS = 60_000;

    private final MqttSettings mqtt;
    private final SSLSocketFactory socketFactory;
    private final EdgeNodeSettings settings;
    private final TagBus bus;
    private final WriteService writes;
    private final AuditSink audit;
    private final OutboxOverflowAudit overflowAudit;
    private final Clock clock;
    private final NodeHealth health;
    private final ScheduledExecutorService edge;
    private final ExecutorService commands;
    private final EdgeNodeProtocol protocol;
    private final PrimaryHostTracker host;
    private final Queue<Object> incoming = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean pumpScheduled = new AtomicBoolean();
    private final AtomicLong acceptedSamples = new AtomicLong();

    // ---- edge thread only ----
    private Outbox outbox;
    private BdSeqFile bdSeqFile;
    private Subscription subscription;
    private MqttSession session;
    private int generation;
    private Connection connection;
    private long attemptBdSeq = -1;
    private long sessionBdSeq = -1;
    private boolean born;
    private boolean rebirthRequested;
    private int inFlight;
    private final ArrayDeque<Outgoing> wire = new ArrayDeque<>();
    private final ArrayDeque<Object> live = new ArrayDeque<>();
    private final List<Long> acks = new ArrayList<>();
    private long replayAfter;
    private long replayUpTo;
    private final ArrayDeque<Replayed> replayBuffer = new ArrayDeque<>();
    private boolean replayTurn;
    private long replayedEntries;
    private long refusedEntries;
    private long rejectedSamples;
    private String lastCommand = "";
    private Map<String, Object> publishedNodeMetrics = new HashMap<>();
    private ScheduledFuture<?> ticker;
    private boolean stopped;
    private int urlRotation;
    private volatile int replayMergeEntries = REPLAY_MERGE_ENTRIES;
    private long lastDrainAt = System.nanoTime() - Duration.ofDays(1).toNanos();
    private boolean drainScheduled;

    /** A built message waiting for an in-flight slot; {@code done} completes on PUBACK. */
    private record Outgoing(SparkplugMessage message, CompletableFuture<Void> done) {
    }

    private record DeviceEvent(String deviceId) {
    }

    private record LiveEntry(long seq, byte[] record) {
    }

    /** An outbox entry read for replay; {@code record} null if it could not be decoded. */
    private record Replayed(long seq, DataRecord record) {
    }

    private record CommandOutcome(String text) {
    }

    /**
     * @param mqtt          the session settings
     * @param socketFactory TLS for ssl:// URLs
     * @param pki           the gateway PKI for the certificate expiry metric (may return null)
     */
    public EdgeNode(MqttSettings mqtt, SSLSocketFactory socketFactory, EdgeNodeSettings settings, TagBus bus,
            WriteService writes, AuditSink audit, Supplier<io.cellgate.pki.GatewayPki> pki, Clock clock) {
        this.mqtt = Objects.requireNonNull(mqtt, "mqtt settings");
        this.socketFactory = socketFactory;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.bus = Objects.requireNonNull(bus, "bus");
        this.writes = Objects.requireNonNull(writes, "writes");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = clock;
        this.protocol = new EdgeNodeProtocol(settings.groupId(), settings.edgeNodeId(), clock);
        this.host = settings.primaryHostId() == null ? null : new PrimaryHostTracker(settings.primaryHostId());
        // The gateway's sink is the audit trail, which also answers AuditQuery: its summary is in the node metrics.
        this.health = new NodeHealth(settings, bus, pki,
                audit instanceof io.cellgate.api.audit.AuditQuery q ? q::summary : null, clock);
        this.overflowAudit = new OutboxOverflowAudit(audit, settings.edgeNodeId());
        this.edge = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "cellgate-sparkplug-" + settings.edgeNodeId()));
        this.commands = Executors.newSingleThreadExecutor(r -> thread(r, "cellgate-sparkplug-commands"));
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts in the background: opens the bdSeq file and the outbox, subscribes to the bus, connects. */
    public void start() {
        edge.execute(() -> {
            try {
                bdSeqFile = BdSeqFile.open(settings.stateDir());
                outbox = Outboxes.open(settings.outbox());
                overflowAudit.check(outbox.stats(), clock.instant()); // the baseline: losses of earlier runs
            } catch (IOException | RuntimeException e) {
                LOG.error("Sparkplug edge node {}: cannot open its state in {}: {}; not started", settings.edgeNodeId(),
                        settings.stateDir(), e.getMessage());
                return;
            }
            subscription = bus.subscribe(new Listener());
            newSession();
            long tick = Math.min(ACK_FLUSH_MILLIS, settings.nodeMetricsInterval().toMillis());
            ticker = edge.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
            LOG.info("Sparkplug edge node {}/{} started (state {}, outbox {} entries)", settings.groupId(),
                    settings.edgeNodeId(), settings.stateDir(), outbox.stats().entries());
        });
    }

    /**
     * Clean shutdown: accepts what the bus delivered so far into the outbox, then NDEATH and DISCONNECT (the
     * broker discards the Will), closes the outbox. Waits at most about {@code timeout}.
     */
    public void stop(Duration timeout) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            edge.execute(() -> {
                stopped = true;
                closeSubscription();
                drainIncoming();
                MqttSession s = session;
                session = null;
                Message fin = s != null && connection != null && sessionBdSeq >= 0 ? ndeathMessage(sessionBdSeq) : null;
                CompletableFuture<Void> closed = s == null ? CompletableFuture.completedFuture(null) : s.stop(fin, timeout);
                closed.whenComplete((r, e) -> edge.execute(() -> {
                    closeOutbox();
                    done.complete(null);
                }));
            });
            done.get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("Sparkplug edge node {}: stop: {}", settings.edgeNodeId(), e.toString());
        }
        shutdownExecutors();
    }

    /**
     * For tests of a crash: stops without NDEATH or DISCONNECT and without draining what was not yet accepted;
     * the caller drops the TCP connection (the broker then publishes the Will).
     */
    void abandon() {
        try {
            edge.submit(() -> {
                stopped = true;
                closeSubscription();
                generation++;
                session = null;
                closeOutbox();
            }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("abandon: {}", e.toString());
        }
        shutdownExecutors();
    }

    private void shutdownExecutors() {
        commands.shutdownNow();
        edge.shutdown();
        try {
            if (!edge.awaitTermination(5, TimeUnit.SECONDS)) {
                edge.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            edge.shutdownNow();
        }
    }

    private void closeSubscription() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        if (ticker != null) {
            ticker.cancel(false);
        }
    }

    private void closeOutbox() {
        if (outbox != null) {
            flushAcks();
            outbox.close();
            outbox = null;
        }
    }

    /** Tests: how many replayed entries of one device one DDATA may carry (1 = one DDATA per entry). */
    void replayMergeEntries(int n) {
        replayMergeEntries = Math.max(1, n);
    }

    /** Values accepted from the bus into the outbox so far (tests, health). */
    long acceptedSamples() {
        return acceptedSamples.get();
    }

    // ------------------------------------------------------------------ session

    private void newSession() {
        int gen = ++generation;
        List<URI> urls = new ArrayList<>(mqtt.brokerUrls());
        java.util.Collections.rotate(urls, -urlRotation);
        MqttSettings s = new MqttSettings(urls, mqtt.clientId(), mqtt.username(), mqtt.password(), mqtt.caFile(),
                mqtt.usePkiTrust(), mqtt.tlsProtocols(), mqtt.keepAlive(), mqtt.connectTimeout(), mqtt.cleanStart(),
                mqtt.sessionExpirySeconds(), mqtt.reconnectInitial(), mqtt.reconnectMax(), mqtt.insecure());
        session = new MqttSession(s, socketFactory, new SessionListener(gen), edge);
        session.start();
    }

    private Message ndeathMessage(long bdSeq) {
        SparkplugMessage m = protocol.ndeath(bdSeq);
        return Message.will(m.topic().format(), m.payload());
    }

    private final class SessionListener implements MqttSessionListener {
        private final int gen;

        SessionListener(int gen) {
            this.gen = gen;
        }

        @Override
        public Message willFor(ConnectAttempt attempt) {
            attemptBdSeq = bdSeqFile.bdSeq();
            return ndeathMessage(attemptBdSeq);
        }

        @Override
        public void connected(Connection c) {
            if (gen != generation) {
                return;
            }
            onConnected(c);
        }

        @Override
        public void connectionLost(Throwable cause) {
            if (gen == generation) {
                endSession("connection lost: " + cause.getMessage());
            }
        }

        @Override
        public void messageArrived(String topic, byte[] payload) {
            if (gen == generation) {
                onMessage(topic, payload);
            }
        }
    }

    private void onConnected(Connection c) {
        sessionBdSeq = attemptBdSeq;
        try {
            bdSeqFile.connected();
        } catch (IOException e) {
            // The session still works; the next session would repeat this bdSeq, which hosts tolerate less well.
            LOG.error("Sparkplug edge node {}: cannot store the next bdSeq in {}: {}", settings.edgeNodeId(),
                    bdSeqFile.file(), e.getMessage());
        }
        connection = c;
        inFlight = 0;
        wire.clear();
        String base = SparkplugTopic.NAMESPACE + "/" + settings.groupId();
        session.subscribe(base + "/NCMD/" + settings.edgeNodeId(), 1);
        session.subscribe(base + "/DCMD/" + settings.edgeNodeId() + "/+", 1);
        if (host != null) {
            host.newSession();
            session.subscribe(host.topic().format(), 1);
            LOG.info("Sparkplug edge node {}: connected (bdSeq {}); waiting for STATE of primary host '{}'",
                    settings.edgeNodeId(), sessionBdSeq, host.hostId());
        } else {
            births();
        }
        pump();
    }

    private void endSession(String why) {
        if (born) {
            LOG.info("Sparkplug edge node {}: session ended ({}); storing until the next births", settings.edgeNodeId(), why);
        }
        connection = null;
        born = false;
        protocol.endSession();
        wire.clear();
        live.clear();
        replayBuffer.clear();
        inFlight = 0;
    }

    /** NBIRTH, a DBIRTH for every device that is up, then the replay boundary. */
    private void births() {
        if (connection == null || stopped) {
            return;
        }
        rebirthRequested = false;
        List<NodeMetric> metrics = health.sample(lastCommand, outboxStats(), replayInfo());
        SparkplugMessage nbirth = protocol.nbirth(sessionBdSeq, metrics, maxPayload(protocol.nodeTopic(MessageType.NBIRTH)));
        publishedNodeMetrics = NodeHealth.values(metrics);
        lastMetricsAt = clock.millis();
        enqueue(nbirth);
        for (DeviceState d : bus.devices()) {
            if (isUp(d)) {
                dbirth(d.deviceId());
            }
        }
        if (!born) {
            // Everything accepted before these births is history; what comes after is live.
            drainIncoming();
            replayUpTo = outbox.lastSeq();
            replayAfter = 0;
            replayBuffer.clear();
            live.clear();
            born = true;
            LOG.info("Sparkplug edge node {}: born (bdSeq {}); {} stored entries to replay", settings.edgeNodeId(),
                    sessionBdSeq, outbox.stats().entries());
        }
        born = true;
    }

    private static boolean isUp(DeviceState d) {
        return d.status() != DeviceState.Status.FAILING && d.status() != DeviceState.Status.DISABLED;
    }

    private List<TagInfo> tagsOf(String deviceId) {
        return bus.tags().stream().filter(t -> t.path().device().equals(deviceId)).toList();
    }

    private void dbirth(String deviceId) {
        List<TagInfo> tags = tagsOf(deviceId);
        if (tags.isEmpty()) {
            return;
        }
        Map<TagPath, TagValue> values = new HashMap<>();
        for (TagInfo t : tags) {
            bus.value(t.path()).ifPresent(v -> values.put(t.path(), v));
        }
        try {
            enqueue(protocol.dbirth(deviceId, tags, values,
                    maxPayload(protocol.deviceTopic(MessageType.DBIRTH, deviceId))));
        } catch (RuntimeException e) {
            LOG.error("Sparkplug edge node {}: DBIRTH of device '{}' impossible: {}", settings.edgeNodeId(), deviceId,
                    e.getMessage());
        }
    }

    private int maxPayload(SparkplugTopic topic) {
        long max = session == null ? Connection.MQTT_MAX_PACKET_SIZE : session.maximumPacketSize();
        return MqttLimits.maxPayloadBytes(max, topic, 0);
    }

    // ------------------------------------------------------------------ incoming MQTT

    private void onMessage(String topic, byte[] payload) {
        SparkplugTopic t;
        try {
            t = SparkplugTopic.parse(topic);
        } catch (IllegalArgumentException e) {
            LOG.warn("Sparkplug edge node {}: message on unexpected topic {} ignored", settings.edgeNodeId(), topic);
            return;
        }
        switch (t.type()) {
            case STATE -> onState(topic, payload);
            case NCMD -> onNodeCommand(payload);
            case DCMD -> onDeviceCommand(t.deviceId(), payload);
            default -> LOG.debug("ignored {}", topic);
        }
    }

    private void onState(String topic, byte[] payload) {
        if (host == null) {
            return;
        }
        PrimaryHostTracker.Decision d = host.onMessage(topic, payload);
        switch (d.action()) {
            case BECAME_ONLINE -> {
                LOG.info("Sparkplug edge node {}: {}; births", settings.edgeNodeId(), d.detail());
                if (!born) {
                    births();
                    pump();
                }
            }
            case WENT_OFFLINE -> {
                // Sparkplug 3.0 (5.8.x): NDEATH, disconnect, connect to the next server; data is stored meanwhile.
                LOG.warn("Sparkplug edge node {}: {}; NDEATH, disconnect, store and forward, next broker",
                        settings.edgeNodeId(), d.detail());
                MqttSession old = session;
                Message fin = ndeathMessage(sessionBdSeq);
                endSession("primary host offline");
                generation++;
                urlRotation++;
                old.stop(fin, Duration.ofSeconds(5)).whenComplete((r, e) -> edge.execute(() -> {
                    if (!stopped) {
                        newSession();
                    }
                }));
            }
            case INVALID -> LOG.warn("Sparkplug edge node {}: STATE ignored: {}", settings.edgeNodeId(), d.detail());
            default -> LOG.debug("STATE {}: {}", d.action(), d.detail());
        }
    }

    private void onNodeCommand(byte[] payload) {
        DecodedCommands c = protocol.decodeNodeCommand(payload);
        for (CommandError e : c.errors()) {
            refuse("NCMD", settings.edgeNodeId(), e);
        }
        if (c.rebirth() && connection != null && (host == null || host.isOnline())) {
            LOG.info("Sparkplug edge node {}: rebirth requested", settings.edgeNodeId());
            rebirthRequested = true;
            pump();
        }
    }

    private void onDeviceCommand(String deviceId, byte[] payload) {
        DecodedCommands c = protocol.decodeDeviceCommand(deviceId, payload);
        for (CommandError e : c.errors()) {
            refuse("DCMD", deviceId, e);
        }
        String source = connection == null ? null : connection.attempt().serverUri();
        for (CommandWrite w : c.writes()) {
            String identity = settings.commandIdentity();
            if (identity == null) {
                refuse("DCMD", deviceId, new CommandError(w.metric(), CommandError.Kind.NOT_WRITABLE,
                        SparkplugConfig.PID + " command.identity is not configured: DCMD writes are refused"));
                continue;
            }
            commands.execute(() -> {
                WriteResult r;
                try {
                    r = writes.write(new WriteRequest(identity, "sparkplug", source, w.path(), w.value()));
                } catch (RuntimeException e) {
                    r = new WriteResult(WriteResult.Status.FAILED, e.toString(), null);
                }
                String text = w.path() + " = " + w.value() + ": " + r.status()
                        + (r.ok() ? "" : " (" + r.message() + ")");
                submit(new CommandOutcome(text));
            });
        }
    }

    /** A refused command metric: audited (the write service never saw it), reported in Last Command. */
    private void refuse(String what, String scope, CommandError e) {
        String identity = settings.commandIdentity() == null ? "sparkplug" : settings.commandIdentity();
        String source = connection == null ? null : connection.attempt().serverUri();
        boolean ok = audit.record(new AuditEvent(clock.instant(), identity, source, "write.sparkplug",
                scope + "/" + e.metric(), AuditEvent.Result.DENIED, what + " " + e.kind() + ": " + e.message(), null));
        if (!ok) {
            LOG.warn("audit sink unavailable; {} refused: {} {}", what, scope, e);
        }
        LOG.warn("Sparkplug edge node {}: {} for {} refused: {}", settings.edgeNodeId(), what, scope, e);
        setLastCommand(what + " " + scope + "/" + e.metric() + ": " + e.kind() + " (" + e.message() + ")");
    }

    private void setLastCommand(String text) {
        lastCommand = Instant.now(clock) + " " + text;
        publishNodeMetrics(true);
    }

    // ------------------------------------------------------------------ bus → outbox

    private final class Listener implements TagListener {
        @Override
        public void onValue(TagInfo tag, TagValue value) {
            submit(new TagSample(tag.path(), value));
        }

        @Override
        public void onCatalogChanged(String deviceId) {
            submit(new DeviceEvent(deviceId));
        }

        @Override
        public void onDeviceState(DeviceState state) {
            submit(new DeviceEvent(state.deviceId()));
        }
    }

    private void submit(Object event) {
        incoming.add(event);
        if (pumpScheduled.compareAndSet(false, true)) {
            try {
                edge.execute(() -> {
                    pumpScheduled.set(false);
                    pump();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // stopped
            }
        }
    }

    /**
     * Moves bus events into the outbox (samples) or the live queue (device events), in arrival order, with one
     * {@link Outbox#appendAll} (one commit, one fsync) for the records of every device: one record per device
     * between two device events.
     */
    private void drainIncoming() {
        if (outbox == null) {
            return;
        }
        lastDrainAt = System.nanoTime();
        List<Object> order = new ArrayList<>();
        Map<String, List<TagSample>> batch = new LinkedHashMap<>();
        Object e;
        while ((e = incoming.poll()) != null) {
            if (e instanceof TagSample s) {
                batch.computeIfAbsent(s.path().device(), k -> new ArrayList<>()).add(s);
                publishJson(s);
            } else if (e instanceof CommandOutcome o) {
                setLastCommand(o.text());
            } else {
                // A device event ends the device's pending samples: its data goes out before its DDEATH/DBIRTH.
                batch.forEach((device, samples) -> order.add(new DataRecord(device, samples)));
                batch.clear();
                order.add(e);
            }
        }
        batch.forEach((device, samples) -> order.add(new DataRecord(device, samples)));
        appendAll(order);
    }

    /** Appends the records in {@code order} in one batch, then queues them and the device events for live sending. */
    private void appendAll(List<Object> order) {
        List<byte[]> records = new ArrayList<>();
        for (Object o : order) {
            if (o instanceof DataRecord r) {
                records.add(r.encode());
            }
        }
        long[] seqs = new long[records.size()];
        if (!records.isEmpty()) {
            try {
                seqs = outbox.appendAll(records);
            } catch (RuntimeException ex) {
                int n = order.stream().filter(DataRecord.class::isInstance)
                        .mapToInt(o -> ((DataRecord) o).samples().size()).sum();
                rejectedSamples += n;
                LOG.error("Sparkplug edge node {}: outbox append failed, {} values of {} records lost: {}",
                        settings.edgeNodeId(), n, records.size(), ex.toString());
                seqs = new long[records.size()];
            }
        }
        int i = 0;
        for (Object o : order) {
            if (o instanceof DataRecord r) {
                long seq = seqs[i];
                byte[] record = records.get(i++);
                if (seq == 0) {
                    // Refused by the outbox's policy (REJECT_NEW when full); the outbox logged why.
                    rejectedSamples += r.samples().size();
                    continue;
                }
                acceptedSamples.addAndGet(r.samples().size());
                if (born) {
                    live.add(new LiveEntry(seq, record));
                }
            } else if (born) {
                live.add(o);
            }
        }
    }

    // ------------------------------------------------------------------ sending

    private void pump() {
        if (stopped || outbox == null) {
            return;
        }
        flushAcks();
        drainIfDue();
        if (!born || connection == null) {
            return;
        }
        flushWire();
        while (wire.isEmpty() && inFlight < limit()) {
            if (rebirthRequested) {
                births();
                flushWire();
                continue;
            }
            boolean sent;
            if (replayTurn) {
                sent = sendReplay() || sendLive();
            } else {
                sent = sendLive() || sendReplay();
            }
            replayTurn = !replayTurn;
            if (!sent) {
                break;
            }
            flushWire();
        }
    }

    /**
     * Drains the bus into the outbox if the batch interval has passed since the last drain, else schedules one
     * drain for when it has: under load, PUBACKs call {@link #pump} hundreds of times per second, and a drain
     * at each would cost one fsync each for small records.
     */
    private void drainIfDue() {
        long interval = settings.batchInterval().toNanos();
        long wait = lastDrainAt + interval - System.nanoTime();
        if (interval == 0 || wait <= 0) {
            drainIncoming();
        } else if (!incoming.isEmpty() && !drainScheduled) {
            drainScheduled = true;
            edge.schedule(() -> {
                drainScheduled = false;
                pump();
            }, wait, TimeUnit.NANOSECONDS);
        }
    }

    private int limit() {
        int rm = connection == null ? 1 : connection.receiveMaximum();
        return Math.max(1, Math.min(settings.maxInFlight(), rm));
    }

    private void enqueue(SparkplugMessage m) {
        wire.add(new Outgoing(m, new CompletableFuture<>()));
    }

    private CompletableFuture<Void> enqueueAll(List<SparkplugMessage> msgs) {
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (SparkplugMessage m : msgs) {
            Outgoing o = new Outgoing(m, new CompletableFuture<>());
            wire.add(o);
            fs.add(o.done());
        }
        return CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new));
    }

    private void flushWire() {
        int gen = generation;
        while (!wire.isEmpty() && inFlight < limit() && session != null) {
            Outgoing o = wire.poll();
            inFlight++;
            // QoS 1 for everything: the outbox entry is acknowledged on PUBACK (see docs/sparkplug.md).
            session.publish(o.message().topic().format(), o.message().payload(), 1, false).whenComplete((r, e) -> {
                try {
                    edge.execute(() -> {
                        if (gen == generation) {
                            inFlight--;
                        }
                        if (e == null) {
                            o.done().complete(null);
                        } else {
                            o.done().completeExceptionally(e);
                        }
                        pump();
                    });
                } catch (java.util.concurrent.RejectedExecutionException stopped) {
                    // shutting down: the entry stays in the outbox
                }
            });
        }
    }

    private boolean sendLive() {
        Object item = live.poll();
        if (item == null) {
            return false;
        }
        if (item instanceof LiveEntry le) {
            sendRecord(le.seq(), le.record(), false);
        } else if (item instanceof DeviceEvent de) {
            deviceChanged(de.deviceId());
        }
        return true;
    }

    private boolean sendReplay() {
        if (replayBuffer.isEmpty()) {
            if (replayAfter >= replayUpTo) {
                return false;
            }
            List<OutboxEntry> read = outbox.read(replayAfter, REPLAY_READ_ENTRIES, REPLAY_READ_BYTES);
            boolean end = read.isEmpty();
            for (OutboxEntry e : read) {
                if (e.seq() > replayUpTo) {
                    end = true;
                    break;
                }
                replayBuffer.add(new Replayed(e.seq(), decode(e.seq(), e.record())));
                replayAfter = e.seq();
            }
            if (end) {
                replayAfter = replayUpTo;
            }
            if (replayBuffer.isEmpty()) {
                LOG.info("Sparkplug edge node {}: replay complete ({} entries)", settings.edgeNodeId(), replayedEntries);
                return false;
            }
        }
        // One DDATA (split only by the packet size) for all entries of the first entry's device in the buffer:
        // the per-device order stays oldest first, and a backlog of small records goes out in few messages.
        Replayed first = replayBuffer.poll();
        replayedEntries++;
        if (first.record() == null) {
            acks.add(first.seq());
            return true;
        }
        List<Long> seqs = new ArrayList<>();
        seqs.add(first.seq());
        List<TagSample> samples = new ArrayList<>(first.record().samples());
        int mergeEntries = replayMergeEntries;
        for (var it = replayBuffer.iterator(); it.hasNext() && samples.size() < REPLAY_MERGE_SAMPLES
                && seqs.size() < mergeEntries; ) {
            Replayed r = it.next();
            if (r.record() != null && r.record().device().equals(first.record().device())) {
                it.remove();
                replayedEntries++;
                seqs.add(r.seq());
                samples.addAll(r.record().samples());
            }
        }
        sendRecords(seqs, new DataRecord(first.record().device(), samples), true);
        return true;
    }

    /** The record of an outbox entry, or null (logged) if it cannot be decoded: the caller acknowledges it. */
    private DataRecord decode(long seq, byte[] bytes) {
        try {
            return DataRecord.decode(bytes);
        } catch (IllegalArgumentException e) {
            LOG.error("Sparkplug edge node {}: outbox entry {} dropped: {}", settings.edgeNodeId(), seq, e.getMessage());
            return null;
        }
    }

    private void sendRecord(long seq, byte[] bytes, boolean historical) {
        DataRecord r = decode(seq, bytes);
        if (r == null) {
            acks.add(seq);
            return;
        }
        sendRecords(List.of(seq), r, historical);
    }

    /** Sends the samples of the entries {@code seqs} (one device) as DDATA; the entries are acknowledged on PUBACK. */
    private void sendRecords(List<Long> seqs, DataRecord r, boolean historical) {
        if (!protocol.isDeviceBorn(r.device())) {
            // Device down or removed: the entries stay in the outbox and are replayed in a later session in which the
            // device is born (or dropped by the outbox's age/size bounds).
            LOG.debug("outbox entries {} of device '{}' kept: no DBIRTH now", seqs, r.device());
            return;
        }
        List<TagSample> known = r.samples().stream()
                .filter(s -> protocol.alias(r.device(), s.path().tag()).isPresent()).toList();
        if (known.isEmpty()) {
            acks.addAll(seqs);
            return;
        }
        List<SparkplugMessage> msgs;
        try {
            msgs = protocol.ddata(r.device(), known, historical,
                    maxPayload(protocol.deviceTopic(MessageType.DDATA, r.device())));
        } catch (RuntimeException e) {
            LOG.error("Sparkplug edge node {}: outbox entries {} of device '{}' cannot be sent, dropped: {}",
                    settings.edgeNodeId(), seqs, r.device(), e.getMessage());
            acks.addAll(seqs);
            return;
        }
        enqueueAll(msgs).whenComplete((ok, e) -> {
            if (e == null) {
                acks.addAll(seqs);
            } else if (e.getCause() instanceof MqttPublishException p
                    && (p.kind() == MqttPublishException.Kind.REFUSED || p.kind() == MqttPublishException.Kind.TOO_LARGE)) {
                // Would be refused forever: don't block the outbox with it.
                refusedEntries += seqs.size();
                acks.addAll(seqs);
                LOG.error("Sparkplug edge node {}: outbox entries {} refused by the broker and dropped: {}",
                        settings.edgeNodeId(), seqs, p.getMessage());
            }
            // Connection lost: stays in the outbox, resent as historical after the next births.
        });
    }

    private void flushAcks() {
        if (!acks.isEmpty() && outbox != null) {
            long[] seqs = acks.stream().mapToLong(Long::longValue).toArray();
            acks.clear();
            outbox.acknowledgeLazily(seqs);
        }
    }

    /** A device's state or catalogue changed: DDEATH when it went down, DBIRTH when it is up (again or redefined). */
    private void deviceChanged(String deviceId) {
        DeviceState state = bus.device(deviceId).orElse(null);
        boolean up = state != null && isUp(state) && !tagsOf(deviceId).isEmpty();
        if (!up && protocol.isDeviceBorn(deviceId)) {
            enqueue(protocol.ddeath(deviceId));
        } else if (up) {
            dbirth(deviceId);
        }
    }

    // ------------------------------------------------------------------ node metrics, JSON

    private void tick() {
        try {
            if (outbox != null) {
                outbox.sweep();
                checkOverflow();
            }
            pump();
            if (outbox != null && outbox.pendingLazyAcknowledgements() > 0) {
                outbox.flush();
            }
            publishNodeMetrics(false);
        } catch (RuntimeException e) {
            LOG.error("Sparkplug edge node {}: {}", settings.edgeNodeId(), e.toString(), e);
        }
    }

    private long lastMetricsAt;
    private long lastOverflowCheck;
    private long lastHealthRebirth;
    /** Written at most once a second on the edge-node thread, read by the health bundle. */
    private volatile List<io.cellgate.api.health.HealthMetric> northbound = List.of();

    /** The health bundle's metrics join the node metrics (null: none). */
    public void gatewayHealth(Supplier<io.cellgate.api.health.GatewayHealth> source) {
        health.gatewayHealth(source);
    }

    /** The edge node's part of the gateway's health (MQTT state, outbox, replay), as of the last second. */
    public List<io.cellgate.api.health.HealthMetric> northboundMetrics() {
        return northbound;
    }

    /** At most once a second: the outbox's counters cost a file size call. */
    private void checkOverflow() {
        long t = clock.millis();
        if (lastOverflowCheck != 0 && t - lastOverflowCheck < 1000) {
            return;
        }
        lastOverflowCheck = t;
        OutboxStats stats = outbox.stats();
        overflowAudit.check(stats, clock.instant());
        northbound = NodeHealth.northbound(stats, born && connection != null, replayInfo());
    }

    private void publishNodeMetrics(boolean now) {
        if (!born || connection == null || rebirthRequested) {
            return;
        }
        long t = clock.millis();
        if (!now && t - lastMetricsAt < settings.nodeMetricsInterval().toMillis()) {
            return;
        }
        lastMetricsAt = t;
        List<NodeMetric> changed = new ArrayList<>();
        boolean unborn = false;
        for (NodeMetric m : health.sample(lastCommand, outboxStats(), replayInfo())) {
            if (protocol.alias(null, m.name()).isEmpty()) {
                unborn |= m.name().startsWith(HEALTH_PREFIX);
            } else if (!Objects.equals(publishedNodeMetrics.get(m.name()), m.value())) {
                changed.add(m);
            }
        }
        if (unborn && (lastHealthRebirth == 0 || t - lastHealthRebirth >= HEALTH_REBIRTH_MILLIS)) {
            // New health metrics (the health bundle's first sample, a device added) can only come in an NBIRTH.
            lastHealthRebirth = t;
            rebirthRequested = true;
            LOG.info("Sparkplug edge node {}: new health metrics, rebirth", settings.edgeNodeId());
            return;
        }
        if (changed.isEmpty()) {
            return;
        }
        try {
            List<SparkplugMessage> msgs = protocol.ndata(changed, false,
                    maxPayload(protocol.nodeTopic(MessageType.NDATA)));
            changed.forEach(m -> publishedNodeMetrics.put(m.name(), m.value()));
            enqueueAll(msgs);
            flushWire();
        } catch (RuntimeException e) {
            LOG.warn("Sparkplug edge node {}: NDATA not built: {}", settings.edgeNodeId(), e.getMessage());
        }
    }

    private OutboxStats outboxStats() {
        return outbox == null ? null : outbox.stats();
    }

    private NodeHealth.Replay replayInfo() {
        return new NodeHealth.Replay(replayAfter < replayUpTo || !replayBuffer.isEmpty(), replayedEntries, rejectedSamples, refusedEntries);
    }

    /**
     * Plain JSON view: published at QoS 1 straight to the broker when connected, not through the outbox (it is
     * a convenience view of current values; with retain the broker keeps the last one).
     */
    private void publishJson(TagSample s) {
        EdgeNodeSettings.Json json = settings.json();
        if (json == null || session == null || connection == null) {
            return;
        }
        String topic = json.prefix() + "/" + settings.cellId() + "/" + s.path().device() + "/" + s.path().tag();
        session.publish(topic, jsonPayload(s.value()), 1, json.retain());
    }

    static byte[] jsonPayload(TagValue v) {
        StringBuilder b = new StringBuilder("{\"value\":");
        Object value = v.isGood() ? v.value() : null;
        if (value == null) {
            b.append("null");
        } else if (value instanceof Number n && !(value instanceof Double d && !Double.isFinite(d))
                && !(value instanceof Float f && !Float.isFinite(f))) {
            b.append(n);
        } else if (value instanceof Boolean bo) {
            b.append(bo);
        } else {
            b.append('"');
            for (char c : value.toString().toCharArray()) {
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    default -> {
                        if (c < 0x20) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            b.append('"');
        }
        b.append(",\"quality\":\"").append(v.quality()).append('"');
        if (!v.isGood()) {
            b.append(",\"reason\":\"").append(v.reason()).append('"');
        }
        b.append(",\"timestamp\":\"").append(v.sourceTime()).append("\"}");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The devices a DBIRTH was published for in this session (tests). */
    Collection<String> bornDevices() {
        try {
            return edge.submit(protocol::bornDevices).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
