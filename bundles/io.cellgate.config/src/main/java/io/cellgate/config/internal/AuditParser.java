package io.cellgate.config.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the optional {@code audit:} section of cell.yaml: where the audit trail is forwarded (a SIEM, syslog over
 * TLS). Written to the {@code cellgate.audit} configuration as its {@code syslog.*} properties.
 * <pre>
 * audit:
 *   syslog:
 *     host: siem.plant.example      # required in syslog
 *     port: 6514                    # default 6514
 *     caFile: /etc/cellgate/siem-ca.pem
 *     keystoreFile: /etc/cellgate/audit-client.p12        # optional client certificate
 *     keystorePasswordFile: /etc/cellgate/audit-client.pass
 *     hostname: gw-press-1          # optional HOSTNAME sent
 *     sdId: cellgate@32473          # optional SD-ID
 * </pre>
 * Files must exist and be readable (relative paths are taken from the cell directory).
 */
final class AuditParser {

    static final String AUDIT_PID = "cellgate.audit";

    private AuditParser() {
    }

    /** The properties, or null when the file has no audit section or it has errors (then they are in problems). */
    static Map<String, Object> parse(Nodes top, Path dir) {
        Nodes a = top.mapping("audit", false);
        if (a == null) {
            return null;
        }
        int before = a.problems().size();
        Map<String, Object> p = new LinkedHashMap<>();
        Nodes s = a.mapping("syslog", false);
        if (s != null) {
            p.put("syslog.host", s.string("host", true));
            Long port = s.integer("port", 1, 65535, 6514L);
            p.put("syslog.port", port == null ? null : port.intValue());
            file(s, "caFile", dir, p, "syslog.ca.file");
            file(s, "keystoreFile", dir, p, "syslog.keystore.file");
            file(s, "keystorePasswordFile", dir, p, "syslog.keystore.password.file");
            if (p.containsKey("syslog.keystore.file") != p.containsKey("syslog.keystore.password.file")) {
                s.error(p.containsKey("syslog.keystore.file") ? "keystoreFile" : "keystorePasswordFile",
                        "keystoreFile and keystorePasswordFile go together");
            }
            String hostname = s.string("hostname", false);
            if (hostname != null) {
                p.put("syslog.hostname", hostname);
            }
            String sdId = s.string("sdId", false);
            if (sdId != null) {
                if (!sdId.matches("[!-~&&[^=\\] \"]]{1,32}") || !sdId.contains("@")) {
                    s.error("sdId", "'" + sdId + "' is not an SD-ID of the form name@private-enterprise-number");
                }
                p.put("syslog.sd.id", sdId);
            }
            s.finish();
        }
        a.finish();
        p.values().removeIf(java.util.Objects::isNull);
        return a.problems().size() == before ? p : null;
    }

    private static void file(Nodes s, String key, Path dir, Map<String, Object> p, String property) {
        String v = s.string(key, false);
        if (v == null) {
            return;
        }
        Path f = dir.resolve(v).toAbsolutePath().normalize();
        if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
            s.error(key, "file " + f + " does not exist or cannot be read");
            return;
        }
        p.put(property, f.toString());
    }
}
