package io.cellgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code firewall:} section of cell.yaml: what it yields, and every error at its file:line:col. */
class FirewallSectionTest {

    @TempDir
    Path dir;

    private LoadResult load(String firewall) throws IOException {
        return SectionTestCell.load(dir, firewall);
    }

    private static String single(LoadResult r) {
        return SectionTestCell.single(r);
    }

    @Test
    void load_fullSection_yieldsEverySetting() throws IOException {
        LoadResult r = load("""
                firewall:
                  north: enp1s0
                  south: enp2s0
                  consolePort: 9443
                  adminSubnets: [10.1.0.0/16, "fd00:1::/64"]
                  opcuaSubnets: 10.20.0.0/16
                  sshPort: 22
                  dns: [10.0.0.53]
                  ntp: [10.0.0.123, 10.0.0.124]
                  dhcp: [enp1s0]
                  resolveNames: true
                """);

        assertThat(r.errors()).as(r.errorReport()).isEmpty();
        assertThat(r.firewall()).contains(new FirewallSettings("enp1s0", "enp2s0", 9443, true,
                List.of("10.1.0.0/16", "fd00:1::/64"), List.of("10.20.0.0/16"), 22, List.of("10.0.0.53"),
                List.of("10.0.0.123", "10.0.0.124"), List.of("enp1s0"), true));
    }

    @Test
    void load_onlyInterfaces_yieldsDefaults() throws IOException {
        assertThat(load("firewall: { north: eth0, south: eth1 }\n").firewall()).contains(new FirewallSettings(
                "eth0", "eth1", null, true, List.of(), List.of(), null, List.of(), List.of(), List.of(), false));
    }

    @Test
    void load_noSection_yieldsNone() throws IOException {
        LoadResult r = load("");
        assertThat(r.isValid()).isTrue();
        assertThat(r.firewall()).isEmpty();
    }

    @Test
    void load_consoleFalse_yieldsNoConsole() throws IOException {
        assertThat(load("firewall: { north: eth0, south: eth1, console: false }\n").firewall().orElseThrow().console())
                .isFalse();
    }

    @Test
    void load_missingSouth_isAnError() throws IOException {
        assertThat(single(load("firewall:\n  north: eth0\n")))
                .isEqualTo("cell.yaml:12:3: firewall.south: required key 'south' is missing");
    }

    @Test
    void load_invalidInterfaceName_isAnError() throws IOException {
        assertThat(single(load("firewall:\n  north: eth0\n  south: 'eth*'\n")))
                .isEqualTo("cell.yaml:13:10: firewall.south: 'eth*' is not a valid network interface name: only "
                        + "letters, digits and _ . - @ + are allowed here (no '/', ':', '*', spaces or quotes)");
        assertThat(single(load("firewall:\n  north: lo\n  south: eth1\n")))
                .startsWith("cell.yaml:12:10: firewall.north: 'lo' is not a valid network interface name: the loopback");
    }

    @Test
    void load_sameInterfaceTwice_isAnError() throws IOException {
        assertThat(single(load("firewall:\n  north: eth0\n  south: eth0\n")))
                .isEqualTo("cell.yaml:13:10: firewall.south: 'eth0' is also firewall.north: the boundary needs two "
                        + "different interfaces");
    }

    @Test
    void load_subnetWithHostBits_suggestsTheNetwork() throws IOException {
        assertThat(single(load("firewall:\n  north: eth0\n  south: eth1\n  adminSubnets: [10.1.2.3/16]\n")))
                .isEqualTo("cell.yaml:14:18: firewall.adminSubnets[0]: '10.1.2.3/16' has host bits set: did you mean "
                        + "10.1.0.0/16?");
    }

    @Test
    void load_subnetNotAPrefix_isAnError() throws IOException {
        assertThat(single(load("firewall:\n  north: eth0\n  south: eth1\n  adminSubnets: plant.local/16\n")))
                .isEqualTo("cell.yaml:14:17: firewall.adminSubnets: 'plant.local/16' is not an IP prefix such as "
                        + "10.1.0.0/16 or fd00::/64");
        assertThat(single(load("firewall:\n  north: eth0\n  south: eth1\n  opcuaSubnets: [10.0.0.0/33]\n")))
                .isEqualTo("cell.yaml:14:18: firewall.opcuaSubnets[0]: '10.0.0.0/33' has no valid prefix length (0..32)");
    }

    @Test
    void load_dnsHostName_isAnError() throws IOException {
        assertThat(single(load("firewall:\n  north: eth0\n  south: eth1\n  dns: [ns1.plant.local]\n")))
                .isEqualTo("cell.yaml:14:9: firewall.dns[0]: 'ns1.plant.local' is not an IP address (nftables matches "
                        + "addresses, not names)");
    }

    @Test
    void load_dhcpOnThirdInterface_isAnError() throws IOException {
        assertThat(single(load("firewall:\n  north: eth0\n  south: eth1\n  dhcp: [wlan0]\n")))
                .isEqualTo("cell.yaml:14:10: firewall.dhcp[0]: 'wlan0' not the north (eth0) or south (eth1) interface");
    }

    @Test
    void load_consolePortWithConsoleFalse_isAnError() throws IOException {
        assertThat(single(load("firewall:\n  north: eth0\n  south: eth1\n  console: false\n  consolePort: 8443\n")))
                .startsWith("cell.yaml:15:16: firewall.consolePort: set, but console: false");
    }

    @Test
    void load_unknownKey_suggestsTheClosestKnownKey() throws IOException {
        assertThat(single(load("firewall:\n  north: eth0\n  south: eth1\n  adminSubnet: 10.1.0.0/24\n")))
                .isEqualTo("cell.yaml:14:3: firewall.adminSubnet: unknown key 'adminSubnet' (did you mean "
                        + "'adminSubnets'?)");
    }

    @Test
    void load_duplicateSubnet_isAnError() throws IOException {
        assertThat(single(load("firewall:\n  north: eth0\n  south: eth1\n  adminSubnets: [10.1.0.0/24, 10.1.0.0/24]\n")))
                .isEqualTo("cell.yaml:14:31: firewall.adminSubnets[1]: '10.1.0.0/24' is listed twice");
    }
}
