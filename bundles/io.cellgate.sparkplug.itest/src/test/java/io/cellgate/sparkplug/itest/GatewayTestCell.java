package io.cellgate.sparkplug.itest;

import static org.assertj.core.api.Assertions.fail;

import io.cellgate.mqtt.testing.Mosquitto;
import io.cellgate.mqtt.testing.TestCertificates;
import io.cellgate.sparkplug.itest.SparkplugRecorder.Received;
import io.cellgate.sparkplug.proto.SparkplugB.Payload;
import io.cellgate.sparkplug.proto.SparkplugB.Payload.Metric;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** What the process-level tests share: the test cell, the gateway's certificate, waits that show the logs on failure. */
final class GatewayTestCell {

    private GatewayTestCell() {
    }

    static long bdSeq(Payload nbirth) {
        return nbirth.getMetricsList().stream().filter(m -> m.getName().equals("bdSeq")).mapToLong(Metric::getLongValue)
                .findFirst().orElseThrow(() -> new AssertionError("NBIRTH without bdSeq: " + nbirth));
    }

    static int count(List<Received> received, String topic) {
        return (int) received.stream().filter(r -> r.topic().equals(topic)).count();
    }

    /** A cell with one pymodbus counter device (holding register 0 as tag `counter`) and mqtt/sparkplug sections. */
    static Path writeCell(Path dir, String cellId, String deviceId, long pollMs, String group, int brokerPort, int devicePort,
            TestCertificates.Issued ca) throws IOException {
        Path cell = Files.createDirectories(dir.resolve("cell"));
        Files.createDirectories(cell.resolve("profiles"));
        TestCertificates.write(cell.resolve("mqtt-ca.pem"), TestCertificates.pem(ca.certificate()));
        TestCertificates.write(cell.resolve("profiles/counter-device.yaml"), """
                profile:
                  id: counter-device
                  vendor: Test
                  model: pymodbus counter
                  description: Holding register 0 changed by the test.
                tags:
                  - { name: counter, area: holding_register, address: 0, type: uint16 }
                """);
        TestCertificates.write(cell.resolve("cell.yaml"), """
                cell:
                  id: %s
                  name: Process test cell
                profiles: [profiles]
                pollGroups:
                  fast: %dms
                devices:
                  - id: %s
                    profile: counter-device
                    endpoint: { protocol: modbus-tcp, host: 127.0.0.1, port: %d }
                    unitId: 1
                    timeout: 500ms
                opcua:
                  port: %d
                  bindAddress: 127.0.0.1
                  hostname: localhost
                  certificate: { dnsNames: [localhost], ipAddresses: [127.0.0.1] }
                mqtt:
                  brokers: ["ssl://localhost:%d"]
                  caFile: mqtt-ca.pem
                  keepAlive: 5s
                  connectTimeout: 5s
                sparkplug:
                  groupId: %s
                """.formatted(cellId, pollMs, deviceId, devicePort, Mosquitto.freePort(), brokerPort, group));
        return cell;
    }

    static X509Certificate readCertificate(Path der) throws Exception {
        try (InputStream in = Files.newInputStream(der)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    static String commonName(X509Certificate cert) throws Exception {
        for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
            if (rdn.getType().equalsIgnoreCase("CN")) {
                return rdn.getValue().toString();
            }
        }
        throw new AssertionError("the gateway certificate has no CN: " + cert.getSubjectX500Principal());
    }

    static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    static void waitFor(java.util.function.BooleanSupplier condition, long seconds, String what, GatewayProcess gateway)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + seconds * 1000;
        while (!condition.getAsBoolean()) {
            if (gateway.logTail().contains("is invalid and was NOT applied")) {
                fail("the gateway refused the test's cell.yaml; its log:\n" + gateway.logTail());
            }
            if (System.currentTimeMillis() > deadline || !gateway.alive()) {
                fail("no " + what + " within " + seconds + " s (gateway alive: " + gateway.alive() + "); its log:\n" + gateway.logTail());
            }
            Thread.sleep(100);
        }
    }

    static void awaitOrFail(SparkplugRecorder recorder, Predicate<List<Received>> condition, long seconds, String what,
            GatewayProcess gateway, Mosquitto broker) throws InterruptedException {
        if (!recorder.await(condition, seconds)) {
            String got = recorder.received().stream().map(r -> "#" + r.index() + " " + r.topic()).collect(Collectors.joining("\n"));
            fail("no " + what + " within " + seconds + " s; received:\n" + got + "\nsubscriber errors: " + recorder.errors()
                    + "\nmosquitto log:\n" + tail(broker.log()) + "\ngateway log:\n" + gateway.logTail());
        }
    }

    private static String tail(String text) {
        return text.length() > 6000 ? "..." + text.substring(text.length() - 6000) : text;
    }
}
