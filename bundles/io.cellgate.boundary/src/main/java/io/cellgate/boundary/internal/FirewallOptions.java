package io.cellgate.boundary.internal;

import io.cellgate.config.FirewallSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The host-side settings of the boundary: which interface is which, who may reach the console, and the optional
 * infrastructure allowances; from the {@code firewall:} section of cell.yaml and the command line. All off or empty
 * by default, except the console port.
 *
 * @param north         the plant-side interface (OPC UA and console in, MQTT out)
 * @param south         the cell-side interface (device endpoints out)
 * @param consolePort   the admin console's TCP port, or null when no console rule is wanted
 * @param adminSubnets  where the console (and SSH) may be reached from; empty = anywhere on north
 * @param opcuaSubnets  where OPC UA clients may connect from; empty = anywhere on north
 * @param sshPort       accept SSH on north (from the admin subnets), or null
 * @param dnsServers    DNS servers the host may query over north (UDP and TCP 53)
 * @param ntpServers    NTP servers the host may query over north (UDP 123)
 * @param dhcp          interfaces on which the host is a DHCP client
 * @param resolve       resolve host names when generating (otherwise every host must be an IP address)
 */
record FirewallOptions(String north, String south, Integer consolePort, List<Addresses.Cidr> adminSubnets,
        List<Addresses.Cidr> opcuaSubnets, Integer sshPort, List<String> dnsServers, List<String> ntpServers,
        List<String> dhcp, boolean resolve) {

    static final int DEFAULT_CONSOLE_PORT = 8443;

    FirewallOptions {
        adminSubnets = List.copyOf(adminSubnets);
        opcuaSubnets = List.copyOf(opcuaSubnets);
        dnsServers = List.copyOf(dnsServers);
        ntpServers = List.copyOf(ntpServers);
        dhcp = List.copyOf(dhcp);
    }

    /** Only the two interfaces; everything else at its default. */
    static FirewallOptions of(String north, String south) {
        return new FirewallOptions(north, south, DEFAULT_CONSOLE_PORT, List.of(), List.of(), null, List.of(),
                List.of(), List.of(), false);
    }

    /** The settings of the cell's {@code firewall:} section alone (what the running gateway checks against). */
    static FirewallOptions of(FirewallSettings f) {
        Integer console = !f.console() ? null : f.consolePort() != null ? f.consolePort() : DEFAULT_CONSOLE_PORT;
        return new FirewallOptions(f.north(), f.south(), console,
                f.adminSubnets().stream().map(Addresses.Cidr::parse).toList(),
                f.opcuaSubnets().stream().map(Addresses.Cidr::parse).toList(), f.sshPort(), f.dnsServers(),
                f.ntpServers(), f.dhcp(), f.resolveNames());
    }

    FirewallOptions withAdminSubnets(List<Addresses.Cidr> subnets) {
        return new FirewallOptions(north, south, consolePort, subnets, opcuaSubnets, sshPort, dnsServers,
                ntpServers, dhcp, resolve);
    }

    /** Problems of the settings themselves, each naming the option; empty when they are usable. */
    List<String> problems() {
        List<String> p = new ArrayList<>();
        ifname("--north", north, p);
        ifname("--south", south, p);
        if (north != null && Objects.equals(north, south)) {
            p.add("--north and --south are both '" + north + "': the boundary needs two different interfaces");
        }
        for (String d : dhcp) {
            if (!d.equals(north) && !d.equals(south)) {
                p.add("--dhcp " + d + ": not the north (" + north + ") or south (" + south + ") interface");
            }
        }
        return p;
    }

    /** An interface option: present, and a name the loader would accept in the firewall: section too. */
    static void ifname(String option, String name, List<String> problems) {
        if (name == null || name.isEmpty()) {
            problems.add(option + " IF is required: the name of the " + (option.equals("--north") ? "plant-side"
                    : "cell-side") + " network interface (see `ip -br link`)");
            return;
        }
        String why = FirewallSettings.interfaceNameProblem(name);
        if (why != null) {
            problems.add(option + " '" + name + "' is not a valid network interface name: " + why);
        }
    }
}
