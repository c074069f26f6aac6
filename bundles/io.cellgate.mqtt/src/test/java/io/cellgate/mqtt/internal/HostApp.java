package io.cellgate.mqtt.internal;

import io.cellgate.sparkplug.proto.SparkplugB.Payload;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A test "host application": records what arrives under its subscriptions, decoding Sparkplug payloads. */
final class HostApp implements MqttSessionListener {

    record Received(String topic, byte[] raw, Payload payload) {
        String type() {
            String[] parts = topic.split("/");
            return parts.length > 2 ? parts[2] : "";
        }
    }

    final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<Connection> connected = new LinkedBlockingQueue<>();
    volatile MqttSession session;
    private final String[] filters;

    HostApp(String... filters) {
        this.filters = filters;
    }

    @Override
    public Message willFor(ConnectAttempt attempt) {
        return null;
    }

    @Override
    public void connected(Connection connection) {
        for (String f : filters) {
            session.subscribe(f, 1).join();
        }
        connected.add(connection);
    }

    @Override
    public void connectionLost(Throwable cause) {
    }

    @Override
    public void messageArrived(String topic, byte[] payload) {
        Payload p = null;
        if (topic.startsWith("spBv1.0/") && !topic.startsWith("spBv1.0/STATE")) {
            try {
                p = Payload.parseFrom(payload);
            } catch (Exception e) {
                p = null;
            }
        }
        messages.add(new Received(topic, payload, p));
    }

    /** The next message matching, skipping others; fails after {@code seconds}. */
    Received await(Predicate<Received> p, int seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            Received r = left <= 0 ? null : messages.poll(left, TimeUnit.NANOSECONDS);
            if (r == null) {
                throw new AssertionError("no " + what + " within " + seconds + " s");
            }
            if (p.test(r)) {
                return r;
            }
        }
    }

    Received await(String type, int seconds) throws InterruptedException {
        return await(r -> r.type().equals(type), seconds, type);
    }
}
