package io.cellgate.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.health.HealthAlarm;
import io.cellgate.api.health.HealthMetric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificate expiry of the trust lists and of the files named in the MQTT and audit configurations (real files). */
class CertificateMetricsTest {

    @TempDir
    static Path dir;
    static Path brokerCaPem;
    static Path clientP12;

    /** keytool (the JDK's): a key store with one self-signed certificate of the given validity. */
    static Path keyStore(String name, int days) throws Exception {
        Path p12 = dir.resolve(name + ".p12");
        run(keytool(), "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-validity",
                Integer.toString(days), "-dname", "CN=" + name, "-keystore", p12.toString(), "-storetype", "PKCS12",
                "-storepass", "secret1", "-keypass", "secret1");
        return p12;
    }

    static String keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }

    static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd)).isZero();
    }

    @BeforeAll
    static void certificates() throws Exception {
        Path ca = keyStore("broker-ca", 10);
        brokerCaPem = dir.resolve("broker-ca.pem");
        run(keytool(), "-exportcert", "-rfc", "-alias", "broker-ca", "-keystore", ca.toString(), "-storepass",
                "secret1", "-file", brokerCaPem.toString());
        clientP12 = keyStore("syslog-client", 400);
        Files.writeString(dir.resolve("pw"), "secret1\n");
    }

    private static List<HealthMetric> collect(Collection<X509Certificate> trusted, List<CertificateMetrics.CertFile> files) {
        return new CertificateMetrics(Clock.systemUTC(), new CertificateMetrics.Sources() {
            @Override
            public Collection<X509Certificate> trusted() {
                return trusted;
            }

            @Override
            public Collection<X509Certificate> issuers() {
                return List.of();
            }

            @Override
            public List<CertificateMetrics.CertFile> files() {
                return files;
            }
        }, Duration.ofMinutes(10)).collect();
    }

    @Test
    void collect_configuredFilesAndTrustList_daysPerCertificate() throws Exception {
        Hashtable<String, Object> mqtt = new Hashtable<>(Map.of("ca.file", brokerCaPem.toString()));
        Hashtable<String, Object> audit = new Hashtable<>(Map.of("syslog.ca.file", brokerCaPem.toString(),
                "syslog.keystore.file", clientP12.toString(), "syslog.keystore.password.file",
                dir.resolve("pw").toString()));
        List<CertificateMetrics.CertFile> files = CertificateFiles.of(mqtt, audit);
        X509Certificate trusted = CertificateMetrics.load(files.get(0)).get(0);

        List<HealthMetric> m = collect(List.of(trusted), files);

        assertThat((Long) Metrics.value(m, "Health/Certificates/MQTT CA broker-ca/Expiry Days")).isBetween(9L, 10L);
        assertThat((Long) Metrics.value(m, "Health/Certificates/Syslog CA broker-ca/Expiry Days")).isBetween(9L, 10L);
        assertThat((Long) Metrics.value(m, "Health/Certificates/Syslog Client syslog-client/Expiry Days"))
                .isBetween(399L, 400L);
        assertThat((Long) Metrics.value(m, "Health/Certificates/Trusted broker-ca/Expiry Days")).isBetween(9L, 10L);
        assertThat(Metrics.get(m, "Health/Certificates/MQTT CA broker-ca/Expiry Days").labels())
                .containsEntry("certificate", "MQTT CA broker-ca");
    }

    @Test
    void collect_unreadableFile_unknownNamingTheFile() {
        List<HealthMetric> m = collect(List.of(), List.of(new CertificateMetrics.CertFile("MQTT CA",
                dir.resolve("missing.pem"), null)));

        assertThat(Metrics.get(m, "Health/Certificates/MQTT CA missing.pem/Expiry Days").value()).isNull();
    }

    @Test
    void alarm_certificateUnder30Days_raisedOtherNot() throws Exception {
        List<CertificateMetrics.CertFile> files = new ArrayList<>(CertificateFiles.of(
                new Hashtable<>(Map.of("ca.file", brokerCaPem.toString())), new Hashtable<>(Map.of(
                        "syslog.keystore.file", clientP12.toString(), ".syslog.keystore.password", "secret1"))));
        AlarmEngine alarms = new AlarmEngine(AlarmDefaults.rules(Configs.health(Map.of())));

        List<HealthAlarm> active = alarms.evaluate(collect(List.of(), files), java.time.Instant.now()).stream()
                .map(AlarmEngine.Change::alarm).toList();

        assertThat(active).extracting(HealthAlarm::rule, HealthAlarm::subject).containsExactly(
                org.assertj.core.groups.Tuple.tuple("peer.certificate.expiry",
                        "Health/Certificates/MQTT CA broker-ca/Expiry Days"));
    }
}
