package io.cellgate.itest;

import io.cellgate.mqtt.testing.TestCertificates;
import io.cellgate.mqtt.testing.TestCertificates.Issued;
import io.cellgate.sparkplug.proto.SparkplugB.Payload;
import io.cellgate.sparkplug.proto.SparkplugB.Payload.Metric;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The in-framework tests' Sparkplug host application (the MES): a Paho v5 client with a certificate of the test CA
 * (user {@code host} of the broker's ACL), subscribed to the whole group, keeping every message in arrival order.
 * {@link #connect()} again after {@link #close()} reconnects (after a broker restart).
 */
final class SparkplugHost implements MqttCallback {

    /** One Sparkplug message as the host application received it. */
    record Received(String topic, String type, Payload payload) {
    }

    private final Issued ca;
    private final Supplier<String> brokerUrl;
    private final String clientId;
    private final String group;
    private final Duration wait;
    private final Supplier<String> diagnostics;
    private final Issued certificate;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    /** Node metric names by alias, from the latest NBIRTH: NDATA carries aliases only. */
    private final Map<Long, String> aliases = new ConcurrentHashMap<>();
    private boolean persistentSession;
    private boolean namingAliases;
    private MqttClient client;

    /**
     * @param diagnostics what a failed wait adds to its message (e.g. the node's last log lines)
     */
    SparkplugHost(Issued ca, Supplier<String> brokerUrl, String clientId, String group, Duration wait,
            Supplier<String> diagnostics) {
        this.ca = ca;
        this.brokerUrl = brokerUrl;
        this.clientId = clientId;
        this.group = group;
        this.wait = wait;
        this.diagnostics = diagnostics;
        this.certificate = TestCertificates.client(ca, "host");
    }

    /**
     * A persistent session (the broker persists it across its restart): what the node publishes between the broker's
     * start and the host's reconnect is queued for the host instead of lost.
     */
    SparkplugHost persistentSession() {
        persistentSession = true;
        return this;
    }

    /** Gives NDATA's alias-only node metrics their names from the latest NBIRTH (the alias stays). */
    SparkplugHost namingAliases() {
        namingAliases = true;
        return this;
    }

    void connect() throws Exception {
        client = new MqttClient(brokerUrl.get(), clientId, new MemoryPersistence());
        client.setCallback(this);
        MqttConnectionOptions options = new MqttConnectionOptions();
        if (persistentSession) {
            options.setCleanStart(false);
            options.setSessionExpiryInterval(3600L);
        }
        options.setConnectionTimeout(5);
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(anchors);
        SSLContext tls = SSLContext.getInstance("TLSv1.3");
        tls.init(certificate.keyManagers(), tmf.getTrustManagers(), null);
        options.setSocketFactory(tls.getSocketFactory());
        client.connect(options);
        client.subscribe("spBv1.0/" + group + "/#", 1);
    }

    /** A DCMD to {@code device} of edge node {@code node} writing {@code value} to {@code metric}. */
    void command(String node, String device, String metric, int datatype, int value) throws MqttException {
        Payload p = Payload.newBuilder().setTimestamp(System.currentTimeMillis()).addMetrics(Metric.newBuilder()
                .setName(metric).setDatatype(datatype).setTimestamp(System.currentTimeMillis()).setIntValue(value))
                .build();
        MqttMessage m = new MqttMessage(p.toByteArray());
        m.setQos(0);
        client.publish("spBv1.0/" + group + "/DCMD/" + node + "/" + device, m);
    }

    List<Received> received() {
        return received;
    }

    /** The metric of a payload by its name (a birth's; data messages name metrics only by alias here). */
    static Metric metric(Payload p, String name) {
        return p.getMetricsList().stream().filter(m -> name.equals(m.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name + " in " + p));
    }

    /** The newest message matching, waiting for one. */
    Received await(String what, Predicate<Received> matching) throws InterruptedException {
        return await(what, wait, matching);
    }

    /** The newest message matching, waiting up to {@code bound} for one. */
    Received await(String what, Duration bound, Predicate<Received> matching) throws InterruptedException {
        return received.get(indexOf(0, what, bound, matching));
    }

    /** The index of the newest message at {@code from} or later that matches, waiting for one. */
    int indexOf(int from, String what, Predicate<Received> matching) throws InterruptedException {
        return indexOf(from, what, wait, matching);
    }

    private int indexOf(int from, String what, Duration bound, Predicate<Received> matching)
            throws InterruptedException {
        long end = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < end) {
            for (int i = received.size() - 1; i >= from; i--) {
                if (matching.test(received.get(i))) {
                    return i;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError(what + ": not received within " + bound + "; received " + received.stream()
                .map(Received::topic).toList() + diagnostics.get());
    }

    void close() throws MqttException {
        if (client != null && client.isConnected()) {
            client.disconnect(1000);
        }
        if (client != null) {
            client.close(true);
        }
        client = null;
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) throws Exception {
        String[] levels = topic.split("/");
        if (levels.length < 4 || levels[1].equals("STATE")) {
            return;
        }
        Payload p = Payload.parseFrom(message.getPayload());
        if (namingAliases && levels[2].equals("NBIRTH")) {
            aliases.clear();
            p.getMetricsList().stream().filter(Metric::hasAlias).forEach(m -> aliases.put(m.getAlias(), m.getName()));
        } else if (namingAliases && levels[2].equals("NDATA")) {
            Payload.Builder named = p.toBuilder().clearMetrics();
            for (Metric m : p.getMetricsList()) {
                named.addMetrics(m.hasName() || !aliases.containsKey(m.getAlias()) ? m
                        : m.toBuilder().setName(aliases.get(m.getAlias())).build());
            }
            p = named.build();
        }
        received.add(new Received(topic, levels[2], p));
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }
}
