package io.cellgate.policy.internal;

import io.cellgate.api.policy.Action;
import java.util.EnumSet;
import java.util.List;

/**
 * The built-in rules of the roles (least privilege: each role gets only what is listed, roles do not include
 * each other). A policy document can leave the management defaults out ({@code defaults: false}) or restrict
 * them with deny rules.
 */
final class DefaultRules {

    /** The legacy default of a cell.yaml without {@code access:}: Observer browses, reads, subscribes; nobody writes. */
    static final Rule OBSERVER = new Rule(Rule.legacyId("Observer", List.of("browse", "read", "subscribe"),
            List.of("*/*")), "built-in", Rule.Effect.ALLOW, "Observer", null,
            EnumSet.of(Action.BROWSE, Action.READ, Action.SUBSCRIBE), List.of("*/*"), List.of(), When.ALWAYS);

    /**
     * The sections of cell.yaml an Engineer configures: the cell, its devices and how it is reached (OPC UA, the
     * MQTT/Sparkplug connection). Not {@code access} (the policy is SecurityAdmin's, {@code manage_policy}) and
     * not the security sections below; a section the loader gains later is not configurable until it is listed.
     * Also {@code components}: the console's Components page (the components cell.yaml does not configure; the
     * identity and policy components there need manage_users / manage_policy instead).
     */
    static final List<String> ENGINEER_SECTIONS = List.of("cell", "defaults", "pollGroups", "devices", "profiles",
            "opcua", "mqtt", "sparkplug", "components");

    /**
     * The sections that are security settings, configured by a SecurityAdmin: the host firewall, the audit trail's
     * forwarding and the console's listener and sessions. An Engineer who could change them could open the boundary,
     * blind the SIEM or expose the console to another network.
     */
    static final List<String> SECURITY_SECTIONS = List.of("firewall", "audit", "console");

    /** Engineer, SecurityAdmin and Auditor: the management actions. */
    static final List<Rule> MANAGEMENT = List.of(
            new Rule("default.engineer", "built-in", Rule.Effect.ALLOW, "Engineer", null,
                    EnumSet.of(Action.CONFIGURE), List.of(), ENGINEER_SECTIONS, When.ALWAYS),
            new Rule("default.security-admin", "built-in", Rule.Effect.ALLOW, "SecurityAdmin", null,
                    EnumSet.of(Action.MANAGE_USERS, Action.MANAGE_CERTIFICATES, Action.MANAGE_POLICY), List.of(),
                    List.of("*"), When.ALWAYS),
            new Rule("default.security-config", "built-in", Rule.Effect.ALLOW, "SecurityAdmin", null,
                    EnumSet.of(Action.CONFIGURE), List.of(), SECURITY_SECTIONS, When.ALWAYS),
            new Rule("default.auditor", "built-in", Rule.Effect.ALLOW, "Auditor", null,
                    EnumSet.of(Action.READ_AUDIT), List.of(), List.of("*"), When.ALWAYS));

    private DefaultRules() {
    }
}
