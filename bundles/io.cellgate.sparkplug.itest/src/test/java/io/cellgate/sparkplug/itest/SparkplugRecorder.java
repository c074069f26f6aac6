package io.cellgate.sparkplug.itest;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

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

import com.google.protobuf.InvalidProtocolBufferException;

import io.cellgate.mqtt.testing.TestCertificates;
import io.cellgate.sparkplug.proto.SparkplugB.Payload;

/**
 * The MES side: a Paho v5 subscriber to {@code spBv1.0/#} at QoS 1 with a persistent session (Clean Start false,
 * session expiry 1 h). With mosquitto's persistence on, the broker keeps the session and queues what the gateway
 * publishes while this client is not yet reconnected after a broker restart, so nothing the gateway publishes
 * early in its new session is missed. Messages are kept in arrival order.
 */
final class SparkplugRecorder implements AutoCloseable {

    /** One received message: its arrival index and wall-clock time, topic, and decoded payload (null for STATE). */
    record Received(int index, long arrivedMillis, String topic, Payload payload) {

        String type() {
            String[] levels = topic.split("/");
            return levels.length > 2 ? levels[2] : "";
        }
    }

    private final MqttClient client;
    private final MqttConnectionOptions options;
    private final List<Received> received = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();

    SparkplugRecorder(String url, TestCertificates.Issued ca, TestCertificates.Issued clientCert) throws MqttException {
        client = new MqttClient(url, "killtest-mes", new MemoryPersistence());
        options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(3600L);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(10);
        options.setSocketFactory(sslContext(ca, clientCert).getSocketFactory());
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                record(topic, message.getPayload());
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
                // expected when the broker stops; the test reconnects explicitly
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
                synchronized (errors) {
                    errors.add(String.valueOf(exception));
                }
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
        });
    }

    /** First connect: subscribes. */
    void connectAndSubscribe() throws MqttException {
        client.connect(options);
        client.subscribe("spBv1.0/#", 1);
    }

    /**
     * Connects again after a broker restart and returns whether the broker still had the session (subscription and
     * queued messages); without it, messages published before this call would be lost to the test.
     */
    boolean reconnect() throws MqttException, InterruptedException {
        if (client.isConnected()) {
            return true;
        }
        // A broker that was just started may accept TCP and drop the first connection while it restores its
        // persistence: retry for a bounded time, as any MES client would.
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try {
                IMqttToken token = client.connectWithResult(options);
                return token.getSessionPresent();
            } catch (MqttException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    private void record(String topic, byte[] bytes) {
        Payload payload = null;
        if (!topic.startsWith("spBv1.0/STATE/")) {
            try {
                payload = Payload.parseFrom(bytes);
            } catch (InvalidProtocolBufferException e) {
                synchronized (errors) {
                    errors.add("undecodable payload on " + topic + ": " + e.getMessage());
                }
                return;
            }
        }
        synchronized (received) {
            received.add(new Received(received.size(), System.currentTimeMillis(), topic, payload));
            received.notifyAll();
        }
    }

    /** A copy of everything received so far, in arrival order. */
    List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    /** Waits (at most {@code seconds}) until everything received satisfies {@code condition}; returns whether it did. */
    boolean await(Predicate<List<Received>> condition, long seconds) throws InterruptedException {
        long deadline = System.currentTimeMillis() + seconds * 1000;
        synchronized (received) {
            while (!condition.test(List.copyOf(received))) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return false;
                }
                received.wait(Math.min(left, 200));
            }
            return true;
        }
    }

    private static SSLContext sslContext(TestCertificates.Issued ca, TestCertificates.Issued clientCert) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            X509Certificate caCert = ca.certificate();
            trust.setCertificateEntry("ca", caCert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(clientCert.keyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        } catch (MqttException e) {
            // test teardown
        }
    }
}
