package io.cellgate.runtime.internal;

/** PIDs and keys this bundle writes. */
final class RuntimeKeys {
    /** Singleton configuration with the runtime's directories, for bundles that keep state. */
    static final String RUNTIME_PID = "cellgate.runtime";
    static final String STATE_DIR = "state.dir";
    /** Written by --demo: its presence creates the demo operator ({@link DemoOperator}). */
    static final String DEMO_PID = "cellgate.demo";

    private RuntimeKeys() {
    }
}
