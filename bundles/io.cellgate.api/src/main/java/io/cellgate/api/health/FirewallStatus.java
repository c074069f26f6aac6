package io.cellgate.api.health;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The host firewall of the cell boundary as the gateway last checked it: the ruleset generated from the cell
 * configuration against the running one. Registered by the boundary bundle; read by the console. Since 1.1.
 */
@ProviderType
public interface FirewallStatus {

    /** The latest check (a check runs at most once a minute and when the running listing changes). */
    FirewallReport report();
}
