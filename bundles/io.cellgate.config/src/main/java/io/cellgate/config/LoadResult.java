package io.cellgate.config;

import io.cellgate.api.config.CellConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The outcome of loading a configuration directory: a valid {@link CellConfig}, or every error found. */
public final class LoadResult {

    private final CellConfig config;
    private final List<ConfigError> errors;
    private final List<AccessRule> accessRules;
    private final OpcUaSettings opcua;
    private final MqttSettings mqtt;
    private final SparkplugSettings sparkplug;
    private final FirewallSettings firewall;
    private final String accessSection;
    /** The {@code cellgate.audit} properties of the {@code audit:} section; null when the file has none. */
    private final Map<String, Object> audit;
    /** The {@code cellgate.console} properties of the {@code console:} section; null when the file has none. */
    private final Map<String, Object> console;

    private LoadResult(CellConfig config, List<ConfigError> errors, List<AccessRule> accessRules,
            OpcUaSettings opcua, MqttSettings mqtt, SparkplugSettings sparkplug) {
        this.config = config;
        this.errors = List.copyOf(errors);
        this.accessRules = List.copyOf(accessRules);
        this.opcua = opcua;
        this.mqtt = mqtt;
        this.sparkplug = sparkplug;
        this.firewall = null;
        this.accessSection = null;
        this.audit = null;
        this.console = null;
    }

    private LoadResult(LoadResult base, FirewallSettings firewall, String accessSection) {
        this(base, firewall, accessSection, base.audit);
    }

    private LoadResult(LoadResult base, FirewallSettings firewall, String accessSection, Map<String, Object> audit) {
        this(base, firewall, accessSection, audit, base.console);
    }

    private LoadResult(LoadResult base, FirewallSettings firewall, String accessSection, Map<String, Object> audit,
            Map<String, Object> console) {
        this.console = console == null ? null : Map.copyOf(console);
        this.audit = audit == null ? null : Map.copyOf(audit);
        this.config = base.config;
        this.errors = base.errors;
        this.accessRules = base.accessRules;
        this.opcua = base.opcua;
        this.mqtt = base.mqtt;
        this.sparkplug = base.sparkplug;
        this.firewall = firewall;
        this.accessSection = accessSection;
    }

    /** This valid result with the {@code firewall:} section of cell.yaml (null: the file has none). */
    public LoadResult withFirewall(FirewallSettings firewall) {
        if (!isValid()) {
            throw new IllegalStateException("an invalid result has no firewall settings");
        }
        return new LoadResult(this, firewall, accessSection);
    }

    /**
     * This valid result with the {@code access:} section of cell.yaml as text (cell.yaml with every other line
     * empty, so positions are the file's); null when the file has none.
     */
    public LoadResult withAccessSection(String accessSection) {
        if (!isValid()) {
            throw new IllegalStateException("an invalid result has no access section");
        }
        return new LoadResult(this, firewall, accessSection);
    }

    /**
     * The {@code access:} section of the cell as text, for the access policy (it holds what {@link #accessRules()}
     * cannot: ids, deny rules, conditions); empty when cell.yaml has none (the default rules apply).
     */
    public Optional<String> accessSection() {
        return Optional.ofNullable(accessSection);
    }

    /** A valid result with the default access rules ({@link AccessRule#DEFAULTS}). */
    public static LoadResult valid(CellConfig config) {
        return valid(config, AccessRule.DEFAULTS);
    }

    /** A valid result with the access rules of cell.yaml (the defaults when it has no access section). */
    public static LoadResult valid(CellConfig config, List<AccessRule> accessRules) {
        return valid(config, accessRules, OpcUaSettings.DEFAULTS);
    }

    /** A valid result with the access rules and the OPC UA settings of cell.yaml. */
    public static LoadResult valid(CellConfig config, List<AccessRule> accessRules, OpcUaSettings opcua) {
        return valid(config, accessRules, opcua, null, null);
    }

