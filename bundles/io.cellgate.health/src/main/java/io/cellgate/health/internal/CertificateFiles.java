package io.cellgate.health.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;

/**
 * The certificate files named in other bundles' configurations (read through ConfigAdmin, by their documented keys):
 * the MQTT session's broker CA ({@code cellgate.mqtt ca.file}), the syslog forwarding's CA and client key store
 * ({@code cellgate.audit syslog.ca.file}, {@code syslog.keystore.file} with its password or password file).
 */
final class CertificateFiles {

    static final String MQTT_PID = "cellgate.mqtt";
    static final String AUDIT_PID = "cellgate.audit";

    private CertificateFiles() {
    }

    /** @param mqtt the MQTT configuration's properties, or null; @param audit the audit trail's, or null */
    static List<CertificateMetrics.CertFile> of(Dictionary<String, Object> mqtt, Dictionary<String, Object> audit) {
        List<CertificateMetrics.CertFile> out = new ArrayList<>();
        String ca = text(mqtt, "ca.file");
        if (ca != null) {
            out.add(new CertificateMetrics.CertFile("MQTT CA", Path.of(ca), null));
        }
        String syslogCa = text(audit, "syslog.ca.file");
        if (syslogCa != null) {
            out.add(new CertificateMetrics.CertFile("Syslog CA", Path.of(syslogCa), null));
        }
        String keystore = text(audit, "syslog.keystore.file");
        if (keystore != null) {
            String password = text(audit, ".syslog.keystore.password");
            String passwordFile = text(audit, "syslog.keystore.password.file");
            out.add(new CertificateMetrics.CertFile("Syslog Client", Path.of(keystore), () -> {
                if (password == null && passwordFile != null) {
                    try {
                        return Files.readString(Path.of(passwordFile), StandardCharsets.UTF_8).strip().toCharArray();
                    } catch (IOException e) {
                        return new char[0]; // the key store read fails then, and says so
                    }
                }
                return (password == null ? "" : password).toCharArray();
            }));
        }
        return out;
    }

    private static String text(Dictionary<String, Object> d, String key) {
        Object v = d == null ? null : d.get(key);
        return v == null || v.toString().isBlank() ? null : v.toString().strip();
    }
}
