package io.cellgate.simulator.internal;

import io.cellgate.api.config.ConfigKeys;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One simulated Modbus TCP device. Property keys (DS maps {@code _} to {@code .}): {@code bind.address},
 * {@code port}, {@code unit.ids}, {@code profile}, {@code update.interval.ms}, {@code seed},
 * {@code unknown.unit}, {@code max.connections}.
 */
@ObjectClassDefinition(id = ConfigKeys.SIMULATOR_FACTORY_PID, name = "CellGate Modbus TCP simulator",
        description = "A Modbus TCP server that serves a device profile with moving values (demo and tests).")
@interface SimulatorConfig {

    @AttributeDefinition(name = "Bind address",
            description = "Local address to listen on. Loopback by default; the simulator has no access control.")
    String bind_address() default "127.0.0.1";

    @AttributeDefinition(name = "Port", description = "TCP port (0 = ephemeral, logged at start).", min = "0",
            max = "65535")
    int port() default 5020;

    @AttributeDefinition(name = "Unit ids", description = "Modbus unit ids served, each with its own copy of the profile.",
            min = "0", max = "255")
    int[] unit_ids() default {1};

    @AttributeDefinition(name = "Profile", description = "Id of the device profile to simulate (from the profile registry).")
    String profile();

    @AttributeDefinition(name = "Update interval (ms)", description = "How often values move.", min = "10")
    long update_interval_ms() default 500;

    @AttributeDefinition(name = "Seed",
            description = "Random seed; the same seed gives the same values. 0 = a different sequence every start.")
    long seed() default 0;

    @AttributeDefinition(name = "Unknown unit ids",
            description = "EXCEPTION answers exception 0x0B (gateway target failed to respond); "
                    + "IGNORE drops the request like pymodbus and the client times out.")
    ModbusTcpServer.UnknownUnit unknown_unit() default ModbusTcpServer.UnknownUnit.EXCEPTION;

    @AttributeDefinition(name = "Maximum connections", min = "1")
    int max_connections() default ModbusTcpServer.DEFAULT_MAX_CONNECTIONS;
}
