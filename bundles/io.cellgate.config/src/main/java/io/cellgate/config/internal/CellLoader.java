package io.cellgate.config.internal;

import io.cellgate.api.config.CellConfig;
import io.cellgate.api.config.DeviceConfig;
import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.Endpoint;
import io.cellgate.api.config.PollGroup;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.api.tag.TagPath;
import io.cellgate.config.LoadResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Loads a configuration directory: {@code cell.yaml} plus the profiles its devices reference, found on
 * the profile search path. Collects every error; returns a {@link CellConfig} only when there is none.
 */
public final class CellLoader {

    public static final String CELL_FILE = "cell.yaml";
    public static final List<String> DEFAULT_PROFILE_DIRS = List.of("profiles");

    static final long DEFAULT_TIMEOUT_MS = 1000;
    static final int DEFAULT_RETRIES = 1;
    static final long DEFAULT_MIN_GAP_MS = 0;
    static final int DEFAULT_MAX_OUTSTANDING = 1;
    static final int DEFAULT_MAX_GAP = 8;
    static final int DEFAULT_MAX_REGISTERS_PER_READ = 125;
    static final String DEFAULT_POLL_GROUP = "default";
    static final long DEFAULT_POLL_INTERVAL_MS = 1000;
    static final long MIN_INTERVAL_MS = 10;
    static final long MAX_INTERVAL_MS = 24 * 3_600_000L;
    static final List<String> PROTOCOLS = List.of(Endpoint.MODBUS_TCP, Endpoint.MODBUS_RTU,
            Endpoint.MODBUS_RTU_OVER_TCP);
    static final List<String> PARITIES = List.of("none", "even", "odd");
    static final List<Long> BAUD_RATES = List.of(1200L, 2400L, 4800L, 9600L, 19200L, 38400L, 57600L, 115200L,
            230400L, 460800L, 921600L);
    private static final List<String> TCP_KEYS = List.of("host", "port");
    private static final List<String> SERIAL_KEYS = List.of("serialPort", "baudRate", "parity", "dataBits",
            "stopBits");

    private CellLoader() {
    }

    /** Per-device settings that {@code defaults} in cell.yaml provide and a device may override. */
    private record Settings(long timeout, int retries, long minGap, int maxOutstanding, int maxGap,
            int maxRegistersPerRead) {
    }

    /** A parsed device with the nodes its later checks report at. */
    private record DraftDevice(int index, String id, String profile, DeviceConfig config, Nodes nodes, Nodes tags) {
    }

    public static LoadResult load(Path dir) {
        return load(dir, null);
    }

    /**
     * As {@link #load(Path)}, the {@code access:} section checked by {@code access} (the policy engine's check)
     * as well; null checks only today's form of it.
     */
    public static LoadResult load(Path dir, io.cellgate.config.AccessValidator access) {
        return loadWithSources(dir, access).result();
    }

    /**
     * The result of a load together with exactly what it read: the bytes of every file (by its name
     * relative to the configuration directory, in reading order) and the profile search path (relative
     * names). This is what a last-known-good snapshot stores; the bytes are the ones validated, not a
     * second read that an editor could have changed in between.
     */
    record Loaded(LoadResult result, Map<String, byte[]> files, List<String> profileDirs) {
    }

    static Loaded loadWithSources(Path dir, io.cellgate.config.AccessValidator access) {
        return loadWithSources(dir, access, null);
    }

