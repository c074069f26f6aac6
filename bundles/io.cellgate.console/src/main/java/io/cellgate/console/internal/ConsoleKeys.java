package io.cellgate.console.internal;

/** The console's names: configuration PIDs, properties, cookie and channel names. */
final class ConsoleKeys {

    /** The console's own configuration. */
    static final String PID = "cellgate.console";
    /** Felix HTTP's configuration, written by {@link HttpsSetup}. */
    static final String FELIX_HTTP_PID = "org.apache.felix.http";
    /** Written by the launcher with --demo; its presence keeps the console on loopback. */
    static final String DEMO_PID = "cellgate.demo";
    static final int DEFAULT_PORT = 8443;
    /** Framework (or JVM system) properties that override the port and bind address of {@link #PID}. */
    static final String PORT_PROPERTY = "cellgate.console.port";
    static final String BIND_PROPERTY = "cellgate.console.bind.address";

    /** Policy channel of the web pages. */
    static final String CHANNEL_CONSOLE = "console";
    /** Policy channel of the REST API used by scripts (Basic authentication). */
    static final String CHANNEL_REST = "rest";

    /**
     * The session cookie. The {@code __Host-} prefix makes browsers accept it only when it is Secure, has Path=/
     * and no Domain, so no other host or plain-HTTP page can set or shadow it.
     */
    static final String SESSION_COOKIE = "__Host-cellgate-session";
    /** The pre-login cookie whose value the login form must echo (login CSRF). */
    static final String LOGIN_COOKIE = "__Host-cellgate-login";
    /** Form field and request header carrying the session's CSRF token. */
    static final String CSRF_FIELD = "csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";

    private ConsoleKeys() {
    }
}
