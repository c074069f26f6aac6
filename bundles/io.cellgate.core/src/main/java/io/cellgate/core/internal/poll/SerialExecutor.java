package io.cellgate.core.internal.poll;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one device's tasks one after the other on the shared worker pool: at most one task of the
 * device is in flight, so a device occupies at most one pool thread however slow it is.
 */
public final class SerialExecutor implements Executor {

    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor pool;
    private final String name;
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean active = new AtomicBoolean();
    private final AtomicLong rejections = new AtomicLong();

    SerialExecutor(Executor pool, String name) {
        this.pool = pool;
        this.name = name;
    }

    /** Queues a task behind the device's other tasks. */
    @Override
    public void execute(Runnable task) {
        queue.add(task);
        kick();
    }

    /**
     * Queues a task, or takes it back when the pool refuses to run the queue (pool shut down or at its
     * thread limit); the caller then runs it itself.
     *
     * @return false when the task was taken back
     */
    public boolean tryExecute(Runnable task) {
        queue.add(task);
        if (kick()) {
            return true;
        }
        return !queue.remove(task);
    }

    /**
     * Makes sure queued tasks are being worked on; called on every tick so that a queue left behind by
     * a refused submission is picked up again.
     *
     * @return false when the pool refused to take the queue
     */
    public boolean kick() {
        while (!queue.isEmpty() && active.compareAndSet(false, true)) {
            try {
                pool.execute(this::drain);
                return true;
            } catch (RejectedExecutionException e) {
                active.set(false);
                long n = rejections.incrementAndGet();
                if (n == 1 || n % 100 == 0) {
                    LOG.warn("Worker pool refused the tasks of {} ({} times): pool shut down or all threads busy",
                            name, n);
                }
                return false;
            }
        }
        return true;
    }

    /** Times the pool refused this device's queue. */
    public long rejections() {
        return rejections.get();
    }

    private void drain() {
        try {
            Runnable task;
            while ((task = queue.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("Task of {} failed", name, e);
                }
            }
        } finally {
            active.set(false);
        }
        kick(); // a task queued between the last poll() and set(false) would otherwise wait for the next tick
    }
}
