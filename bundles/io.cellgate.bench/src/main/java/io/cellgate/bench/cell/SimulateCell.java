package io.cellgate.bench.cell;

import io.cellgate.api.config.CellConfig;
import io.cellgate.api.config.DeviceConfig;
import io.cellgate.api.config.Endpoint;
import io.cellgate.bench.plan.PlanReport;
import io.cellgate.simulator.internal.ModbusTcpServer;
import io.cellgate.simulator.internal.ProfileSimulation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Serves every Modbus TCP device of a configuration directory from this JVM with the project's simulator
 * (one {@link ModbusTcpServer} per device endpoint, one {@link ProfileSimulation} per unit, values moving
 * every second), so that a gateway started on the same directory finds live devices. Outside OSGi: the
 * simulator's classes are used directly. Prints {@code ready} once every server listens, then a status
 * line every 10 s; runs until killed.
 */
public final class SimulateCell implements AutoCloseable {

    private final List<ModbusTcpServer> servers = new ArrayList<>();
    private final List<ProfileSimulation> simulations = new ArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "simulate-cell-tick");
        t.setDaemon(true);
        return t;
    });

    /** Starts a server for each enabled Modbus TCP device of {@code cell}; values move every second. */
    public SimulateCell(CellConfig cell) throws IOException {
        this(cell, 1000);
    }

    /** Starts a server for each enabled Modbus TCP device of {@code cell}; values move every {@code tickMillis}. */
    public SimulateCell(CellConfig cell, long tickMillis) throws IOException {
        try {
            int index = 0;
            for (DeviceConfig device : cell.devices()) {
                Endpoint e = device.endpoint();
                if (!device.enabled() || !Endpoint.MODBUS_TCP.equals(e.protocol())) {
                    continue;
                }
                ModbusTcpServer server = new ModbusTcpServer(e.host(), e.port());
                simulations.add(new ProfileSimulation(cell.profiles().get(device.profile()),
                        server.unit(device.unitId()), index++));
                server.start();
                servers.add(server);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        ticker.scheduleAtFixedRate(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        for (ProfileSimulation s : simulations) {
            s.tick();
        }
    }

    public int serverCount() {
        return servers.size();
    }

    /** Servers that have at least one client connection right now. */
    public int connectedCount() {
        return (int) servers.stream().filter(s -> s.connectionCount() > 0).count();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        servers.forEach(ModbusTcpServer::close);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: SimulateCell CONFIG_DIR   (serves the cell's Modbus TCP devices until killed)");
            System.exit(2);
        }
        CellConfig cell = PlanReport.load(Path.of(args[0]));
        SimulateCell sim = new SimulateCell(cell);
        Runtime.getRuntime().addShutdownHook(new Thread(sim::close, "simulate-cell-stop"));
        System.out.println("ready: " + sim.serverCount() + " simulated devices");
        System.out.flush();
        while (true) {
            Thread.sleep(10_000);
            System.out.println("status: " + sim.serverCount() + " listening, " + sim.connectedCount()
                    + " with a client connection");
            System.out.flush();
        }
    }
}
