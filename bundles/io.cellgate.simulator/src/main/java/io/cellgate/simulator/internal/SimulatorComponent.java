package io.cellgate.simulator.internal;

import io.cellgate.api.config.ConfigKeys;
import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.ProfileRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated Modbus TCP device per factory configuration of {@code cellgate.simulator}: a
 * {@link ModbusTcpServer} serving, for each configured unit id, a {@link ProfileSimulation} of the
 * configured profile. The server binds asynchronously (a busy port is an ERROR in the log, not an
 * activation failure); values move on a scheduler the component owns. Both stop in {@link #deactivate()}.
 */
@Component(configurationPid = ConfigKeys.SIMULATOR_FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = SimulatorConfig.class, factory = true)
public final class SimulatorComponent {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorComponent.class);

    private final ModbusTcpServer server;
    private final Map<Integer, ProfileSimulation> simulations = new LinkedHashMap<>();
    private final ScheduledExecutorService executor;
    private final CompletableFuture<Integer> started = new CompletableFuture<>();
    private final String where;
    private final int configuredPort;

    @Activate
    public SimulatorComponent(@Reference(policyOption = ReferencePolicyOption.GREEDY) ProfileRegistry profiles,
            SimulatorConfig config) {
        configuredPort = config.port();
        where = "simulator " + config.bind_address() + ":" + config.port() + " (profile " + config.profile() + ")";
        try {
            validate(config);
        } catch (IllegalArgumentException e) {
            LOG.error("Simulator not started: {}", e.getMessage());
            throw e;
        }
        DeviceProfile profile = profiles.profile(config.profile()).orElseThrow(() -> {
            List<String> known = new ArrayList<>();
            profiles.profiles().forEach(p -> known.add(p.id()));
            String message = where + ": profile '" + config.profile() + "' is not in the profile registry (known: "
                    + known + ")";
            LOG.error("Simulator not started: {}", message);
            return new IllegalStateException(message);
        });
        server = new ModbusTcpServer(config.bind_address(), config.port(), config.unknown_unit(),
                config.max_connections(), ModbusTcpServer.DEFAULT_IDLE_TIMEOUT_MILLIS);
        long seed = config.seed() != 0 ? config.seed() : System.nanoTime();
        for (int unitId : config.unit_ids()) {
            simulations.put(unitId, new ProfileSimulation(profile, server.unit(unitId), seed * 257 + unitId));
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cellgate-simulator-" + config.port());
            t.setDaemon(true);
            return t;
        });
        executor.execute(this::startServer);
        long interval = config.update_interval_ms();
        executor.scheduleAtFixedRate(this::tick, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
        server.close();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.warn("{}: value updates did not stop within 2 s", where);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        started.cancel(false);
        LOG.info("{}: stopped", where);
    }

    /** Completes with the bound port once listening, or exceptionally when the bind failed. */
    CompletableFuture<Integer> started() {
        return started;
    }

    ModbusTcpServer server() {
        return server;
    }

    ProfileSimulation simulation(int unitId) {
        return simulations.get(unitId);
    }

    private void startServer() {
        try {
            server.start();
            LOG.info("Simulator listening on {}:{}, profile {}, unit ids {}", server.bindAddress(), server.port(),
                    simulations.values().iterator().next().profile().id(), simulations.keySet());
            started.complete(server.port());
        } catch (IllegalStateException e) {
            // Deactivated before the server could start: nothing to report.
            started.completeExceptionally(e);
        } catch (IOException | RuntimeException e) {
            // The message names address and port ("cannot listen on 127.0.0.1:5020: Address already in use").
            LOG.error("{}: not serving, port {} unavailable: {}", where, configuredPort, e.getMessage());
            started.completeExceptionally(e);
        }
    }

    private void tick() {
        try {
            for (ProfileSimulation simulation : simulations.values()) {
                simulation.tick();
            }
        } catch (RuntimeException e) {
            // An exception would cancel the periodic task for good; log and keep going.
            LOG.error("{}: value update failed", where, e);
        }
    }

    private static void validate(SimulatorConfig config) {
        String pid = ConfigKeys.SIMULATOR_FACTORY_PID;
        if (config.profile() == null || config.profile().isBlank()) {
            throw new IllegalArgumentException(pid + ": property 'profile' is required");
        }
        if (config.port() < 0 || config.port() > 65535) {
            throw new IllegalArgumentException(pid + ": port " + config.port() + " is outside 0..65535");
        }
        int[] ids = config.unit_ids();
        if (ids == null || ids.length == 0) {
            throw new IllegalArgumentException(pid + ": property 'unit.ids' needs at least one unit id");
        }
        if (Arrays.stream(ids).distinct().count() != ids.length) {
            throw new IllegalArgumentException(pid + ": unit.ids " + Arrays.toString(ids) + " contains duplicates");
        }
        for (int id : ids) {
            if (id < 0 || id > 255) {
                throw new IllegalArgumentException(pid + ": unit id " + id + " is outside 0..255");
            }
        }
        if (config.update_interval_ms() < 10) {
            throw new IllegalArgumentException(pid + ": update.interval.ms " + config.update_interval_ms()
                    + " is below 10");
        }
        if (config.max_connections() < 1) {
            throw new IllegalArgumentException(pid + ": max.connections " + config.max_connections()
                    + " must be at least 1");
        }
    }
}