    /**
     * A valid result with the access rules, the OPC UA settings and the MQTT/Sparkplug sections of cell.yaml
     * ({@code mqtt} and {@code sparkplug} null when the file has none; {@code sparkplug} needs {@code mqtt}).
     */
    public static LoadResult valid(CellConfig config, List<AccessRule> accessRules, OpcUaSettings opcua,
            MqttSettings mqtt, SparkplugSettings sparkplug) {
        if (sparkplug != null && mqtt == null) {
            throw new IllegalArgumentException("a sparkplug section needs an mqtt section");
        }
        return new LoadResult(java.util.Objects.requireNonNull(config), List.of(), accessRules,
                java.util.Objects.requireNonNull(opcua), mqtt, sparkplug);
    }

    /** @param errors at least one error */
    public static LoadResult invalid(List<ConfigError> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("an invalid result needs at least one error");
        }
        return new LoadResult(null, errors.stream().sorted().toList(), List.of(), null, null, null);
    }

    public boolean isValid() {
        return config != null;
    }

    /** The configuration, present exactly when there are no errors. */
    public Optional<CellConfig> config() {
        return Optional.ofNullable(config);
    }

    /**
     * The access rules of the cell, in file order: those of its {@code access:} section, or
     * {@link AccessRule#DEFAULTS} when it has none. Empty when the result is invalid, and when the section uses
     * more than role, tags and allow (ids, deny rules, conditions: see {@link #accessSection()}).
     */
    public List<AccessRule> accessRules() {
        return accessRules;
    }

    /**
     * The {@code opcua:} section of the cell ({@link OpcUaSettings#DEFAULTS} when it has none); empty when the
     * result is invalid.
     */
    public Optional<OpcUaSettings> opcua() {
        return Optional.ofNullable(opcua);
    }

    /** The {@code mqtt:} section of the cell; empty when it has none (no edge node runs) or the result is invalid. */
    public Optional<MqttSettings> mqtt() {
        return Optional.ofNullable(mqtt);
    }

    /** The {@code sparkplug:} section of the cell; empty when it has none or the result is invalid. */
    public Optional<SparkplugSettings> sparkplug() {
        return Optional.ofNullable(sparkplug);
    }

    /**
     * This valid result with the {@code audit:} section of cell.yaml as {@code cellgate.audit} properties (null: the
     * file has none).
     */
    public LoadResult withAudit(Map<String, Object> audit) {
        if (!isValid()) {
            throw new IllegalStateException("an invalid result has no audit settings");
        }
        return new LoadResult(this, firewall, accessSection, audit);
    }

    /** The {@code cellgate.audit} properties from the {@code audit:} section; empty when it has none. */
    public Optional<Map<String, Object>> audit() {
        return Optional.ofNullable(audit);
    }

    /**
     * This valid result with the {@code console:} section of cell.yaml as {@code cellgate.console} properties (null:
     * the file has none).
     */
    public LoadResult withConsole(Map<String, Object> console) {
        if (!isValid()) {
            throw new IllegalStateException("an invalid result has no console settings");
        }
        return new LoadResult(this, firewall, accessSection, audit, console);
    }

    /**
     * The {@code cellgate.console} properties from the {@code console:} section (only the settings it names); empty
     * when it has none.
     */
    public Optional<Map<String, Object>> console() {
        return Optional.ofNullable(console);
    }

    /**
     * The {@code firewall:} section of the cell, for {@code cellgate firewall}; empty when it has none or the result
     * is invalid.
     */
    public Optional<FirewallSettings> firewall() {
        return Optional.ofNullable(firewall);
    }

    /** Every error found, ordered by file and position; empty when valid. */
    public List<ConfigError> errors() {
        return errors;
    }

    /** The errors one per line, in the {@link ConfigError#toString()} format. */
    public String errorReport() {
        return errors.stream().map(ConfigError::toString).collect(Collectors.joining(System.lineSeparator()));
    }

    @Override
    public String toString() {
        return isValid() ? "LoadResult[valid, cell " + config.cellId() + "]"
                : "LoadResult[" + errors.size() + " errors]" + System.lineSeparator() + errorReport();
    }
}
