package io.cellgate.runtime.internal;

/** PIDs and keys this bundle writes. */
final class RuntimeKeys {
    // The state directory's PID and key are io.cellgate.api.config.ConfigKeys.RUNTIME_PID / STATE_DIR.
    /** Written by --demo: its presence creates the demo operator ({@link DemoOperator}). */
    static final String DEMO_PID = "cellgate.demo";

    private RuntimeKeys() {
    }
}
