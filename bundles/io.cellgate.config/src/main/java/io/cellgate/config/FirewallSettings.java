package io.cellgate.config;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code firewall:} section of cell.yaml: the gateway host's side of the cell boundary that the cell's other
 * sections do not say (which interface is which, who may reach the console, infrastructure the host may use). Read
 * by {@code cellgate firewall print|check}; the running gateway does not use it (loading a ruleset needs root).
 * Addresses and prefixes are validated IP literals, prefixes without host bits.
 *
 * @param north        the plant-side interface (OPC UA and console in, MQTT out)
 * @param south        the cell-side interface (device endpoints out)
 * @param consolePort  the admin console's port, or null for the default
 * @param console      false: no console rule at all
 * @param adminSubnets where the console (and SSH) may be reached from; empty: anywhere on north
 * @param opcuaSubnets where OPC UA clients may connect from; empty: anywhere on north
 * @param sshPort      accept SSH on north (from the admin subnets), or null
 * @param dnsServers   DNS servers the host may query over north
 * @param ntpServers   NTP servers the host may query over north
 * @param dhcp         interfaces (north and/or south) on which the host is a DHCP client
 * @param resolveNames resolve host names when generating (otherwise every host must be an IP address)
 */
public record FirewallSettings(String north, String south, Integer consolePort, boolean console,
        List<String> adminSubnets, List<String> opcuaSubnets, Integer sshPort, List<String> dnsServers,
        List<String> ntpServers, List<String> dhcp, boolean resolveNames) {

    public FirewallSettings {
        adminSubnets = List.copyOf(adminSubnets);
        opcuaSubnets = List.copyOf(opcuaSubnets);
        dnsServers = List.copyOf(dnsServers);
        ntpServers = List.copyOf(ntpServers);
        dhcp = List.copyOf(dhcp);
    }

    /**
     * Why {@code name} is not usable as a boundary interface, or null: a Linux interface name as the kernel accepts
     * it (1..15 bytes, no '/', ':', white space or quotes, not "." or ".."), and not the loopback interface, which
     * every ruleset leaves open. Shared by the loader and the command line's {@code --north}/{@code --south}.
     */
    public static String interfaceNameProblem(String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length > 15) {
            return "longer than 15 characters";
        } else if (name.equals(".") || name.equals("..")) {
            return "not allowed";
        } else if (!name.matches("[A-Za-z0-9_.@+-]+")) {
            return "only letters, digits and _ . - @ + are allowed here (no '/', ':', '*', spaces or quotes)";
        } else if (name.equals("lo")) {
            return "the loopback interface is always allowed; name the physical interfaces";
        }
        return null;
    }
}
