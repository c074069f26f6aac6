package io.cellgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code opcua:} section of cell.yaml: what it yields, and every error at its file:line:col. */
class OpcUaSectionTest {

    @TempDir
    Path dir;

    private LoadResult load(String opcua) throws IOException {
        return SectionTestCell.load(dir, opcua);
    }

    private static String single(LoadResult r) {
        return SectionTestCell.single(r);
    }

    @Test
    void load_fullSection_yieldsEverySetting() throws IOException {
        LoadResult r = load("""
                opcua:
                  port: 4840
                  bindAddress: 0.0.0.0
                  hostname: gw-press3.plant.local
                  certificate: { dnsNames: [gw-press3.plant.local], ipAddresses: [10.1.20.5, "fe80::1"] }
                  securityPolicies: [Basic256Sha256, Aes256_Sha256_RsaPss]
                  securityModes: [SignAndEncrypt]
                  allowInsecure: false
                  limits: { maxSessions: 20, maxSubscriptions: 50, maxSubscriptionsPerSession: 10, maxMonitoredItems: 20000, maxMonitoredItemsPerSession: 10000, maxMessageSize: 2097152 }
                """);

        assertThat(r.errors()).as(r.errorReport()).isEmpty();
        assertThat(r.opcua()).contains(new OpcUaSettings(4840, "0.0.0.0", "gw-press3.plant.local",
                java.util.List.of("gw-press3.plant.local"), java.util.List.of("10.1.20.5", "fe80::1"),
                java.util.List.of("Basic256Sha256", "Aes256_Sha256_RsaPss"), java.util.List.of("SignAndEncrypt"),
                false, 20, 50, 10, 20000, 10000, 2097152));
    }

    @Test
    void load_noSection_yieldsTheDefaults() throws IOException {
        assertThat(load("").opcua()).contains(OpcUaSettings.DEFAULTS);
    }

    @Test
    void load_unknownKey_suggestsTheClosestKnownKey() throws IOException {
        assertThat(single(load("opcua:\n  hostName: gw\n")))
                .isEqualTo("cell.yaml:12:3: opcua.hostName: unknown key 'hostName' (did you mean 'hostname'?)");
    }

    @Test
    void load_unknownLimit_isAnError() throws IOException {
        assertThat(single(load("opcua:\n  limits:\n    maxSession: 5\n")))
                .startsWith("cell.yaml:13:5: opcua.limits.maxSession: unknown key 'maxSession'");
    }

    @Test
    void load_portOutOfRange_isAnError() throws IOException {
        assertThat(single(load("opcua:\n  port: 0\n"))).isEqualTo("cell.yaml:12:9: opcua.port: 0 is outside 1..65535");
        assertThat(single(load("opcua:\n  port: 65536\n"))).isEqualTo("cell.yaml:12:9: opcua.port: 65536 is outside 1..65535");
    }

    @Test
    void load_portNotAnInteger_isAnError() throws IOException {
        assertThat(single(load("opcua:\n  port: http\n"))).isEqualTo("cell.yaml:12:9: opcua.port: 'http' is not an integer");
    }

    @Test
    void load_limitBelowOne_isAnError() throws IOException {
        assertThat(single(load("opcua:\n  limits: { maxSessions: 0 }\n")))
                .startsWith("cell.yaml:12:26: opcua.limits.maxSessions: 0 is outside 1..");
    }

    @Test
    void load_messageSizeBelowMilosMinimum_isAnError() throws IOException {
        assertThat(single(load("opcua:\n  limits:\n    maxMessageSize: 65536\n")))
                .startsWith("cell.yaml:13:21: opcua.limits.maxMessageSize: 65536 is outside 524288..");
    }

    @Test
    void load_unknownPolicy_listsTheAllowedOnes() throws IOException {
        assertThat(single(load("opcua:\n  securityPolicies: [Basic256Sha256, Basic128Rsa15]\n"))).isEqualTo(
                "cell.yaml:12:38: opcua.securityPolicies[1]: 'Basic128Rsa15' is not one of Basic256Sha256, "
                        + "Aes128_Sha256_RsaOaep, Aes256_Sha256_RsaPss");
    }

    @Test
    void load_modeNone_isAnError() throws IOException {
        assertThat(single(load("opcua:\n  securityModes:\n    - None\n")))
                .startsWith("cell.yaml:13:7: opcua.securityModes[0]: 'None' is not one of Sign, SignAndEncrypt");
    }

    @Test
    void load_emptyPolicyList_isAnError() throws IOException {
        assertThat(single(load("opcua:\n  securityPolicies: []\n")))
                .startsWith("cell.yaml:12:21: opcua.securityPolicies: at least one is needed");
    }

    @Test
    void load_allowInsecureNotABoolean_isAnError() throws IOException {
        assertThat(single(load("opcua:\n  allowInsecure: yes\n")))
                .isEqualTo("cell.yaml:12:18: opcua.allowInsecure: 'yes' is not a boolean: use true or false");
    }

    @Test
    void load_badCertificateNames_areErrors() throws IOException {
        LoadResult r = load("opcua:\n  certificate:\n    dnsNames: [\"gw press\"]\n    ipAddresses: [10.1.20.300]\n");

        assertThat(r.errors()).extracting(ConfigError::toString).containsExactly(
                "cell.yaml:13:16: opcua.certificate.dnsNames[0]: 'gw press' is not a DNS name",
                "cell.yaml:14:19: opcua.certificate.ipAddresses[0]: '10.1.20.300' is not an IP address");
    }

    @Test
    void load_sectionNotAMapping_isAnError() throws IOException {
        assertThat(single(load("opcua: 4840\n"))).startsWith("cell.yaml:11:8: opcua: expected");
    }
}
