package io.cellgate.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedBrokerTest {

    @TempDir
    Path dir;

    private final List<MqttClient> clients = new ArrayList<>();
    private EmbeddedBroker broker;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedBroker.start(0, dir);
    }

    @AfterEach
    void stop() throws Exception {
        for (MqttClient client : clients) {
            try {
                if (client.isConnected()) {
                    client.disconnectForcibly(0, 1000, false);
                }
                client.close(true);
            } catch (MqttException ignored) {
                // the broker is stopped next anyway
            }
        }
        broker.close();
    }

    @Test
    void publish_qos1_subscriberReceivesIt() throws Exception {
        Received sub = new Received();
        MqttClient subscriber = connect("sub", sub, null);
        MqttClient publisher = connect("pub", null, null);
        subscriber.subscribe("spBv1.0/#", 1);
        publisher.publish("spBv1.0/demo/NDATA/node", message("hello", 1, false));

        MqttMessage got = sub.next("spBv1.0/demo/NDATA/node");
        assertThat(got).isNotNull();
        assertThat(new String(got.getPayload(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(got.getQos()).isEqualTo(1);
    }

    @Test
    void retained_laterSubscriber_getsLastRetainedMessage() throws Exception {
        MqttClient publisher = connect("pub", null, null);
        publisher.publish("spBv1.0/STATE/mes", message("online", 1, true));
        publisher.disconnect();
        Received sub = new Received();
        MqttClient subscriber = connect("late", sub, null);
        subscriber.subscribe("spBv1.0/STATE/+", 1);

        MqttMessage got = sub.next("spBv1.0/STATE/mes");
        assertThat(got).isNotNull();
        assertThat(new String(got.getPayload(), StandardCharsets.UTF_8)).isEqualTo("online");
        assertThat(got.isRetained()).isTrue();
    }

    @Test
    void will_clientDiesWithoutDisconnect_willIsDelivered() throws Exception {
        Received sub = new Received();
        MqttClient subscriber = connect("watcher", sub, null);
        subscriber.subscribe("spBv1.0/demo/NDEATH/#", 1);
        MqttClient dying = connect("dying", null, "spBv1.0/demo/NDEATH/node");
        // No DISCONNECT packet: the broker must see the connection drop and publish the Will.
        dying.disconnectForcibly(0, 1, false);

        MqttMessage got = sub.next("spBv1.0/demo/NDEATH/node");
        assertThat(got).isNotNull();
        assertThat(new String(got.getPayload(), StandardCharsets.UTF_8)).isEqualTo("dead");
    }

    @Test
    void start_portInUse_failsWithPortInMessage() {
        assertThatThrownBy(() -> EmbeddedBroker.start(broker.port(), dir.resolve("second")))
                .hasMessageContaining(String.valueOf(broker.port()));
    }

    private MqttClient connect(String id, Received received, String willTopic) throws MqttException {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + broker.port(), id, new MemoryPersistence());
        clients.add(client);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setConnectionTimeout(5);
        if (willTopic != null) {
            options.setWill(willTopic, message("dead", 1, false));
        }
        if (received != null) {
            client.setCallback(received);
        }
        client.connect(options);
        return client;
    }

    private static MqttMessage message(String text, int qos, boolean retained) {
        MqttMessage m = new MqttMessage(text.getBytes(StandardCharsets.UTF_8));
        m.setQos(qos);
        m.setRetained(retained);
        return m;
    }

    private static final class Received implements MqttCallback {
        private final BlockingQueue<Object[]> queue = new LinkedBlockingQueue<>();

        MqttMessage next(String topic) throws InterruptedException {
            Object[] entry = queue.poll(10, TimeUnit.SECONDS);
            if (entry == null) {
                return null;
            }
            assertThat(entry[0]).isEqualTo(topic);
            return (MqttMessage) entry[1];
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            queue.add(new Object[] {topic, message});
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
}
