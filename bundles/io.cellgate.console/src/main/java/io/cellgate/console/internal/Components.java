package io.cellgate.console.internal;

import io.cellgate.api.policy.Action;
import io.cellgate.api.policy.Resource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * The configurable components of the running gateway (like Kura's services list): every MetaType object class of a
 * CellGate bundle, its present values from ConfigAdmin, validation of new values against its attribute definitions,
 * and the change as one {@link Configuration#update} (all or nothing).
 * <p>
 * PIDs that the configuration loader derives from cell.yaml (or the launcher from the command line) are read-only
 * here: a change in ConfigAdmin would bypass cell.yaml's validation and snapshots and be overwritten at the next load.
 * Third-party bundles' components (Felix HTTP, whose connector the console's HTTPS setup writes) are not listed.
 */
final class Components {

    /** The policy section every other component is configured under: {@code components/<pid>}. */
    static final String SECTION = "components";
    /** Bundles whose components are listed. */
    static final String BUNDLE_PREFIX = "io.cellgate.";
    /** Longest text value accepted for one field (the form and the API). */
    static final int MAX_TEXT = 1024;
    /** Most values of one multi-valued field. */
    static final int MAX_VALUES = 100;

    /** PIDs written from cell.yaml: the section that sets them. */
    static final Map<String, String> FROM_CELL_YAML = Map.of(
            "cellgate.cell", "cell", "cellgate.device", "devices", "cellgate.opcua", "opcua",
            "cellgate.pki", "opcua (certificate)", "cellgate.mqtt", "mqtt", "cellgate.sparkplug", "sparkplug",
            "cellgate.audit", "audit", "cellgate.console", "console");
    /** PIDs written by the launcher from its command line: the option that sets them. */
    static final Map<String, String> FROM_COMMAND_LINE = Map.of("cellgate.config", "--config",
            "cellgate.runtime", "--state");
    /** Security components: changed with the management action of their area, not with configure. */
    static final Map<String, Resource> SECURITY = Map.of("cellgate.identity", Resource.section("users"),
            "cellgate.policy", Resource.section("policy"));

    /** One attribute of a component's form. */
    record Field(String id, String name, String description, int type, int cardinality, List<String> optionValues,
            List<String> optionLabels, List<String> defaults) {

        boolean password() {
            return type == AttributeDefinition.PASSWORD;
        }

        boolean multi() {
            return cardinality != 0;
        }

        /** The kind shown to people and in the API: string, int, long, double, boolean, password, ... */
        String kind() {
            return typeName(type);
        }
    }

    /**
     * One configurable component (or one instance of a factory).
     *
     * @param managedBy why it is read-only here ("configured in cell.yaml, section opcua"), or null when it can be changed
     * @param values    the present values (passwords never: {@link #passwordSet} says whether one is set)
     * @param configured whether a configuration exists (else the values are the defaults)
     */
    record Component(String pid, String factoryPid, String name, String description, String bundle, List<Field> fields,
            Map<String, Object> values, Map<String, Boolean> passwordSet, boolean configured, String managedBy) {

        boolean editable() {
            return managedBy == null;
        }

        Optional<Field> field(String id) {
            return fields.stream().filter(f -> f.id().equals(id)).findFirst();
        }

        /** What the policy is asked before a change. */
        Action action() {
            return SECURITY.containsKey(pid) ? (pid.equals("cellgate.identity") ? Action.MANAGE_USERS : Action.MANAGE_POLICY)
                    : Action.CONFIGURE;
        }

        Resource resource() {
            return SECURITY.getOrDefault(pid, Resource.section(SECTION + "/" + pid));
        }
    }


    /** Invalid input: every field error, in form order. */
    static final class InvalidException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient List<FieldError> errors;

        InvalidException(List<FieldError> errors) {
            super(errors.get(0).toString() + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""));
            this.errors = List.copyOf(errors);
        }

        List<FieldError> errors() {
            return errors;
        }
    }

    /** A validated change: the whole new property set and the ids of the fields whose value differs. */
    record Change(Component component, Map<String, Object> properties, List<String> changed) {
    }

    private final Supplier<MetaTypeService> metatype;
    private final Supplier<ConfigurationAdmin> configAdmin;
    private final Supplier<BundleContext> context;

    Components(Supplier<MetaTypeService> metatype, Supplier<ConfigurationAdmin> configAdmin) {
        this(metatype, configAdmin, () -> FrameworkUtil.getBundle(Components.class).getBundleContext());
    }

    Components(Supplier<MetaTypeService> metatype, Supplier<ConfigurationAdmin> configAdmin, Supplier<BundleContext> context) {
        this.metatype = metatype;
        this.configAdmin = configAdmin;
        this.context = context;
    }

    /** Whether MetaType and ConfigAdmin are running (without them there is nothing to show). */
    boolean available() {
        return metatype.get() != null && configAdmin.get() != null && context.get() != null;
    }

    /** Every component, sorted by PID. */
    List<Component> list() throws IOException {
        MetaTypeService mts = metatype.get();
        ConfigurationAdmin cm = configAdmin.get();
        BundleContext bc = context.get();
        if (mts == null || cm == null || bc == null) {
            return List.of();
        }
        TreeMap<String, Component> all = new TreeMap<>();
        for (Bundle b : bc.getBundles()) {
            String bsn = b.getSymbolicName();
            if (bsn == null || !bsn.startsWith(BUNDLE_PREFIX) || b.getState() != Bundle.ACTIVE) {
                continue;
            }
            MetaTypeInformation info = mts.getMetaTypeInformation(b);
            if (info == null) {
                continue;
            }
            for (String pid : info.getPids()) {
                ObjectClassDefinition ocd = info.getObjectClassDefinition(pid, null);
                all.put(pid, component(pid, null, ocd, bsn, configuration(cm, "(" + Constants.SERVICE_PID + "=" + pid + ")")));
            }
            for (String factory : info.getFactoryPids()) {
                ObjectClassDefinition ocd = info.getObjectClassDefinition(factory, null);
                for (Configuration c : configurations(cm, "(" + ConfigurationAdmin.SERVICE_FACTORYPID + "=" + factory + ")")) {
                    all.put(c.getPid(), component(c.getPid(), factory, ocd, bsn, Optional.of(c)));
                }
            }
        }
        return List.copyOf(all.values());
    }

    Optional<Component> find(String pid) throws IOException {
        if (pid == null) {
            return Optional.empty();
        }
        return list().stream().filter(c -> c.pid().equals(pid)).findFirst();
    }

    private static Optional<Configuration> configuration(ConfigurationAdmin cm, String filter) throws IOException {
        Configuration[] found = configurations(cm, filter);
        return found.length == 0 ? Optional.empty() : Optional.of(found[0]);
    }

    private static Configuration[] configurations(ConfigurationAdmin cm, String filter) throws IOException {
        try {
            Configuration[] found = cm.listConfigurations(filter);
            return found == null ? new Configuration[0] : found;
        } catch (InvalidSyntaxException e) {
            // the filter is built from a PID the MetaType service listed; a PID with filter characters is not ours
            return new Configuration[0];
        }
    }

    private static Component component(String pid, String factoryPid, ObjectClassDefinition ocd, String bundle,
            Optional<Configuration> config) {
        List<Field> fields = new ArrayList<>();
        AttributeDefinition[] ads = ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
        for (AttributeDefinition ad : ads == null ? new AttributeDefinition[0] : ads) {
            fields.add(new Field(ad.getID(), Objects.requireNonNullElse(ad.getName(), ad.getID()), ad.getDescription(),
                    ad.getType(), ad.getCardinality(), list(ad.getOptionValues()), list(ad.getOptionLabels()),
                    list(ad.getDefaultValue())));
        }
        Dictionary<String, Object> props = config.map(Configuration::getProperties).orElse(null);
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Boolean> passwordSet = new LinkedHashMap<>();
        for (Field f : fields) {
            Object v = props == null ? null : props.get(f.id());
            if (f.password()) {
                passwordSet.put(f.id(), v != null && !String.valueOf(v).isEmpty());
            } else if (v != null) {
                values.put(f.id(), v);
            }
        }
        String key = factoryPid != null ? factoryPid : pid;
        String managedBy = FROM_CELL_YAML.containsKey(key) ? "configured in cell.yaml, section " + FROM_CELL_YAML.get(key)
                : FROM_COMMAND_LINE.containsKey(key) ? "set by the gateway's command line (" + FROM_COMMAND_LINE.get(key) + ")"
                : null;
        return new Component(pid, factoryPid, Objects.requireNonNullElse(ocd.getName(), pid), ocd.getDescription(), bundle,
                List.copyOf(fields), values, passwordSet, props != null, managedBy);
    }

    private static List<String> list(String[] a) {
        return a == null ? List.of() : List.of(Arrays.stream(a).map(s -> s == null ? "" : s).toArray(String[]::new));
    }

    /**
     * Validates new values for {@code c}: {@code input} maps field ids to their texts (one per value); a field not in it
     * keeps its present value, an empty password keeps the present password. Every field is checked (type, options,
     * the attribute definition's own validation with its min and max), and every error is reported.
     *
     * @throws InvalidException naming each refused field and why
     */
    static Change validate(Component c, Map<String, List<String>> input) throws InvalidException {
        List<FieldError> errors = new ArrayList<>();
        for (String id : input.keySet()) {
            if (c.field(id).isEmpty()) {
                errors.add(new FieldError(id, "unknown field of " + c.pid() + " (fields: "
                        + String.join(", ", c.fields().stream().map(Field::id).toList()) + ")"));
            }
        }
        Map<String, Object> next = new LinkedHashMap<>();
        List<String> changed = new ArrayList<>();
        for (Field f : c.fields()) {
            List<String> texts = input.get(f.id());
            if (texts == null || (f.password() && texts.stream().allMatch(String::isEmpty))) {
                continue;
            }
            try {
                Object value = typed(f, texts);
                next.put(f.id(), value);
                if (f.password() || !same(value, c.values().get(f.id()))) {
                    changed.add(f.id());
                }
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(f.id(), e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidException(errors);
        }
        return new Change(c, next, List.copyOf(changed));
    }

    /** The texts of one field as the value ConfigAdmin stores (scalar, array or list by cardinality). */
    static Object typed(Field f, List<String> texts) {
        List<String> values = new ArrayList<>();
        for (String t : texts) {
            if (t.length() > MAX_TEXT) {
                throw new IllegalArgumentException("longer than " + MAX_TEXT + " characters");
            }
            if (f.multi()) {
                // a multi-valued field comes as one text per line from the form
                for (String line : t.split("\\R")) {
                    if (!line.isBlank()) {
                        values.add(line.trim());
                    }
                }
            } else {
                values.add(f.type() == AttributeDefinition.STRING || f.password() ? t : t.trim());
            }
        }
        if (!f.multi()) {
            if (values.size() != 1) {
                throw new IllegalArgumentException("exactly one value expected, got " + values.size());
            }
            return scalar(f, values.get(0));
        }
        // MAX_VALUE (array) and MIN_VALUE (list) mean unbounded; -n is a list of at most n
        int max = f.cardinality() == Integer.MAX_VALUE || f.cardinality() == Integer.MIN_VALUE ? MAX_VALUES
                : Math.min(Math.abs(f.cardinality()), MAX_VALUES);
        if (values.size() > max) {
            throw new IllegalArgumentException("at most " + max + " values, got " + values.size());
        }
        List<Object> typed = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            try {
                typed.add(scalar(f, values.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("value " + (i + 1) + ": " + e.getMessage());
            }
        }
        if (f.cardinality() < 0) {
            return List.copyOf(typed);
        }
        Object array = java.lang.reflect.Array.newInstance(javaType(f.type()), typed.size());
        for (int i = 0; i < typed.size(); i++) {
            java.lang.reflect.Array.set(array, i, typed.get(i));
        }
        return array;
    }

    private static Object scalar(Field f, String text) {
        String shown = "'" + Values.clip(text) + "'";
        Object value;
        try {
            value = switch (f.type()) {
                case AttributeDefinition.LONG -> Long.valueOf(text);
                case AttributeDefinition.INTEGER -> Integer.valueOf(text);
                case AttributeDefinition.SHORT -> Short.valueOf(text);
                case AttributeDefinition.BYTE -> Byte.valueOf(text);
                case AttributeDefinition.DOUBLE -> finite(Double.valueOf(text), shown);
                case AttributeDefinition.FLOAT -> (float) finite(Float.valueOf(text).doubleValue(), shown);
                case AttributeDefinition.CHARACTER -> {
                    if (text.length() != 1) {
                        throw new IllegalArgumentException(shown + " is not one character");
                    }
                    yield text.charAt(0);
                }
                case AttributeDefinition.BOOLEAN -> {
                    if (!text.equals("true") && !text.equals("false")) {
                        throw new IllegalArgumentException(shown + " is not true or false");
                    }
                    yield Boolean.valueOf(text);
                }
                default -> text;
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(shown + " is not " + numberKind(f.type()));
        }
        if (!f.optionValues().isEmpty() && !f.optionValues().contains(text)) {
            throw new IllegalArgumentException(shown + " is not one of " + String.join(", ", f.optionValues()));
        }
        return value;
    }

    private static double finite(double d, String shown) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException(shown + " is not a finite number");
        }
        return d;
    }

    /**
     * The attribute definition's own check (min, max, options, required), in the words of the MetaType service (Felix
     * answers with keys such as {@code %greater than maximum}). Null or empty: valid.
     */
    static String adCheck(AttributeDefinition ad, Field f, Object value) {
        String text;
        if (value instanceof List<?> l) {
            text = String.join(",", l.stream().map(v -> escapeComma(String.valueOf(v))).toList());
        } else if (value != null && value.getClass().isArray()) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < java.lang.reflect.Array.getLength(value); i++) {
                parts.add(escapeComma(String.valueOf(java.lang.reflect.Array.get(value, i))));
            }
            text = String.join(",", parts);
        } else {
            text = f.multi() ? escapeComma(String.valueOf(value)) : String.valueOf(value);
        }
        String r = ad.validate(text);
        if (r == null || r.isEmpty()) {
            return null;
        }
        return r.startsWith("%") ? r.substring(1) : r;
    }

    private static String escapeComma(String s) {
        return s.replace("\\", "\\\\").replace(",", "\\,");
    }

    /**
     * Runs every new value through its attribute definition's {@code validate} (the bounds declared with min and max,
     * which the {@code AttributeDefinition} interface does not expose otherwise).
     */
    void checkBounds(Change change) throws InvalidException, IOException {
        MetaTypeService mts = metatype.get();
        BundleContext bc = context.get();
        if (mts == null || bc == null) {
            throw new IOException("the MetaType service is not running");
        }
        Component c = change.component();
        ObjectClassDefinition ocd = null;
        for (Bundle b : bc.getBundles()) {
            if (c.bundle().equals(b.getSymbolicName())) {
                MetaTypeInformation info = mts.getMetaTypeInformation(b);
                if (info != null) {
                    ocd = info.getObjectClassDefinition(c.factoryPid() != null ? c.factoryPid() : c.pid(), null);
                }
            }
        }
        if (ocd == null) {
            throw new IOException("the definition of " + c.pid() + " is gone (bundle " + c.bundle() + " stopped?)");
        }
        List<FieldError> errors = new ArrayList<>();
        for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
            Optional<Field> f = c.field(ad.getID());
            Object value = change.properties().get(ad.getID());
            if (f.isPresent() && value != null && !(f.get().password())) {
                String problem = adCheck(ad, f.get(), value);
                if (problem != null) {
                    errors.add(new FieldError(ad.getID(), "'" + Values.clip(display(value)) + "': " + problem));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidException(errors);
        }
    }

    /**
     * Applies a validated change as one {@link Configuration#update}: the configuration's other properties (those
     * written by someone else) are kept, so nothing is half-applied and nothing else is lost.
     */
    void apply(Change change) throws IOException {
        ConfigurationAdmin cm = configAdmin.get();
        if (cm == null) {
            throw new IOException("ConfigAdmin is not running");
        }
        Component c = change.component();
        Configuration config = c.factoryPid() == null ? cm.getConfiguration(c.pid(), "?")
                : configuration(cm, "(" + Constants.SERVICE_PID + "=" + c.pid() + ")")
                        .orElseThrow(() -> new IOException("the configuration " + c.pid() + " was deleted meanwhile"));
        Dictionary<String, Object> old = config.getProperties();
        Hashtable<String, Object> next = new Hashtable<>();
        if (old != null) {
            for (var keys = old.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                next.put(k, old.get(k));
            }
        }
        next.putAll(change.properties());
        config.update(next);
    }

    static boolean same(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        return display(a).equals(display(b));
    }

    /** A value as text: scalars as they are, arrays and lists one value per line. */
    static String display(Object v) {
        if (v == null) {
            return "";
        }
        if (v.getClass().isArray()) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < java.lang.reflect.Array.getLength(v); i++) {
                parts.add(String.valueOf(java.lang.reflect.Array.get(v, i)));
            }
            return String.join("\n", parts);
        }
        if (v instanceof java.util.Collection<?> col) {
            return String.join("\n", col.stream().map(String::valueOf).toList());
        }
        return v.toString();
    }

    static String typeName(int type) {
        return switch (type) {
            case AttributeDefinition.LONG -> "long";
            case AttributeDefinition.INTEGER -> "int";
            case AttributeDefinition.SHORT -> "short";
            case AttributeDefinition.BYTE -> "byte";
            case AttributeDefinition.DOUBLE -> "double";
            case AttributeDefinition.FLOAT -> "float";
            case AttributeDefinition.CHARACTER -> "char";
            case AttributeDefinition.BOOLEAN -> "boolean";
            case AttributeDefinition.PASSWORD -> "password";
            default -> "string";
        };
    }

    private static String numberKind(int type) {
        return switch (type) {
            case AttributeDefinition.DOUBLE, AttributeDefinition.FLOAT -> "a number";
            case AttributeDefinition.LONG -> "a whole number (long)";
            case AttributeDefinition.SHORT -> "a whole number from -32768 to 32767";
            case AttributeDefinition.BYTE -> "a whole number from -128 to 127";
            default -> "a whole number from -2147483648 to 2147483647";
        };
    }

    private static Class<?> javaType(int type) {
        return switch (type) {
            case AttributeDefinition.LONG -> Long.class;
            case AttributeDefinition.INTEGER -> Integer.class;
            case AttributeDefinition.SHORT -> Short.class;
            case AttributeDefinition.BYTE -> Byte.class;
            case AttributeDefinition.DOUBLE -> Double.class;
            case AttributeDefinition.FLOAT -> Float.class;
            case AttributeDefinition.CHARACTER -> Character.class;
            case AttributeDefinition.BOOLEAN -> Boolean.class;
            default -> String.class;
        };
    }
}
