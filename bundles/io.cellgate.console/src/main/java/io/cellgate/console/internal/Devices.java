package io.cellgate.console.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.ProfileRegistry;
import io.cellgate.api.policy.Action;
import io.cellgate.api.policy.Decision;
import io.cellgate.api.policy.Resource;
import io.cellgate.api.read.TagReader;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.config.ConfigEditor;
import io.cellgate.config.ConfigError;
import io.cellgate.identity.Identity;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devices of the cell as the console and the REST API change them: each change is checked by the access policy
 * ({@code configure} on {@code devices/<id>}), validated field by field, turned into an edit of cell.yaml
 * ({@link CellYaml}) and handed to {@link ConfigEditor}, which validates the whole file again, applies it, snapshots
 * it and audits it with the caller's identity. Nothing is half-applied: either the whole edited file is applied or
 * nothing is.
 */
final class Devices {

    private static final Logger LOG = LoggerFactory.getLogger(Devices.class);

    static final List<String> PROTOCOLS = List.of("modbus-tcp", "modbus-rtu-over-tcp", "modbus-rtu");
    static final List<String> PARITIES = List.of("none", "even", "odd");
    static final List<Long> BAUD_RATES = List.of(1200L, 2400L, 4800L, 9600L, 19200L, 38400L, 57600L, 115200L,
            230400L, 460800L, 921600L);
    static final List<String> TAG_FIELDS = List.of("description", "unit", "scale", "offset", "access", "min", "max",
            "deadband", "pollGroup");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.:-]{0,252})");
    private static final Pattern DURATION = Pattern.compile("[0-9]{1,9}(ms|s|m|h)");
    private static final Pattern ERROR_PATH = Pattern.compile("devices\\[(\\d+)]\\.?(.*)");

    private final Supplier<ConfigEditor> editor;
    private final Supplier<ProfileRegistry> profiles;
    private final Supplier<TagReader> reader;
    private final Status status;
    private final Guard guard;

    Devices(Supplier<ConfigEditor> editor, Supplier<ProfileRegistry> profiles, Supplier<TagReader> reader, Status status,
            Guard guard) {
        this.editor = editor;
        this.profiles = profiles;
        this.reader = reader;
        this.status = status;
        this.guard = guard;
    }


    /** What a change did: an HTTP status, one sentence, and the refused fields. */
    record Outcome(int status, String message, List<FieldError> errors) {
        Outcome {
            errors = List.copyOf(errors);
        }

        boolean ok() {
            return status < 300;
        }

        static Outcome fail(int status, String message) {
            return new Outcome(status, message, List.of());
        }
    }

    /** One device as written in cell.yaml, with its state on the bus. */
    record Row(CellYaml.Entry entry, Optional<DeviceState> state) {
        String id() {
            return entry.id();
        }

        String profile() {
            return entry.string("profile");
        }

        String endpoint() {
            Map<String, Object> ep = entry.map("endpoint");
            Object protocol = ep.get("protocol");
            if (ep.containsKey("serialPort")) {
                return protocol + " " + ep.get("serialPort") + " " + ep.getOrDefault("baudRate", "") + " "
                        + ep.getOrDefault("parity", "");
            }
            return protocol + " " + ep.getOrDefault("host", "") + ":" + ep.getOrDefault("port", "502");
        }

        String unitId() {
            return String.valueOf(entry.values().getOrDefault("unitId", "1"));
        }
    }

    boolean available() {
        return editor.get() != null;
    }

    /** The devices of the current cell.yaml, in file order. */
    List<Row> list() {
        ConfigEditor e = editor.get();
        if (e == null) {
            return List.of();
        }
        CellYaml y = CellYaml.parse(e.current().text());
        Map<String, DeviceState> states = new LinkedHashMap<>();
        status.devices().forEach(s -> states.put(s.deviceId(), s));
        return y.devices().stream().filter(d -> d.id() != null).map(d -> new Row(d, Optional.ofNullable(states.get(d.id()))))
                .toList();
    }

    Optional<Row> find(String id) {
        return list().stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** The cell's poll group names (for the form's hint). */
    List<String> pollGroups() {
        ConfigEditor e = editor.get();
        return e == null ? List.of() : CellYaml.parse(e.current().text()).pollGroups();
    }

    /**
     * The profiles a device can be added with: every valid one on the cell's profile search path (the registry's
     * library), by id, without the device-specific copies.
     */
    List<DeviceProfile> profileChoices() {
        ProfileRegistry p = profiles.get();
        if (p == null) {
            return List.of();
        }
        return p.library().stream().filter(d -> d.id().indexOf('@') < 0)
                .sorted(java.util.Comparator.comparing(DeviceProfile::id)).toList();
    }

    /** The invalid profile files on the search path that are not offered, each as file:line:column: message. */
    List<String> profileProblems() {
        ProfileRegistry p = profiles.get();
        return p == null ? List.of() : p.libraryProblems();
    }

    Optional<DeviceProfile> profile(String id) {
        ProfileRegistry p = profiles.get();
        return p == null || id == null ? Optional.empty() : p.profile(id);
    }

    /** May {@code who} change devices? A preview for showing the controls; every change decides again. */
    boolean mayConfigure(Identity who, String deviceId, String channel, String source) {
        return guard.allows(who, Action.CONFIGURE, Resource.section(deviceId == null ? "devices" : "devices/" + deviceId),
                channel, source);
    }

    // ---------------------------------------------------------------- changes

    Outcome create(Identity who, String channel, String source, Map<String, String> form) {
        String id = trim(form.get("id"));
        return change(who, channel, source, id == null ? "devices" : "devices/" + id, "device.add", y -> {
            List<FieldError> errors = new ArrayList<>();
            if (id == null) {
                errors.add(new FieldError("id", "required: a name for the device (letters, digits, '_', '-', '.')"));
            } else if (!TagPath.NAME.matcher(id).matches()) {
                errors.add(new FieldError("id", "'" + Values.clip(id) + "' is not a valid id: letters, digits, '_', '-', "
                        + "'.', starting with a letter or digit, at most 64 characters"));
            } else if (y.device(id).isPresent()) {
                errors.add(new FieldError("id", "a device '" + id + "' exists already"));
            }
            Map<String, Object> device = new LinkedHashMap<>();
            device.put("id", id);
            fields(form, device, errors, true);
            if (!errors.isEmpty()) {
                throw new Invalid(errors);
            }
            return new Edit(y.addDevice(device), y.devices().size(), "device " + id + " added");
        });
    }

    /** Changes the fields present in {@code form}; absent fields stay as written. */
    Outcome update(Identity who, String channel, String source, String id, Map<String, String> form) {
        return change(who, channel, source, "devices/" + id, "device.update", y -> {
            CellYaml.Entry entry = existing(y, id);
            if (form.containsKey("id") && !id.equals(trim(form.get("id")))) {
                throw new Invalid(List.of(new FieldError("id", "a device's id cannot change (it is the first part of "
                        + "every tag path); add a new device and remove this one")));
            }
            Map<String, String> merged = new LinkedHashMap<>(form);
            if (!form.containsKey("protocol") && PROTOCOL_FIELDS.stream().anyMatch(form::containsKey)) {
                // Only some endpoint fields given (a script's {"host": ...}): the others as written.
                entry.map("endpoint").forEach((k, v) -> merged.putIfAbsent(k, String.valueOf(v)));
            }
            List<FieldError> errors = new ArrayList<>();
            Map<String, Object> values = new LinkedHashMap<>();
            fields(merged, values, errors, false);
            if (!errors.isEmpty()) {
                throw new Invalid(errors);
            }
            CellYaml edited = y;
            List<String> changed = new ArrayList<>();
            for (var e : values.entrySet()) {
                // Only what differs is rewritten: an unchanged key keeps its formatting and comments.
                if (!same(entry.values().get(e.getKey()), e.getValue())) {
                    edited = edited.setDeviceKey(id, e.getKey(), e.getValue());
                    changed.add(e.getKey());
                }
            }
            if (changed.isEmpty()) {
                throw new Invalid(List.of(new FieldError("device", "nothing changed: the values are the present ones")));
            }
            return new Edit(edited, entry.index(), "device " + id + " changed (" + String.join(", ", changed) + ")");
        });
    }

    Outcome setEnabled(Identity who, String channel, String source, String id, boolean enabled) {
        return change(who, channel, source, "devices/" + id, enabled ? "device.enable" : "device.disable", y -> {
            CellYaml.Entry entry = existing(y, id);
            // enabled: true is the default: enabling removes the key rather than writing it.
            return new Edit(y.setDeviceKey(id, "enabled", enabled ? null : Boolean.FALSE), entry.index(),
                    "device " + id + (enabled ? " enabled" : " disabled"));
        });
    }

    Outcome remove(Identity who, String channel, String source, String id) {
        return change(who, channel, source, "devices/" + id, "device.remove", y -> {
            CellYaml.Entry entry = existing(y, id);
            return new Edit(y.removeDevice(id), entry.index(), "device " + id + " removed");
        });
    }

    /** Sets a tag's overrides from a form: an empty field means the profile's value. */
    Outcome editTag(Identity who, String channel, String source, String id, String tag, Map<String, String> form) {
        return change(who, channel, source, "devices/" + id, "device.tag", y -> {
            CellYaml.Entry entry = existing(y, id);
            DeviceProfile base = baseProfile(entry);
            var def = base.tag(tag == null ? "" : tag).orElseThrow(() -> new Invalid(List.of(new FieldError("tag",
                    "profile '" + base.id() + "' has no tag '" + Values.clip(String.valueOf(tag)) + "'"))));
            // One CSV row through the same checks as an import.
            List<String> header = new ArrayList<>(List.of("name"));
            List<String> row = new ArrayList<>(List.of(csvCell(def.name())));
            for (String f : TAG_FIELDS) {
                header.add(f);
                row.add(csvCell(Optional.ofNullable(form.get(f)).orElse("").trim()));
            }
            TagCsv.Parsed p = TagCsv.parseRows(String.join(",", header) + "\n" + String.join(",", row) + "\n", base,
                    List.of(def.name()));
            if (!p.errors().isEmpty()) {
                throw new Invalid(p.errors().stream().map(e -> new FieldError(e.column() == null ? "tag" : e.column(),
                        e.message())).toList());
            }
            return new Edit(y.setTagOverride(id, tag, p.overrides().get(tag)), entry.index(), "device " + id + " tag "
                    + tag + " changed");
        });
    }

    /** The device's tag list as CSV, or empty when the device or its profile is unknown. */
    Optional<String> exportCsv(String id) {
        ConfigEditor e = editor.get();
        if (e == null) {
            return Optional.empty();
        }
        Optional<CellYaml.Entry> entry = CellYaml.parse(e.current().text()).device(id);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        return profile(entry.get().string("profile")).map(p -> TagCsv.export(p, entry.get().map("tags")));
    }

    /** Replaces the device's tag overrides with what the CSV asks for: every row valid, or nothing changes. */
    Outcome importCsv(Identity who, String channel, String source, String id, String csv) {
        return change(who, channel, source, "devices/" + id, "device.tags.import", y -> {
            CellYaml.Entry entry = existing(y, id);
            if (csv == null || csv.isBlank()) {
                throw new Invalid(List.of(new FieldError("csv", "empty: paste or choose the CSV file (export the list "
                        + "to start from)")));
            }
            if (csv.length() > TagCsv.MAX_BYTES) {
                throw new Invalid(List.of(new FieldError("csv", "more than " + TagCsv.MAX_BYTES + " characters")));
            }
            DeviceProfile base = baseProfile(entry);
            TagCsv.Parsed p = TagCsv.parse(csv, base);
            if (!p.errors().isEmpty()) {
                throw new Invalid(p.errors().stream().map(e -> new FieldError(e.toString().substring(0,
                        e.toString().indexOf(": ")), e.message())).toList());
            }
            Map<String, Object> tags = new LinkedHashMap<>(p.overrides());
            return new Edit(y.setDeviceKey(id, "tags", tags.isEmpty() ? null : tags), entry.index(), "device " + id
                    + " tag list imported (" + tags.size() + " tag(s) differ from profile " + base.id() + ")");
        });
    }

    /** The result of a test read: the value, or why there is none. */
    record Read(int status, String message, TagValue value) {
    }

    /** Reads one tag now (policy: configure on the device and read on the tag); audited. */
    Read testRead(Identity who, String channel, String source, String id, String tag) {
        String path = id + "/" + tag;
        TagPath p;
        try {
            p = TagPath.parse(path);
        } catch (IllegalArgumentException e) {
            return new Read(HttpServletResponse.SC_BAD_REQUEST, "tag: " + Values.clip(e.getMessage()), null);
        }
        Decision d = guard.decide(who, Action.CONFIGURE, Resource.section("devices/" + id), channel, source, null);
        if (d.allowed()) {
            d = guard.decide(who, Action.READ, Resource.tag(path), channel, source, null);
        }
        if (!d.allowed()) {
            return new Read(HttpServletResponse.SC_FORBIDDEN, guard.denied(who, source, "device.test_read", path, d), null);
        }
        if (status.tag(p).isEmpty()) {
            return new Read(HttpServletResponse.SC_NOT_FOUND, "tag: " + path + " is not configured (a disabled or just "
                    + "added device's tags appear once it is applied)", null);
        }
        TagReader r = reader.get();
        if (r == null) {
            return new Read(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "test read: the core's tag reader is not running",
                    null);
        }
        if (!guard.record(guard.event(who.name(), source, "device.test_read", path, AuditEvent.Result.SUCCESS, null))) {
            return new Read(HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    "audit: the trail cannot record the read now; nothing was read", null);
        }
        Optional<TagValue> v = r.readNow(p);
        if (v.isEmpty()) {
            return new Read(HttpServletResponse.SC_NOT_FOUND, "tag: " + path + " is not configured (a disabled or just "
                    + "added device's tags appear once it is applied)", null);
        }
        return new Read(HttpServletResponse.SC_OK, v.get().isGood() ? "read " + path : "the device did not give a good "
                + "value: " + Pages.quality(v.get()), v.get());
    }

    // ---------------------------------------------------------------- the change itself

    /** An edited cell.yaml, the index of the device it is about (to map the loader's errors), and its reason. */
    private record Edit(CellYaml yaml, int deviceIndex, String reason) {
    }

    private static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient List<FieldError> errors;

        Invalid(List<FieldError> errors) {
            super(errors.get(0).field() + ": " + errors.get(0).reason(), null, false, false);
            this.errors = errors;
        }
    }

    private static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(message, null, false, false);
        }
    }

    private interface Editing {
        Edit apply(CellYaml current);
    }

    private Outcome change(Identity who, String channel, String source, String resource, String action, Editing editing) {
        Decision d = guard.decide(who, Action.CONFIGURE, Resource.section(resource), channel, source, null);
        if (!d.allowed()) {
            return Outcome.fail(HttpServletResponse.SC_FORBIDDEN, guard.denied(who, source, action, resource, d));
        }
        ConfigEditor e = editor.get();
        if (e == null) {
            return Outcome.fail(HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    "configuration: the configuration editor is not running; nothing was changed");
        }
        ConfigEditor.Current current = e.current();
        Edit edit;
        try {
            edit = editing.apply(CellYaml.parse(current.text()));
        } catch (Invalid i) {
            return new Outcome(HttpServletResponse.SC_BAD_REQUEST, "Not changed: " + i.errors.size() + " field(s) refused.",
                    i.errors);
        } catch (NotFound n) {
            return Outcome.fail(HttpServletResponse.SC_NOT_FOUND, n.getMessage());
        } catch (IllegalArgumentException x) {
            return Outcome.fail(HttpServletResponse.SC_CONFLICT, "cell.yaml: " + x.getMessage());
        }
        ConfigEditor.ChangeResult result = e.change(edit.yaml().text(), current.sha256(), who.name(),
                edit.reason() + " (" + channel + ")");
        LOG.info("console: {} by {} from {}: {} - {}", action, who.name(), source, edit.reason(), result.outcome());
        return switch (result.outcome()) {
            case APPLIED -> new Outcome(HttpServletResponse.SC_OK, "Applied: " + edit.reason() + snapshot(result) + ".",
                    List.of());
            case ROLLED_BACK -> Outcome.fail(HttpServletResponse.SC_CONFLICT, result.message());
            case CONFLICT -> Outcome.fail(HttpServletResponse.SC_CONFLICT, "cell.yaml was changed meanwhile by someone "
                    + "else; nothing was changed. Reload the page and make the change again.");
            case INVALID -> new Outcome(HttpServletResponse.SC_BAD_REQUEST, "Not changed: the configuration would be "
                    + "invalid.", loaderErrors(result.errors(), edit.deviceIndex()));
            case FAILED -> Outcome.fail(HttpServletResponse.SC_INTERNAL_SERVER_ERROR, result.message());
        };
    }

    private static String snapshot(ConfigEditor.ChangeResult r) {
        return r.snapshot().map(s -> " (snapshot " + s.id() + ")").orElse("");
    }

    /** The loader's errors about this device by field ({@code endpoint.port} becomes {@code port}); others as they are. */
    static List<FieldError> loaderErrors(Collection<ConfigError> errors, int deviceIndex) {
        List<FieldError> out = new ArrayList<>();
        for (ConfigError e : errors) {
            Matcher m = ERROR_PATH.matcher(e.path());
            if (e.file().equals("cell.yaml") && m.matches() && Integer.parseInt(m.group(1)) == deviceIndex) {
                String field = m.group(2);
                if (field.startsWith("pollGroups.")) {
                    field = "pollGroups";
                } else if (field.startsWith("endpoint.")) {
                    field = field.substring("endpoint.".length());
                } else if (field.startsWith("tags.")) {
                    field = field.substring("tags.".length());
                } else if (field.isEmpty()) {
                    field = "device";
                }
                out.add(new FieldError(field, e.message()));
            } else {
                out.add(new FieldError(e.file() + (e.line() > 0 ? ":" + e.line() : "") + (e.path().isEmpty() ? ""
                        : " " + e.path()), e.message()));
            }
        }
        return out;
    }

    private static CellYaml.Entry existing(CellYaml y, String id) {
        return y.device(id == null ? "" : id).orElseThrow(() -> new NotFound("device: no device '"
                + Values.clip(String.valueOf(id)) + "' in cell.yaml"));
    }

    private DeviceProfile baseProfile(CellYaml.Entry entry) {
        String id = entry.string("profile");
        return profile(id).orElseThrow(() -> new Invalid(List.of(new FieldError("profile", "profile '" + id
                + "' is not loaded by the gateway (the device's configuration is not applied yet)"))));
    }

    /**
     * Reads the device fields of a form into cell.yaml values (null = remove the key). With {@code all}, every field
     * is read (a new device); otherwise only those present.
     */
    private static void fields(Map<String, String> form, Map<String, Object> out, List<FieldError> errors, boolean all) {
        if (all || form.containsKey("name")) {
            String name = trim(form.get("name"));
            if (name != null && (name.length() > 128 || name.chars().anyMatch(Character::isISOControl))) {
                errors.add(new FieldError("name", "at most 128 characters, no control characters"));
            }
            out.put("name", name);
        }
        if (all || form.containsKey("profile")) {
            String profile = trim(form.get("profile"));
            if (profile == null) {
                errors.add(new FieldError("profile", "required: the device profile (its register map)"));
            } else if (!TagPath.NAME.matcher(profile).matches()) {
                errors.add(new FieldError("profile", "'" + Values.clip(profile) + "' is not a profile id"));
            }
            out.put("profile", profile);
        }
        if (all || form.containsKey("enabled")) {
            String enabled = trim(form.get("enabled"));
            if (enabled != null && !enabled.equals("true") && !enabled.equals("false")) {
                errors.add(new FieldError("enabled", "'" + Values.clip(enabled) + "' is not true or false"));
            }
            out.put("enabled", "false".equals(enabled) ? Boolean.FALSE : null);
        }
        boolean endpoint = all || PROTOCOL_FIELDS.stream().anyMatch(form::containsKey);
        if (endpoint) {
            Map<String, Object> ep = endpoint(form, errors);
            out.put("endpoint", ep);
        }
        if (all || form.containsKey("unitId")) {
            Long unit = integer(form, "unitId", 0, 255, errors);
            out.put("unitId", unit);
        }
        if (all || form.containsKey("pollGroups")) {
            out.put("pollGroups", pollGroups(trim(form.get("pollGroups")), errors));
        }
    }

    static final List<String> PROTOCOL_FIELDS = List.of("protocol", "host", "port", "serialPort", "baudRate", "parity",
            "dataBits", "stopBits");

    private static Map<String, Object> endpoint(Map<String, String> form, List<FieldError> errors) {
        Map<String, Object> ep = new LinkedHashMap<>();
        String protocol = trim(form.get("protocol"));
        if (protocol == null || !PROTOCOLS.contains(protocol.toLowerCase(Locale.ROOT))) {
            errors.add(new FieldError("protocol", protocol == null ? "required: one of " + String.join(", ", PROTOCOLS)
                    : "'" + Values.clip(protocol) + "' is not one of " + String.join(", ", PROTOCOLS)));
            return ep;
        }
        protocol = protocol.toLowerCase(Locale.ROOT);
        ep.put("protocol", protocol);
        if (protocol.equals("modbus-rtu")) {
            String port = trim(form.get("serialPort"));
            if (port == null) {
                errors.add(new FieldError("serialPort", "required for modbus-rtu: the serial device, e.g. /dev/ttyUSB0"));
            } else if (!port.matches("/dev/[A-Za-z0-9_./-]{1,64}") || port.contains("..")) {
                errors.add(new FieldError("serialPort", "'" + Values.clip(port) + "' is not a device path under /dev/"));
            }
            ep.put("serialPort", port);
            Long baud = integer(form, "baudRate", 1, 10_000_000, errors);
            if (baud == null && trim(form.get("baudRate")) == null) {
                errors.add(new FieldError("baudRate", "required for modbus-rtu: one of " + BAUD_RATES));
            } else if (baud != null && !BAUD_RATES.contains(baud)) {
                errors.add(new FieldError("baudRate", baud + " is not a standard baud rate: use one of " + BAUD_RATES));
            }
            ep.put("baudRate", baud);
            String parity = trim(form.get("parity"));
            if (parity == null || !PARITIES.contains(parity)) {
                errors.add(new FieldError("parity", (parity == null ? "required" : "'" + Values.clip(parity) + "' is not valid")
                        + ": one of none, even, odd"));
            }
            ep.put("parity", parity);
            Long dataBits = integer(form, "dataBits", 7, 8, errors);
            if (dataBits != null) {
                ep.put("dataBits", dataBits);
            }
            Long stopBits = integer(form, "stopBits", 1, 2, errors);
            if (stopBits != null) {
                ep.put("stopBits", stopBits);
            }
            for (String f : List.of("host", "port")) {
                if (trim(form.get(f)) != null) {
                    errors.add(new FieldError(f, "does not apply to modbus-rtu (a serial line): leave it empty"));
                }
            }
        } else {
            String host = trim(form.get("host"));
            if (host == null) {
                errors.add(new FieldError("host", "required for " + protocol + ": the device's IP address or host name"));
            } else if (!HOST.matcher(host).matches()) {
                errors.add(new FieldError("host", "'" + Values.clip(host) + "' is not a host name or IP address"));
            }
            ep.put("host", host);
            Long port = integer(form, "port", 1, 65535, errors);
            if (port != null) {
                ep.put("port", port);
            }
            for (String f : List.of("serialPort", "baudRate", "parity", "dataBits", "stopBits")) {
                if (trim(form.get(f)) != null) {
                    errors.add(new FieldError(f, "does not apply to " + protocol + " (a network endpoint): leave it empty"));
                }
            }
        }
        return ep;
    }

    private static Map<String, Object> pollGroups(String text, List<FieldError> errors) {
        if (text == null) {
            return null;
        }
        Map<String, Object> groups = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=') >= 0 ? p.indexOf('=') : p.indexOf(':');
            if (eq <= 0) {
                errors.add(new FieldError("pollGroups", "'" + Values.clip(p) + "': write name=interval, e.g. fast=500ms"));
                continue;
            }
            String name = p.substring(0, eq).trim();
            String interval = p.substring(eq + 1).trim();
            if (!TagPath.NAME.matcher(name).matches()) {
                errors.add(new FieldError("pollGroups", "'" + Values.clip(name) + "' is not a poll group name"));
            } else if (!DURATION.matcher(interval).matches()) {
                errors.add(new FieldError("pollGroups", "'" + Values.clip(interval) + "' for " + name
                        + " is not a duration: a whole number and ms, s, m or h, e.g. 500ms"));
            } else {
                groups.put(name, interval);
            }
        }
        return groups.isEmpty() ? null : groups;
    }

    private static Long integer(Map<String, String> form, String field, long min, long max, List<FieldError> errors) {
        String s = trim(form.get(field));
        if (s == null) {
            return null;
        }
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            errors.add(new FieldError(field, "'" + Values.clip(s) + "' is not a whole number"));
            return null;
        }
        if (v < min || v > max) {
            errors.add(new FieldError(field, v + " is outside " + min + ".." + max));
            return null;
        }
        return v;
    }

    /** Equal as cell.yaml values: absent and null alike, numbers and their text alike, mappings entry by entry. */
    static boolean same(Object written, Object wanted) {
        if (written instanceof Map<?, ?> a && wanted instanceof Map<?, ?> b) {
            Map<String, String> x = new LinkedHashMap<>();
            Map<String, String> y = new LinkedHashMap<>();
            a.forEach((k, v) -> x.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
            b.forEach((k, v) -> y.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
            x.values().removeIf(java.util.Objects::isNull);
            y.values().removeIf(java.util.Objects::isNull);
            return x.equals(y);
        }
        if (written == null || wanted == null) {
            return written == wanted;
        }
        return String.valueOf(written).equals(String.valueOf(wanted));
    }

    /** A tag's value for the page, when {@code who} may read it. */
    Optional<TagValue> value(Identity who, TagPath path, String channel, String source) {
        return guard.mayRead(who, path.toString(), channel, source) ? status.value(path) : Optional.empty();
    }

    static String trim(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        return t.isEmpty() ? null : t;
    }

    private static String csvCell(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
