package io.cellgate.console.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = ConsoleKeys.PID, name = "CellGate admin console",
        description = "The HTTPS web console and REST API. HTTPS only, with the gateway certificate from the PKI.")
@interface ConsoleConfig {

    @AttributeDefinition(name = "HTTPS port", min = "0", max = "65535",
            description = "0 picks a free port (tests). Overridden by the framework/JVM property cellgate.console.port.")
    int port() default ConsoleKeys.DEFAULT_PORT;

    @AttributeDefinition(name = "Bind address", description = "Address to listen on; 0.0.0.0 = every interface. "
            + "Overridden by the framework/JVM property cellgate.console.bind.address.")
    String bind_address() default "0.0.0.0";

    @AttributeDefinition(name = "Idle session timeout (minutes)", min = "1", max = "480",
            description = "A session unused this long ends; the user logs in again.")
    int session_idle_minutes() default 15;

    @AttributeDefinition(name = "Maximum session length (hours)", min = "1", max = "24",
            description = "A session ends this long after the login, used or not.")
    int session_max_hours() default 8;

    @AttributeDefinition(name = "Maximum concurrent sessions", min = "1", max = "1000",
            description = "Bounds the memory that logins can take; the oldest session ends when a new one would exceed it.")
    int max_sessions() default 50;

    @AttributeDefinition(name = "Safe change confirmation (s)", min = "5", max = "600",
            description = "After a change of a connectivity section, the gateway must be connected northbound again within "
                    + "this time or the change is rolled back. Set from cell.yaml's console: safeChange: confirmSeconds "
                    + "(the configuration editor reads it there); shown here.")
    int safe_change_confirm_seconds() default 30;

    @AttributeDefinition(name = "State directory", required = false,
            description = "Holds console/https.p12. Default: state.dir of the cellgate.runtime configuration (--state).")
    String state_dir() default "";
}
