package io.cellgate.runtime.internal;

import java.time.Duration;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the framework when the JVM is asked to end (SIGTERM from systemd, Ctrl-C). The bnd launcher installs
 * no such hook, so without it the JVM would exit with every component still active: no @Deactivate, no
 * Sparkplug NDEATH before DISCONNECT, no clean close of the outbox and the OPC UA server.
 */
final class GracefulShutdown {

    private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);

    private final Thread hook;

    GracefulShutdown(Bundle systemBundle, Duration timeout) {
        this.hook = new Thread(() -> stop(systemBundle, timeout), "cellgate-shutdown");
    }

    void install() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** When the framework stops for another reason (a command ended, an admin stopped it). */
    void remove() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: this hook is the one running
        }
    }

    static void stop(Bundle systemBundle, Duration timeout) {
        LOG.info("shutdown requested: stopping the gateway (at most {} s)", timeout.toSeconds());
        try {
            systemBundle.stop();
            if (systemBundle instanceof Framework framework) {
                int type = framework.waitForStop(timeout.toMillis()).getType();
                if (type == org.osgi.framework.FrameworkEvent.WAIT_TIMEDOUT) {
                    LOG.warn("the gateway did not stop within {} s; the JVM exits anyway", timeout.toSeconds());
                }
            }
        } catch (BundleException | IllegalStateException e) {
            LOG.warn("stopping the framework failed: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
