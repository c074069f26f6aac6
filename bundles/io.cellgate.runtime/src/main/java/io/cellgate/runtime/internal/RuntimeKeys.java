package io.cellgate.runtime.internal;

/** PIDs and keys this bundle writes. */
final class RuntimeKeys {
    // The state directory's PID and key are io.cellgate.api.config.ConfigKeys.RUNTIME_PID / STATE_DIR.
    /** Written by --demo: its presence creates the demo operator ({@link DemoOperator}). */
    static final String DEMO_PID = "cellgate.demo";
    /** Written by --demo only: the demo's MQTT broker on 127.0.0.1 (bundle io.cellgate.broker). */
    static final String BROKER_PID = "cellgate.broker";
    /** The port the demo cell's mqtt: section connects to. */
    static final int DEMO_BROKER_PORT = 1883;

    private RuntimeKeys() {
    }
}
