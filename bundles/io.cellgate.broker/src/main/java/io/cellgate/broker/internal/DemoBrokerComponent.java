package io.cellgate.broker.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's MQTT 5 broker on 127.0.0.1, so that the demo's Sparkplug edge node has somewhere to publish
 * and {@code mosquitto_sub} something to watch. Active only with the {@value #PID} configuration, which
 * only {@code --demo} writes. Starts on its own thread: a slow or failing broker never holds up the
 * activation of the rest of the gateway.
 */
@Component(configurationPid = DemoBrokerComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true)
@Designate(ocd = BrokerConfig.class)
public final class DemoBrokerComponent {

    static final String PID = "cellgate.broker";

    private static final Logger LOG = LoggerFactory.getLogger(DemoBrokerComponent.class);

    private final ExecutorService starter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cellgate-broker-start");
        t.setDaemon(true);
        return t;
    });
    private final CompletableFuture<EmbeddedBroker> broker;

    @Activate
    public DemoBrokerComponent(BrokerConfig config) {
        int port = config.port();
        String workDir = config.work_dir();
        broker = CompletableFuture.supplyAsync(() -> start(port, workDir), starter);
    }

    private static EmbeddedBroker start(int port, String workDir) {
        // Artemis loads some of its classes through the context class loader; under OSGi it must be this
        // bundle's, which holds all of Artemis.
        Thread.currentThread().setContextClassLoader(DemoBrokerComponent.class.getClassLoader());
        try {
            Path dir = workDir.isBlank() ? Files.createTempDirectory("cellgate-broker") : Path.of(workDir);
            Files.createDirectories(dir);
            EmbeddedBroker b = EmbeddedBroker.start(port, dir);
            LOG.info("demo MQTT 5 broker (Apache ActiveMQ Artemis) listening on tcp://127.0.0.1:{}, loopback only",
                    b.port());
            return b;
        } catch (Exception e) {
            LOG.error("demo MQTT broker not started on 127.0.0.1:{}: {} (is the port in use? stop the other "
                    + "broker there; the rest of the demo runs on, its edge node keeps retrying)", port, e.toString());
            return null;
        } catch (LinkageError e) {
            // A class Artemis needs is missing from the bundle: a packaging defect, logged with its stack.
            LOG.error("demo MQTT broker not started: Artemis is missing a class", e);
            return null;
        }
    }

    @Deactivate
    void deactivate() {
        // Wait for a start still under way, so that no broker outlives its component.
        broker.thenAccept(b -> {
            if (b != null) {
                try {
                    b.close();
                    LOG.info("demo MQTT broker stopped");
                } catch (Exception e) {
                    LOG.warn("demo MQTT broker did not stop cleanly: {}", e.toString());
                }
            }
        }).join();
        starter.shutdown();
    }
}
