package io.cellgate.mqtt.internal;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT v5 session to the central broker over Paho's async client, usable without OSGi.
 * <ul>
 * <li>{@link #start()} connects in the background and keeps connecting: broker URLs in order, the next
 * one after each failure; after a full round of failures the delay doubles (with jitter) up to the
 * maximum. This includes the very first connect, which Paho's automatic reconnect does not retry, so
 * Paho's is off and this loop runs on one scheduler thread.</li>
 * <li>Before each CONNECT the listener supplies that attempt's Will ({@link MqttSessionListener#willFor}).</li>
 * <li>A silently dead link is Paho's keepalive: PINGREQ after a keepalive without traffic, connection
 * declared lost when no packet came back within another keepalive, so within twice the keepalive.</li>
 * <li>{@link #publish} completes on PUBACK/PUBCOMP, fails with the broker's reason code (0x87 not
 * authorized, ...), and fails at once when not connected or when the packet exceeds the broker's
 * Maximum Packet Size. Nothing is buffered or redelivered here: the durable outbox does that.</li>
 * <li>{@link #stop(Message, Duration)} publishes the final message (Sparkplug NDEATH), waits for its
 * acknowledgement, then sends DISCONNECT with reason 0 so the broker discards the Will.</li>
 * </ul>
 * State changes run on the scheduler thread; publish and subscribe may be called from any thread.
 */
public final class MqttSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttSession.class);

    private enum State { NEW, CONNECTING, CONNECTED, WAITING, CLOSING, CLOSED }

    private final MqttSettings settings;
    private final SSLSocketFactory socketFactory;
    private final MqttSessionListener listener;
    private final ScheduledExecutorService scheduler;
    private final boolean ownScheduler;
    private final Backoff backoff;
    private final Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();

    // Written on the scheduler thread only.
    private State state = State.NEW;
    private int urlIndex;
    private int failures;
    private long attempts;
    private ScheduledFuture<?> pending;

    private volatile MqttAsyncClient client;
    private volatile Connection connection;
    private volatile String lastError;

    /**
     * @param settings      checked settings
     * @param socketFactory TLS for ssl:// URLs ({@link Tls#socketFactory}); null only when all URLs are tcp://
     * @param listener      gets the connection events and supplies the Will
     * @param scheduler     runs the reconnect loop and the listener calls (single-threaded is right);
     *                      null to let the session own one daemon thread
     */
    public MqttSession(MqttSettings settings, SSLSocketFactory socketFactory, MqttSessionListener listener,
            ScheduledExecutorService scheduler) {
        if (settings.needsTls() && socketFactory == null) {
            throw new IllegalArgumentException(MqttConfig.PID + ": ssl:// URLs need a TLS socket factory");
        }
        this.settings = settings;
        this.socketFactory = socketFactory;
        this.listener = listener;
        this.ownScheduler = scheduler == null;
        this.scheduler = scheduler != null ? scheduler : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mqtt-session-" + settings.clientId());
            t.setDaemon(true);
            return t;
        });
        this.backoff = new Backoff(settings.reconnectInitial(), settings.reconnectMax(), RandomGenerator.getDefault());
    }

    /** Starts connecting in the background; returns at once. */
    public void start() {
        for (String s : settings.insecure()) {
            LOG.warn("{}: INSECURE setting in use (allow.insecure=true): {}", MqttConfig.PID, s);
        }
        scheduler.execute(() -> {
            if (state == State.NEW) {
                state = State.CONNECTING;
                connect();
            }
        });
    }

    /** True while a connection is established. */
    public boolean isConnected() {
        return connection != null;
    }

    /** The established connection (CONNACK values), or null. */
    public Connection connection() {
        return connection;
    }

    /** The broker's Maximum Packet Size of the current connection; the MQTT limit when it named none or when not connected. */
    public long maximumPacketSize() {
        Connection c = connection;
        return c == null ? Connection.MQTT_MAX_PACKET_SIZE : c.maximumPacketSize();
    }

    /** The last connection error, worded for an operator; null when none yet. */
    public String lastError() {
        return lastError;
    }

    /**
     * Publishes a message. The future completes when the broker acknowledged it (QoS 1/2) or when it was
     * written (QoS 0), and fails with {@link MqttPublishException}.
     */
    public CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retain) {
        return publish(new Message(topic, payload, qos, retain));
    }

    public CompletableFuture<Void> publish(Message m) {
        Connection conn = connection;
        MqttAsyncClient c = client;
        if (conn == null || c == null) {
            return CompletableFuture.failedFuture(new MqttPublishException(MqttPublishException.Kind.NOT_CONNECTED, -1,
                    "not connected; " + m + " not sent", null));
        }
        long size = packetSize(m);
        if (size > conn.maximumPacketSize()) {
            return CompletableFuture.failedFuture(new MqttPublishException(MqttPublishException.Kind.TOO_LARGE, -1,
                    m + " is " + size + " bytes on the wire, above the broker's Maximum Packet Size " + conn.maximumPacketSize(), null));
        }
        CompletableFuture<Void> f = track(new CompletableFuture<>());
        try {
            MqttMessage msg = new MqttMessage(m.payload(), m.qos(), m.retain(), null);
            c.publish(m.topic(), msg, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int rc = firstReasonCode(token);
                    if (rc >= 0x80) {
                        f.completeExceptionally(refused("publish to " + m.topic(), rc, token));
                    } else {
                        f.complete(null);
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    f.completeExceptionally(failure("publish to " + m.topic(), token, e));
                }
            });
        } catch (MqttException e) {
            f.completeExceptionally(failure("publish to " + m.topic(), null, e));
        }
        return f;
    }

    /**
     * Subscribes on the current connection; completes on SUBACK, fails when the broker refused
     * (reason code of 0x80 or above). Subscribe again after each {@link MqttSessionListener#connected}.
     */
    public CompletableFuture<Void> subscribe(String filter, int qos) {
        MqttAsyncClient c = client;
        if (connection == null || c == null) {
            return CompletableFuture.failedFuture(new MqttPublishException(MqttPublishException.Kind.NOT_CONNECTED, -1,
                    "not connected; subscription to " + filter + " not sent", null));
        }
        CompletableFuture<Void> f = track(new CompletableFuture<>());
        try {
            // The single-subscription overloads with a null message listener fail inside Paho 1.2.5
            // (IndexOutOfBoundsException): the array form without per-subscription listeners works.
            c.subscribe(new MqttSubscription[] {new MqttSubscription(filter, qos)}, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int rc = firstReasonCode(token);
                    if (rc >= 0x80) {
                        f.completeExceptionally(refused("subscribe to " + filter, rc, token));
                    } else {
                        f.complete(null);
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    f.completeExceptionally(failure("subscribe to " + filter, token, e));
                }
            }, new MqttProperties());
        } catch (MqttException | IllegalArgumentException e) {
            f.completeExceptionally(failure("subscribe to " + filter, null, e));
        }
        return f;
    }

    /**
     * Ends the session: publishes {@code finalMessage} (if not null and connected) and waits up to
     * {@code timeout} for its acknowledgement, then DISCONNECT with reason 0 (normal: the broker discards
     * the Will). No reconnect afterwards. The future completes when the client is closed.
     */
    public CompletableFuture<Void> stop(Message finalMessage, Duration timeout) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            scheduler.execute(() -> stopOnScheduler(finalMessage, timeout, done));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            done.complete(null);
        }
        return done;
    }

    /** {@link #stop} without a final message, waited for; shuts the scheduler down if the session owns it. */
    @Override
    public void close() {
        try {
            stop(null, Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("MQTT session {}: close: {}", settings.clientId(), e.toString());
        }
        if (ownScheduler) {
            scheduler.shutdownNow();
        }
    }

    // ---- scheduler thread ----

    private void connect() {
        pending = null;
        if (state == State.CLOSING || state == State.CLOSED) {
            return;
        }
        state = State.CONNECTING;
        String url = settings.brokerUrls().get(urlIndex).toString();
        ConnectAttempt attempt = new ConnectAttempt(++attempts, url, failures);
        MqttAsyncClient c = null;
        try {
            Message will = listener.willFor(attempt);
            c = new MqttAsyncClient(url, settings.clientId(), new MemoryPersistence());
            MqttAsyncClient self = c;
            c.setCallback(new Callback(self));
            client = c;
            LOG.debug("MQTT session {}: attempt {} to {}", settings.clientId(), attempt.number(), url);
            c.connect(options(will), null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    scheduler.execute(() -> connected(self, attempt, token));
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    scheduler.execute(() -> connectFailed(self, attempt, e));
                }
            });
            // Paho has no deadline for CONNACK itself: a broker that accepts TCP and then says nothing
            // would stall the loop.
            long deadline = settings.connectTimeout().toMillis() + 1_000;
            scheduler.schedule(() -> {
                if (client == self && state == State.CONNECTING) {
                    connectFailed(self, attempt, new TimeoutException("no CONNACK within " + deadline + " ms"));
                }
            }, deadline, TimeUnit.MILLISECONDS);
        } catch (MqttException | RuntimeException e) {
            if (c != null) {
                client = c;
            }
            connectFailed(c, attempt, e);
        }
    }

    private MqttConnectionOptions options(Message will) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setAutomaticReconnect(false);
        o.setCleanStart(settings.cleanStart());
        o.setSessionExpiryInterval(settings.sessionExpirySeconds());
        o.setKeepAliveInterval((int) settings.keepAlive().toSeconds());
        o.setConnectionTimeout((int) Math.max(1, settings.connectTimeout().toSeconds()));
        if (!settings.username().isEmpty()) {
            o.setUserName(settings.username());
        }
        char[] pw = settings.password();
        if (pw != null && pw.length > 0) {
            o.setPassword(new String(pw).getBytes(StandardCharsets.UTF_8));
        }
        if (socketFactory != null) {
            o.setSocketFactory(socketFactory);
            o.setHttpsHostnameVerificationEnabled(true);
        }
        if (will != null) {
            o.setWill(will.topic(), new MqttMessage(will.payload(), will.qos(), will.retain(), null));
        }
        return o;
    }

    private void connected(MqttAsyncClient c, ConnectAttempt attempt, IMqttToken token) {
        if (c != client || state != State.CONNECTING) {
            closeQuietly(c, true);
            return;
        }
        MqttProperties p = token.getResponseProperties();
        long maxPacket = p != null && p.getMaximumPacketSize() != null ? p.getMaximumPacketSize() : Connection.MQTT_MAX_PACKET_SIZE;
        int receiveMax = p != null && p.getReceiveMaximum() != null ? p.getReceiveMaximum() : 65_535;
        int keepAlive = p != null && p.getServerKeepAlive() != null ? p.getServerKeepAlive() : (int) settings.keepAlive().toSeconds();
        Connection conn = new Connection(attempt, token.getSessionPresent(), maxPacket, receiveMax, keepAlive);
        failures = 0;
        state = State.CONNECTED;
        connection = conn;
        lastError = null;
        LOG.info("MQTT session {}: connected to {} (attempt {}, max packet {} bytes, receive maximum {}, keepalive {} s)",
                settings.clientId(), attempt.serverUri(), attempt.number(), maxPacket, receiveMax, keepAlive);
        try {
            listener.connected(conn);
        } catch (RuntimeException e) {
            LOG.error("MQTT session {}: listener failed in connected()", settings.clientId(), e);
        }
    }

    private void connectFailed(MqttAsyncClient c, ConnectAttempt attempt, Throwable e) {
        if (c != client || state != State.CONNECTING) {
            return;
        }
        closeQuietly(c, true);
        client = null;
        failures++;
        int urls = settings.brokerUrls().size();
        urlIndex = (urlIndex + 1) % urls;
        Duration delay = backoff.delay((failures - 1) / urls);
        String why = describe(e);
        lastError = "connect to " + attempt.serverUri() + " failed: " + why;
        LOG.warn("MQTT session {}: {}; next attempt to {} in {} ms", settings.clientId(), lastError,
                settings.brokerUrls().get(urlIndex), delay.toMillis());
        try {
            listener.connectFailed(attempt, new MqttSessionException(lastError, e));
        } catch (RuntimeException ex) {
            LOG.error("MQTT session {}: listener failed in connectFailed()", settings.clientId(), ex);
        }
        state = State.WAITING;
        pending = scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void lost(MqttAsyncClient c, Throwable cause) {
        if (c != client || state != State.CONNECTED) {
            return;
        }
        Connection was = connection;
        connection = null;
        client = null;
        closeQuietly(c, false);
        String why = describe(cause);
        lastError = "connection to " + was.attempt().serverUri() + " lost: " + why;
        MqttSessionException ex = new MqttSessionException(lastError, cause);
        failInFlight(ex);
        Duration delay = backoff.delay(0);
        LOG.warn("MQTT session {}: {}; reconnecting in {} ms", settings.clientId(), lastError, delay.toMillis());
        try {
            listener.connectionLost(ex);
        } catch (RuntimeException e) {
            LOG.error("MQTT session {}: listener failed in connectionLost()", settings.clientId(), e);
        }
        state = State.WAITING;
        pending = scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void stopOnScheduler(Message finalMessage, Duration timeout, CompletableFuture<Void> done) {
        if (state == State.CLOSED || state == State.CLOSING) {
            done.complete(null);
            return;
        }
        State was = state;
        state = State.CLOSING;
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
        MqttAsyncClient c = client;
        if (was != State.CONNECTED || c == null) {
            closeQuietly(c, true);
            finish(done);
            return;
        }
        CompletableFuture<Void> fin = finalMessage == null ? CompletableFuture.completedFuture(null) : publish(finalMessage);
        fin.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> {
            if (e != null) {
                LOG.warn("MQTT session {}: final message {} not acknowledged: {}", settings.clientId(), finalMessage, describe(e));
            }
            scheduler.execute(() -> {
                try {
                    // Reason 0 = normal disconnection: the broker must discard the Will.
                    c.disconnect(timeout.toMillis(), null, null, 0, new MqttProperties()).waitForCompletion(timeout.toMillis());
                } catch (MqttException ex) {
                    LOG.debug("MQTT session {}: DISCONNECT: {}", settings.clientId(), ex.toString());
                }
                closeQuietly(c, true);
                LOG.info("MQTT session {}: disconnected", settings.clientId());
                finish(done);
            });
        });
    }

    private void finish(CompletableFuture<Void> done) {
        client = null;
        connection = null;
        state = State.CLOSED;
        failInFlight(new MqttSessionException("session stopped", null));
        done.complete(null);
    }

    // ---- helpers ----

    private CompletableFuture<Void> track(CompletableFuture<Void> f) {
        inFlight.add(f);
        f.whenComplete((r, e) -> inFlight.remove(f));
        return f;
    }

    private void failInFlight(Throwable cause) {
        for (CompletableFuture<Void> f : List.copyOf(inFlight)) {
            f.completeExceptionally(new MqttPublishException(MqttPublishException.Kind.CONNECTION_LOST, -1,
                    "connection lost before the acknowledgement: " + cause.getMessage(), cause));
        }
    }

    private void closeQuietly(MqttAsyncClient c, boolean force) {
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                c.disconnectForcibly(0, 500, false);
            }
        } catch (MqttException | RuntimeException e) {
            LOG.debug("MQTT session {}: forcible disconnect: {}", settings.clientId(), e.toString());
        }
        try {
            c.close(force);
        } catch (MqttException | RuntimeException e) {
            LOG.debug("MQTT session {}: close: {}", settings.clientId(), e.toString());
        }
    }

    private static int firstReasonCode(IMqttToken token) {
        int[] rc = token == null ? null : token.getReasonCodes();
        return rc == null || rc.length == 0 ? 0 : rc[0];
    }

    private static MqttPublishException refused(String what, int rc, IMqttToken token) {
        String reason = token != null && token.getResponseProperties() != null ? token.getResponseProperties().getReasonString() : null;
        return new MqttPublishException(MqttPublishException.Kind.REFUSED, rc, what + " refused by the broker: reason 0x"
                + Integer.toHexString(rc) + " " + reasonName(rc) + (reason == null ? "" : " (" + reason + ")"), null);
    }

    private MqttPublishException failure(String what, IMqttToken token, Throwable e) {
        if (e instanceof MqttException me && me.getReasonCode() >= 0x80 && me.getReasonCode() <= 0xFF) {
            return refused(what, me.getReasonCode(), token);
        }
        if (connection == null) {
            return new MqttPublishException(MqttPublishException.Kind.CONNECTION_LOST, -1, what + ": " + describe(e), e);
        }
        return new MqttPublishException(MqttPublishException.Kind.CLIENT, -1, what + ": " + describe(e), e);
    }

    /** Wire size of a PUBLISH: fixed header (≤5), topic (2+n), packet id (QoS>0), properties length (1), payload. */
    static long packetSize(Message m) {
        long remaining = 2L + m.topic().getBytes(StandardCharsets.UTF_8).length + (m.qos() > 0 ? 2 : 0) + 1 + m.payload().length;
        int lengthBytes = remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4;
        return 1 + lengthBytes + remaining;
    }

    static String reasonName(int rc) {
        return switch (rc) {
            case 0x80 -> "unspecified error";
            case 0x83 -> "implementation specific error";
            case 0x84 -> "unsupported protocol version";
            case 0x85 -> "client identifier not valid";
            case 0x86 -> "bad user name or password";
            case 0x87 -> "not authorized";
            case 0x88 -> "server unavailable";
            case 0x89 -> "server busy";
            case 0x8A -> "banned";
            case 0x8C -> "bad authentication method";
            case 0x8E -> "session taken over";
            case 0x90 -> "topic name invalid";
            case 0x95 -> "packet too large";
            case 0x97 -> "quota exceeded";
            case 0x99 -> "payload format invalid";
            case 0x9C -> "use another server";
            case 0x9D -> "server moved";
            default -> "";
        };
    }

    /** The cause of a failure in an operator's words, with the underlying message. */
    static String describe(Throwable e) {
        if (e == null) {
            return "unknown cause";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
                return "TLS: the broker's certificate is not trusted (no path to a configured CA): " + t.getMessage();
            }
            if (t instanceof CertificateException && t.getMessage() != null
                    && (t.getMessage().contains("No subject alternative") || t.getMessage().contains("No name matching"))) {
                return "TLS: the broker's certificate does not match the host name: " + t.getMessage();
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLHandshakeException) {
                return "TLS handshake failed (the broker may have refused our client certificate): " + t.getMessage();
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return "TLS failed: " + t.getMessage();
            }
            if (t instanceof java.net.ConnectException) {
                return "no broker listening: " + t.getMessage();
            }
            if (t instanceof MqttException me && me.getReasonCode() >= 0x80 && me.getReasonCode() <= 0xFF) {
                return "refused by the broker: reason 0x" + Integer.toHexString(me.getReasonCode()) + " " + reasonName(me.getReasonCode());
            }
            if (t instanceof TimeoutException) {
                return t.getMessage();
            }
            if (t instanceof MqttException me && me.getReasonCode() == MqttClientException.REASON_CODE_CLIENT_TIMEOUT) {
                return "dead link: no answer from the broker within the keepalive (" + me.getMessage() + ")";
            }
            if (t instanceof MqttException me && me.getReasonCode() == MqttClientException.REASON_CODE_CONNECTION_LOST) {
                return "connection closed by the broker or the network (" + me.getMessage()
                        + (me.getCause() == null ? "" : ": " + me.getCause()) + ")";
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e) : e + " (" + root + ")";
    }

    /** Paho's callbacks, hopped onto the scheduler; calls for a client no longer current are ignored. */
    private final class Callback implements MqttCallback {
        private final MqttAsyncClient c;

        Callback(MqttAsyncClient c) {
            this.c = c;
        }

        @Override
        public void disconnected(MqttDisconnectResponse r) {
            Throwable cause = r.getException() != null ? r.getException()
                    : new MqttSessionException("the broker sent DISCONNECT with reason 0x" + Integer.toHexString(r.getReturnCode())
                            + " " + reasonName(r.getReturnCode()) + (r.getReasonString() == null ? "" : " (" + r.getReasonString() + ")"), null);
            scheduler.execute(() -> lost(c, cause));
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
            LOG.warn("MQTT session {}: protocol error: {}", settings.clientId(), e.toString());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            byte[] payload = message.getPayload();
            scheduler.execute(() -> {
                if (c == client) {
                    try {
                        listener.messageArrived(topic, payload);
                    } catch (RuntimeException e) {
                        LOG.error("MQTT session {}: listener failed on a message for {}", settings.clientId(), topic, e);
                    }
                }
            });
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // Completion is handled per publish by its action listener.
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            // Reported from the connect token's listener, which also carries the CONNACK properties.
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // No enhanced authentication.
        }
    }
}
