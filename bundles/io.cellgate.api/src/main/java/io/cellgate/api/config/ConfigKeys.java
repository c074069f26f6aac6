package io.cellgate.api.config;

/**
 * The ConfigAdmin contract between the configuration loader (which writes these configurations from
 * the YAML files) and the components that consume them. One place for every PID and property key.
 */
public final class ConfigKeys {

    /** Singleton PID: where the loader reads the cell from. */
    public static final String LOADER_PID = "cellgate.config";
    /** Property of {@link #LOADER_PID}: the configuration directory (holds cell.yaml and profiles/). */
    public static final String LOADER_DIRECTORY = "directory";

    /**
     * Singleton PID written by the runtime from the command line ({@code --state}): the directories of the running
     * gateway, for every bundle that keeps state. Absent in command mode, so that nothing starts from it.
     */
    public static final String RUNTIME_PID = "cellgate.runtime";
    /** Property of {@link #RUNTIME_PID}: the state directory (absolute path). */
    public static final String STATE_DIR = "state.dir";

    /** Singleton PID: the cell's identity. */
    public static final String CELL_PID = "cellgate.cell";
    public static final String CELL_ID = "cell.id";
    public static final String CELL_NAME = "cell.name";
    /** SHA-256 over the applied configuration files. */
    public static final String CONFIG_HASH = "config.hash";

    /** Factory PID: one configuration per device. */
    public static final String DEVICE_FACTORY_PID = "cellgate.device";
    public static final String DEVICE_ID = "device.id";
    public static final String DEVICE_NAME = "device.name";
    public static final String PROFILE = "profile";
    /** SHA-256 of the profile's content, so that a profile edit modifies the device configuration. */
    public static final String PROFILE_HASH = "profile.hash";
    public static final String ENABLED = "enabled";
    public static final String PROTOCOL = "protocol";
    public static final String HOST = "host";
    public static final String PORT = "port";
    public static final String SERIAL_PORT = "serial.port";
    public static final String SERIAL_BAUD_RATE = "serial.baudRate";
    public static final String SERIAL_PARITY = "serial.parity";
    public static final String SERIAL_DATA_BITS = "serial.dataBits";
    public static final String SERIAL_STOP_BITS = "serial.stopBits";
    public static final String UNIT_ID = "unit.id";
    /** String[] of {@code name=millis}. */
    public static final String POLL_GROUPS = "poll.groups";
    public static final String TIMEOUT_MS = "timeout.ms";
    public static final String RETRIES = "retries";
    public static final String MIN_GAP_MS = "min.gap.ms";
    public static final String MAX_OUTSTANDING = "max.outstanding";
    public static final String MAX_GAP = "max.gap";
    public static final String MAX_REGISTERS_PER_READ = "max.registers.per.read";

    /** Factory PID: one simulated Modbus TCP device (simulator bundle). */
    public static final String SIMULATOR_FACTORY_PID = "cellgate.simulator";

    private ConfigKeys() {
    }
}
