package io.cellgate.mqtt.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Records a session's events; the Will per attempt comes from a function of the attempt. */
final class RecordingListener implements MqttSessionListener {

    final BlockingQueue<Connection> connected = new LinkedBlockingQueue<>();
    final BlockingQueue<Throwable> failed = new LinkedBlockingQueue<>();
    final BlockingQueue<Throwable> lost = new LinkedBlockingQueue<>();
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final List<ConnectAttempt> willsAsked = new CopyOnWriteArrayList<>();
    private final Function<ConnectAttempt, Message> wills;
    private final List<String> subscriptions;
    volatile MqttSession session;

    RecordingListener(Function<ConnectAttempt, Message> wills, String... subscriptions) {
        this.wills = wills;
        this.subscriptions = List.of(subscriptions);
    }

    @Override
    public Message willFor(ConnectAttempt attempt) {
        willsAsked.add(attempt);
        return wills.apply(attempt);
    }

    @Override
    public void connected(Connection connection) {
        for (String filter : subscriptions) {
            session.subscribe(filter, 1).join();
        }
        connected.add(connection);
    }

    @Override
    public void connectFailed(ConnectAttempt attempt, Throwable cause) {
        failed.add(cause);
    }

    @Override
    public void connectionLost(Throwable cause) {
        lost.add(cause);
    }

    @Override
    public void messageArrived(String topic, byte[] payload) {
        messages.add(topic + "=" + new String(payload, StandardCharsets.UTF_8));
    }

    static <T> T next(BlockingQueue<T> q, int seconds, String what) throws InterruptedException {
        T t = q.poll(seconds, TimeUnit.SECONDS);
        if (t == null) {
            throw new AssertionError("no " + what + " within " + seconds + " s");
        }
        return t;
    }
}
