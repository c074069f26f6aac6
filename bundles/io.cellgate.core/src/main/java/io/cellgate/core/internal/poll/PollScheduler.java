package io.cellgate.core.internal.poll;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that poll all devices; shared, never one per device.
 *
 * <p>Two parts: one timer thread that only fires ticks (a tick enqueues work and never blocks), and a
 * worker pool that runs the polls. Each device submits through its own {@link SerialExecutor}, so a device
 * occupies at most one worker at a time. The pool keeps {@code core} threads and grows on demand up to
 * {@code max} (idle extra threads end after 60 s): while fewer than {@code max} devices are mid-poll at
 * once, every device gets a thread at once, so N silent devices (each holding one thread for at most its
 * timeout budget) cannot delay healthy ones. Beyond {@code max} busy devices, a device's tick is refused
 * and retried on its next tick (counted as an overrun).
 */
@Component(service = PollScheduler.class, configurationPid = PollScheduler.PID)
@Designate(ocd = Config.class)
public final class PollScheduler implements AutoCloseable {

    public static final String PID = "cellgate.poller";

    private static final Logger LOG = LoggerFactory.getLogger(PollScheduler.class);

    private final ScheduledExecutorService timer;
    private final ThreadPoolExecutor workers;

    @Activate
    public PollScheduler(Config config) {
        this(config.core_threads(), config.max_threads());
    }

    /**
     * @param coreThreads threads kept alive, 0 for max(4, 2 x cores)
     * @param maxThreads  upper bound of threads (at least the core size)
     */
    public PollScheduler(int coreThreads, int maxThreads) {
        int core = coreThreads > 0 ? coreThreads : Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        int max = Math.max(core, maxThreads);
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("cellgate-poll-timer"));
        // SynchronousQueue: hand each device's queue straight to a thread (new or idle) instead of
        // queueing it behind busy devices; that is what keeps silent devices from delaying others.
        this.workers = new ThreadPoolExecutor(core, max, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemon("cellgate-poll-"));
        LOG.info("Poll scheduler started: {} core threads, up to {}", core, max);
    }

    /** Calls {@code tick} every {@code periodMillis}, first right away. The tick must not block. */
    public ScheduledFuture<?> schedule(Runnable tick, long periodMillis) {
        return timer.scheduleAtFixedRate(() -> {
            try {
                tick.run();
            } catch (RuntimeException e) {
                // an exception would silently end the periodic task: log and keep ticking
                LOG.error("Poll tick failed", e);
            }
        }, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** A serial lane on the shared pool for one device. */
    public SerialExecutor newSerialExecutor(String name) {
        return new SerialExecutor(this::submit, name);
    }

    private void submit(Runnable task) {
        if (workers.isShutdown()) {
            throw new RejectedExecutionException("poll scheduler is shut down");
        }
        workers.execute(task);
    }

    /** Worker threads alive now (diagnostics, tests). */
    public int threadCount() {
        return workers.getPoolSize();
    }

    @Deactivate
    @Override
    public void close() {
        timer.shutdownNow();
        workers.shutdownNow(); // interrupts polls still blocked on a device
        LOG.info("Poll scheduler stopped");
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix.endsWith("-") ? prefix + n.incrementAndGet() : prefix);
            t.setDaemon(true);
            return t;
        };
    }
}