    /**
     * As {@link #loadWithSources(Path, io.cellgate.config.AccessValidator)}, with {@code cellYaml} (when not null)
     * read as the directory's cell.yaml: a candidate is checked against the directory's profiles and files without
     * being written anywhere.
     */
    static Loaded loadWithSources(Path dir, io.cellgate.config.AccessValidator access, byte[] cellYaml) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        List<String> dirNames = new ArrayList<>();
        LoadResult result = load(dir, files, dirNames, access, cellYaml);
        return new Loaded(result, files, dirNames);
    }

    private static LoadResult load(Path dir, Map<String, byte[]> files, List<String> dirNames,
            io.cellgate.config.AccessValidator accessValidator, byte[] cellYaml) {
        Problems problems = new Problems();
        MessageDigest digest = Hashes.sha256();
        Path cellFile = dir.resolve(CELL_FILE);
        if (!Files.isDirectory(dir)) {
            problems.add(dir.toString(), (Node) null, "", "configuration directory does not exist");
            return LoadResult.invalid(problems.list());
        }
        Node root = cellYaml != null ? YamlFiles.read(cellYaml, CELL_FILE, problems, digest, files)
                : YamlFiles.read(cellFile, CELL_FILE, problems, digest, files);
        if (root == null) {
            return LoadResult.invalid(problems.list());
        }
        Nodes top = Nodes.of(CELL_FILE, "", root, problems);
        if (top == null) {
            return LoadResult.invalid(problems.list());
        }
        String cellId = null;
        String cellName = null;
        Nodes cell = top.mapping("cell", true);
        if (cell != null) {
            cellId = cell.name("id", true, TagPath.NAME);
            cellName = cell.string("name", false);
            cell.finish();
        }
        List<Path> profileDirs = profileDirs(dir, top, problems);
        if (profileDirs != null) {
            profileDirs.forEach(p -> dirNames.add(relativeName(dir, p)));
        }
        Settings defaults = settings(top.mapping("defaults", false),
                new Settings(DEFAULT_TIMEOUT_MS, DEFAULT_RETRIES, DEFAULT_MIN_GAP_MS, DEFAULT_MAX_OUTSTANDING,
                        DEFAULT_MAX_GAP, DEFAULT_MAX_REGISTERS_PER_READ), true);
        Map<String, Long> cellGroups = pollGroups(top.mapping("pollGroups", false));
        List<Node> deviceNodes = top.list("devices", true);
        AccessParser.Section access = AccessParser.parse(top,
                new String(files.get(CELL_FILE), java.nio.charset.StandardCharsets.UTF_8), accessValidator);
        io.cellgate.config.OpcUaSettings opcua = OpcUaParser.parse(top);
        MqttParser.Sections northbound = MqttParser.parse(top, dir, cellId, files);
        io.cellgate.config.FirewallSettings firewall = FirewallParser.parse(top);
        Map<String, Object> audit = AuditParser.parse(top, dir);
        Map<String, Object> console = ConsoleParser.parse(top);
        top.finish();

        List<DraftDevice> devices = new ArrayList<>();
        if (deviceNodes != null) {
            for (int i = 0; i < deviceNodes.size(); i++) {
                Nodes d = Nodes.of(CELL_FILE, "devices[" + i + "]", deviceNodes.get(i), problems);
                if (d != null) {
                    DraftDevice draft = device(i, d, defaults == null ? defaultSettings() : defaults, cellGroups);
                    devices.add(draft);
                }
            }
        }
        checkUnique(devices);

        Map<String, DeviceProfile> profiles = new LinkedHashMap<>();
        if (profileDirs != null) {
            Set<String> failed = new LinkedHashSet<>();
            for (DraftDevice d : devices) {
                String id = d.profile();
                if (id == null || profiles.containsKey(id) || failed.contains(id)) {
                    continue;
                }
                DeviceProfile p = loadProfile(dir, profileDirs, id, d, problems, digest, files);
                if (p == null) {
                    failed.add(id);
                } else {
                    profiles.put(id, p);
                }
            }
            for (int i = 0; i < devices.size(); i++) {
                DraftDevice d = devices.get(i);
                DeviceProfile p = d.profile() == null ? null : profiles.get(d.profile());
                if (p != null && d.config() != null && d.tags() != null) {
                    // The device's own tag overrides make a device-specific profile (<profile>@<device>).
                    DeviceProfile own = TagOverrides.apply(p, d.id(), d.tags());
                    if (own != null) {
                        profiles.put(own.id(), own);
                        DeviceConfig c = d.config();
                        d = new DraftDevice(d.index(), d.id(), d.profile(), new DeviceConfig(c.id(), c.name(),
                                own.id(), c.enabled(), c.endpoint(), c.unitId(), c.pollGroups(), c.timeoutMillis(),
                                c.retries(), c.minGapMillis(), c.maxOutstanding(), c.maxGap(),
                                c.maxRegistersPerRead()), d.nodes(), d.tags());
                        devices.set(i, d);
                        p = own;
                    }
                }
                if (p != null && d.config() != null) {
                    checkPollGroups(d, p);
                }
            }
        }
        if (!problems.isEmpty()) {
            return LoadResult.invalid(problems.list());
        }
        return LoadResult.valid(new CellConfig(cellId, cellName == null ? cellId : cellName,
                devices.stream().map(DraftDevice::config).toList(), profiles, Hashes.hex(digest.digest())),
                access.rules(), opcua, northbound.mqtt(), northbound.sparkplug()).withFirewall(firewall)
                .withAccessSection(access.yaml()).withAudit(audit).withConsole(console);
    }

    /** Loads and validates one profile file on its own (tools, tests of a profile library). */
    public static ProfileResult loadProfile(Path file) {
        Problems problems = new Problems();
        String name = file.getFileName().toString();
        String expected = name.endsWith(".yaml") ? name.substring(0, name.length() - 5) : null;
        Node root = YamlFiles.read(file, name, problems, null);
        DeviceProfile p = root == null ? null : ProfileParser.parse(root, name, expected, problems);
        return new ProfileResult(p, problems.list());
    }

    /** A profile loaded on its own: the profile, or null and the errors. */
    public record ProfileResult(DeviceProfile profile, List<io.cellgate.config.ConfigError> errors) {
    }

    /**
     * The profile directories cell.yaml names, read leniently (for the file watch): the default when the
     * file is missing or broken, and only the directories that exist.
     */
    static List<Path> searchPath(Path dir) {
        Problems ignored = new Problems();
        Node root = YamlFiles.read(dir.resolve(CELL_FILE), CELL_FILE, ignored, null);
        List<Path> dirs = null;
        if (root != null) {
            Nodes top = Nodes.of(CELL_FILE, "", root, ignored);
            if (top != null) {
                dirs = profileDirs(dir, top, ignored);
            }
        }
        if (dirs == null) {
            dirs = DEFAULT_PROFILE_DIRS.stream().map(dir::resolve).toList();
        }
        return dirs.stream().filter(Files::isDirectory).toList();
    }

    private static Settings defaultSettings() {
        return new Settings(DEFAULT_TIMEOUT_MS, DEFAULT_RETRIES, DEFAULT_MIN_GAP_MS, DEFAULT_MAX_OUTSTANDING,
                DEFAULT_MAX_GAP, DEFAULT_MAX_REGISTERS_PER_READ);
    }

    private static List<Path> profileDirs(Path dir, Nodes top, Problems problems) {
        if (!top.has("profiles")) {
            return DEFAULT_PROFILE_DIRS.stream().map(dir::resolve).toList();
        }
        List<Node> items = top.list("profiles", false);
        if (items == null) {
            return null;
        }
        List<Path> dirs = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String path = "profiles[" + i + "]";
            if (!(item instanceof ScalarNode s) || s.getValue().isBlank()) {
                problems.add(CELL_FILE, item, path, "expected a directory name, found " + Nodes.describe(item));
                ok = false;
                continue;
            }
            Path p = Path.of(s.getValue().trim());
            if (p.isAbsolute()) {
                problems.add(CELL_FILE, item, path, "'" + s.getValue() + "' is absolute: profile directories are "
                        + "relative to the configuration directory, so the directory can be moved as a whole");
                ok = false;
                continue;
            }
            Path resolved = dir.resolve(p).normalize();
            if (!Files.isDirectory(resolved)) {
                problems.add(CELL_FILE, item, path,
                        "profile directory '" + s.getValue() + "' does not exist (" + resolved + ")");
                ok = false;
                continue;
            }
            dirs.add(resolved);
        }
        if (items.isEmpty()) {
            top.error("profiles", "the profile search path is empty: remove the key to use [profiles]");
            ok = false;
        }
        return ok ? dirs : null;
    }

    private static Settings settings(Nodes n, Settings base, boolean finish) {
        if (n == null) {
            return base;
        }
        int before = n.problems().size();
        Long timeout = n.duration("timeout", MIN_INTERVAL_MS, 60_000L, base.timeout());
        Long retries = n.integer("retries", 0, 10, (long) base.retries());
        Long minGap = n.duration("minGap", 0, 10_000L, base.minGap());
        Long maxOutstanding = n.integer("maxOutstanding", 1, 16, (long) base.maxOutstanding());
        Long maxGap = n.integer("maxGap", 0, 125, (long) base.maxGap());
        Long maxRegs = n.integer("maxRegistersPerRead", 1, 125, (long) base.maxRegistersPerRead());
        if (finish) {
            n.finish();
        }
        if (n.problems().size() != before) {
            return null;
        }
        return new Settings(timeout, retries.intValue(), minGap, maxOutstanding.intValue(), maxGap.intValue(),
                maxRegs.intValue());
    }

    private static Map<String, Long> pollGroups(Nodes n) {
        Map<String, Long> groups = new LinkedHashMap<>();
        if (n == null) {
            return groups;
        }
        for (String key : n.keys()) {
            if (!TagPath.NAME.matcher(key).matches()) {
                n.problems().add(n.file(), n.keyNode(key), n.pathOf(key),
                        "'" + key + "' is not a valid poll group name");
                n.allow(key);
                continue;
            }
            Long ms = n.duration(key, MIN_INTERVAL_MS, MAX_INTERVAL_MS, null);
            if (ms != null) {
                groups.put(key, ms);
            } else if (!n.has(key)) {
                n.error(key, "poll group '" + key + "' needs an interval, e.g. " + key + ": 1s");
            }
        }
        n.finish();
        return groups;
    }

    private static DraftDevice device(int index, Nodes d, Settings defaults, Map<String, Long> cellGroups) {
        Problems problems = d.problems();
        int before = problems.size();
        String id = d.name("id", true, TagPath.NAME);
        String name = d.string("name", false);
        String profile = d.name("profile", true, TagPath.NAME);
        Boolean enabled = d.bool("enabled", true);
        Nodes ep = d.mapping("endpoint", true);
        Endpoint endpoint = ep == null ? null : endpoint(ep);
        boolean serialUnit = endpoint != null && !Endpoint.MODBUS_TCP.equals(endpoint.protocol());
        Long unitId = d.integer("unitId", 0, 255, 1L);
        if (unitId != null && serialUnit && (unitId < 1 || unitId > 247)) {
            d.error("unitId", unitId + " is outside 1..247: on a serial line (" + endpoint.protocol()
                    + ") 0 is broadcast and 248..255 are reserved");
            unitId = null;
        }
        Map<String, Long> groups = new LinkedHashMap<>(cellGroups);
        Nodes own = d.mapping("pollGroups", false);
        if (own != null) {
            groups.putAll(pollGroups(own));
        }
        if (groups.isEmpty()) {
            groups.put(DEFAULT_POLL_GROUP, DEFAULT_POLL_INTERVAL_MS);
        }
        Settings settings = settings(d, defaults, false);
        Nodes tags = d.mapping(TagOverrides.KEY, false);
        d.finish();
        if (problems.size() != before || settings == null) {
            return new DraftDevice(index, id, profile, null, d, tags);
        }
        List<PollGroup> pollGroups = groups.entrySet().stream().map(e -> new PollGroup(e.getKey(), e.getValue()))
                .toList();
        DeviceConfig config = new DeviceConfig(id, name == null ? id : name, profile, enabled, endpoint,
                unitId.intValue(), pollGroups, settings.timeout(), settings.retries(), settings.minGap(),
                settings.maxOutstanding(), settings.maxGap(), settings.maxRegistersPerRead());
        return new DraftDevice(index, id, profile, config, d, tags);
    }

    private static Endpoint endpoint(Nodes ep) {
        int before = ep.problems().size();
        String protocol = ep.choice("protocol", true, PROTOCOLS, null);
        ep.allow("host", "port", "serialPort", "baudRate", "parity", "dataBits", "stopBits");
        if (protocol == null) {
            ep.finish();
            return null;
        }
        boolean serial = Endpoint.MODBUS_RTU.equals(protocol);
        for (String key : serial ? TCP_KEYS : SERIAL_KEYS) {
            if (ep.has(key)) {
                ep.error(key, "'" + key + "' does not apply to protocol " + protocol
                        + (serial ? " (a serial line)" : " (a TCP connection)"));
            }
        }
        String host = null;
        Long port = 0L;
        String serialPort = null;
        Long baud = 0L;
        String parity = null;
        Long dataBits = 0L;
        Long stopBits = 0L;
        if (serial) {
            serialPort = ep.string("serialPort", true);
            baud = ep.integer("baudRate", 1, 10_000_000, null);
            if (baud == null && !ep.has("baudRate")) {
                ep.missing("baudRate");
            } else if (baud != null && !BAUD_RATES.contains(baud)) {
                ep.error("baudRate", baud + " is not a standard baud rate: use one of " + BAUD_RATES);
            }
            parity = ep.choice("parity", true, PARITIES, null);
            dataBits = ep.integer("dataBits", 7, 8, 8L);
            stopBits = ep.integer("stopBits", 1, 2, 1L);
        } else {
            host = ep.string("host", true);
            if (host != null && !host.matches("[A-Za-z0-9.:\\-\\[\\]%_]+")) {
                ep.error("host", "'" + host + "' is not a host name or IP address");
            }
            port = ep.integer("port", 1, 65535, 502L);
        }
        ep.finish();
        if (ep.problems().size() != before) {
            return null;
        }
        return new Endpoint(protocol, host, port.intValue(), serialPort, baud.intValue(), parity,
                dataBits.intValue(), stopBits.intValue());
    }

    /** Device ids are unique; a unit id is used once per channel; devices on one serial line agree on it. */
    private static void checkUnique(List<DraftDevice> devices) {
        Map<String, DraftDevice> byId = new HashMap<>();
        Map<String, DraftDevice> byUnit = new HashMap<>();
        Map<String, DraftDevice> lineOwner = new HashMap<>();
        for (DraftDevice d : devices) {
            if (d.id() == null) {
                continue;
            }
            DraftDevice first = byId.putIfAbsent(d.id(), d);
            if (first != null) {
                d.nodes().error("id", "duplicate device id '" + d.id() + "' (also devices[" + first.index() + "])");
                continue;
            }
            DeviceConfig c = d.config();
            if (c == null) {
                continue;
            }
            Endpoint e = c.endpoint();
            DraftDevice sameUnit = byUnit.putIfAbsent(e.channelKey() + "#" + c.unitId(), d);
            if (sameUnit != null) {
                String key = d.nodes().has("unitId") ? "unitId" : "endpoint";
                d.nodes().error(key, "unit id " + c.unitId() + " on " + e.channelKey()
                        + " is already used by device '" + sameUnit.config().id() + "' (devices["
                        + sameUnit.index() + "])");
            }
            if (e.serialPort() != null) {
                DraftDevice owner = lineOwner.putIfAbsent(e.channelKey(), d);
                if (owner != null) {
                    Endpoint o = owner.config().endpoint();
                    if (o.baudRate() != e.baudRate() || !o.parity().equals(e.parity())
                            || o.dataBits() != e.dataBits() || o.stopBits() != e.stopBits()) {
                        d.nodes().error("endpoint", "serial line " + e.serialPort() + " is set to " + line(e)
                                + " here but " + line(o) + " for device '" + owner.config().id()
                                + "': devices on one line must agree");
                    }
                }
            }
        }
    }

    private static String line(Endpoint e) {
        return e.baudRate() + " " + e.parity() + " " + e.dataBits() + "/" + e.stopBits();
    }

    private static DeviceProfile loadProfile(Path dir, List<Path> searchPath, String id, DraftDevice user,
            Problems problems, MessageDigest digest, Map<String, byte[]> files) {
        for (Path d : searchPath) {
            Path file = d.resolve(id + ".yaml");
            if (Files.isRegularFile(file)) {
                String name = relativeName(dir, file);
                Node root = YamlFiles.read(file, name, problems, digest, files);
                return root == null ? null : ProfileParser.parse(root, name, id, problems);
            }
        }
        user.nodes().error("profile", "profile '" + id + "' not found: no " + id + ".yaml in "
                + searchPath.stream().map(p -> relativeName(dir, p)).toList());
        return null;
    }

    static String relativeName(Path dir, Path file) {
        String s = dir.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize()).toString();
        return s.replace('\\', '/');
    }

    /** Every poll group a profile's tags name must exist for each device that uses the profile. */
    private static void checkPollGroups(DraftDevice d, DeviceProfile p) {
        Map<String, List<String>> missing = new LinkedHashMap<>();
        for (TagDefinition t : p.tags()) {
            if (t.pollGroup() != null && d.config().pollGroup(t.pollGroup()).isEmpty()) {
                missing.computeIfAbsent(t.pollGroup(), k -> new ArrayList<>()).add(t.name());
            }
        }
        missing.forEach((group, tags) -> d.nodes().error("profile", "profile '" + p.id() + "' puts tag"
                + (tags.size() > 1 ? "s " : " ") + String.join(", ", tags.subList(0, Math.min(3, tags.size())))
                + (tags.size() > 3 ? " and " + (tags.size() - 3) + " more" : "") + " in poll group '" + group
                + "', which device '" + d.config().id() + "' does not define (it has: "
                + String.join(", ", d.config().pollGroups().stream().map(PollGroup::name).toList())
                + "): add it under pollGroups"));
    }
}
