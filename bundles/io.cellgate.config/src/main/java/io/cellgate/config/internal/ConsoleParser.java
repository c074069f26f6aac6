package io.cellgate.config.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the optional {@code console:} section of cell.yaml into the properties of the console's configuration
 * ({@code cellgate.console}). Only the settings the section names are written: one it leaves out keeps the console's
 * default, and for port and bind address the framework properties {@code cellgate.console.port} /
 * {@code cellgate.console.bind.address} as before.
 * <pre>
 * console:
 *   port: 8443                 # 0..65535 (0: a free port, for tests)
 *   bindAddress: 0.0.0.0       # an IP address to listen on
 *   sessionIdleMinutes: 15     # 1..480
 *   sessionMaxHours: 8         # 1..24
 *   maxSessions: 50            # 1..1000
 *   safeChange:
 *     confirmSeconds: 30       # 5..600: how long a connectivity change may take to reconnect northbound
 * </pre>
 */
final class ConsoleParser {

    static final String CONSOLE_PID = "cellgate.console";
    /** The property of {@code safeChange.confirmSeconds}; read by the configuration editor, shown by the console. */
    static final String CONFIRM_SECONDS = "safe.change.confirm.seconds";
    static final int DEFAULT_CONFIRM_SECONDS = 30;

    private ConsoleParser() {
    }

    /** The properties, or null when the file has no console section or it has errors (then they are in problems). */
    static Map<String, Object> parse(Nodes top) {
        Nodes c = top.mapping("console", false);
        if (c == null) {
            return null;
        }
        int before = c.problems().size();
        Map<String, Object> p = new LinkedHashMap<>();
        putInt(p, "port", c.integer("port", 0, 65535, null));
        String bind = c.string("bindAddress", false);
        if (bind != null) {
            if (!OpcUaParser.isIp(bind)) {
                c.error("bindAddress", "'" + bind + "' is not an IP address (e.g. 0.0.0.0 for every interface, "
                        + "127.0.0.1 for this machine only)");
            } else {
                p.put("bind.address", bind);
            }
        }
        putInt(p, "session.idle.minutes", c.integer("sessionIdleMinutes", 1, 480, null));
        putInt(p, "session.max.hours", c.integer("sessionMaxHours", 1, 24, null));
        putInt(p, "max.sessions", c.integer("maxSessions", 1, 1000, null));
        Nodes safe = c.mapping("safeChange", false);
        if (safe != null) {
            putInt(p, CONFIRM_SECONDS, safe.integer("confirmSeconds", 5, 600, null));
            safe.finish();
        }
        c.finish();
        return c.problems().size() == before ? p : null;
    }

    private static void putInt(Map<String, Object> p, String key, Long value) {
        if (value != null) {
            p.put(key, value.intValue());
        }
    }

    /** The confirmation time of a loaded console section (its properties), the default without one. */
    static int confirmSeconds(Map<String, Object> console) {
        return console != null && console.get(CONFIRM_SECONDS) instanceof Integer i ? i : DEFAULT_CONFIRM_SECONDS;
    }
}
