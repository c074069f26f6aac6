package io.cellgate.config.internal;

import io.cellgate.config.MqttSettings;
import io.cellgate.config.SparkplugSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads the optional {@code mqtt:} and {@code sparkplug:} sections of cell.yaml (the Sparkplug edge node's broker
 * session and node settings). Files they name are checked to be readable here, so that a bad path is an error at
 * its line rather than a connection that never comes up.
 */
final class MqttParser {

    static final int MAX_BROKERS = 8;
    static final List<String> OVERFLOW = List.of("drop-oldest", "reject-new");
    /** Sparkplug ids are topic levels: no separators or wildcards (Sparkplug B 3.0, topic namespace). */
    private static final Pattern SPARKPLUG_ID = Pattern.compile("[^/+#\\p{Cntrl}\\s]{1,128}");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,13})\\s*(B|KiB|MiB|GiB)");
    private static final long MIN_OUTBOX_BYTES = 1024;
    private static final long MAX_OUTBOX_BYTES = 1024L * 1024 * 1024 * 1024;
    private static final long DAY_MS = 86_400_000L;

    /** Both sections; a null member was not written (or had errors, which are then in the problems). */
    record Sections(MqttSettings mqtt, SparkplugSettings sparkplug) {
    }

    private MqttParser() {
    }

    /**
     * The sections of {@code top}; null when either has errors.
     *
     * @param dir    the configuration directory (relative file names are resolved against it)
     * @param cellId the cell id, for the default client id (null when the cell section is broken)
     * @param files  where the bytes of the files read are recorded (the last-known-good snapshot keeps them)
     */
    static Sections parse(Nodes top, Path dir, String cellId, Map<String, byte[]> files) {
        int before = top.problems().size();
        Nodes m = top.mapping("mqtt", false);
        MqttSettings mqtt = m == null ? null : mqtt(m, dir, cellId, files);
        Nodes s = top.mapping("sparkplug", false);
        SparkplugSettings sparkplug = null;
        if (s != null) {
            if (!top.has("mqtt")) {
                top.error("sparkplug", "a sparkplug section needs an mqtt section: the broker the edge node publishes to");
            }
            sparkplug = sparkplug(s);
        }
        return top.problems().size() == before ? new Sections(mqtt, sparkplug) : null;
    }

    private static MqttSettings mqtt(Nodes m, Path dir, String cellId, Map<String, byte[]> files) {
        Boolean insecure = m.bool("allowInsecure", null);
        List<String> brokers = brokers(m, Boolean.TRUE.equals(insecure));
        String clientId = m.string("clientId", false);
        if (clientId != null && (clientId.length() > 256 || clientId.chars().anyMatch(Character::isISOControl))) {
            m.error("clientId", "'" + clientId + "' is not a usable MQTT client id (at most 256 printable characters)");
        }
        Path caFile = file(m, "caFile", dir, files, true);
        Boolean pkiTrust = m.bool("usePkiTrust", null);
        String username = m.string("username", false);
        Path passwordFile = file(m, "passwordFile", dir, files, false);
        if (m.has("password")) {
            m.error("password", "the password is never written in cell.yaml: put it in a file readable only by the "
                    + "gateway and name it with passwordFile");
        }
        Long keepAlive = seconds(m, "keepAlive", 1, 65_535);
        Long connectTimeout = seconds(m, "connectTimeout", 1, 600);
        m.finish();
        if (brokers != null && caFile == null && !Boolean.TRUE.equals(pkiTrust)
                && brokers.stream().anyMatch(b -> b.startsWith("ssl://")) && !m.has("caFile")) {
            m.problems().add(m.file(), m.node(), m.path(), "ssl:// brokers need trust anchors for the broker's "
                    + "certificate: set caFile (PEM) or usePkiTrust: true");
        }
        if (brokers == null) {
            return null;
        }
        return new MqttSettings(brokers, clientId != null ? clientId : "cellgate-" + cellId, caFile, pkiTrust,
                username, passwordFile, toInt(keepAlive), toInt(connectTimeout), insecure);
    }

    private static List<String> brokers(Nodes m, boolean insecureAllowed) {
        List<Node> items = m.list("brokers", true);
        if (items == null) {
            return null;
        }
        if (items.isEmpty() || items.size() > MAX_BROKERS) {
            m.error("brokers", items.size() + " brokers: list 1.." + MAX_BROKERS + " URLs in failover order");
            return null;
        }
        List<String> urls = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String path = m.pathOf("brokers") + "[" + i + "]";
            String problem = null;
            String url = null;
            if (!(item instanceof ScalarNode sc) || sc.getValue().isBlank()) {
                problem = "expected a URL such as ssl://broker.plant.local:8883, found " + Nodes.describe(item);
            } else {
                url = sc.getValue().trim();
                problem = brokerProblem(url, insecureAllowed);
                if (problem == null && urls.contains(url)) {
                    problem = "'" + url + "' is listed twice";
                }
            }
            if (problem != null) {
                m.problems().add(m.file(), item, path, problem);
                ok = false;
            } else {
                urls.add(url);
            }
        }
        return ok ? urls : null;
    }

    private static String brokerProblem(String url, boolean insecureAllowed) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "'" + url + "' is not a URL: " + e.getReason();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ssl") && !scheme.equals("tcp")) {
            return "'" + url + "': the scheme must be ssl:// (MQTT over TLS)" + (scheme.isEmpty() ? ""
                    : ", not " + scheme + "://");
        }
        if (!scheme.equals(uri.getScheme())) {
            return "'" + url + "': write the scheme in lower case (" + scheme + "://)";
        }
        if (uri.getHost() == null || uri.getPort() < 1) {
            return "'" + url + "' needs a host and a port, e.g. ssl://broker.plant.local:8883";
        }
        if ((uri.getPath() != null && !uri.getPath().isEmpty()) || uri.getQuery() != null || uri.getUserInfo() != null) {
            return "'" + url + "': only scheme, host and port are allowed (credentials go in username/passwordFile)";
        }
        if (scheme.equals("tcp") && !insecureAllowed) {
            return "'" + url + "' is MQTT without TLS: use ssl://, or set allowInsecure: true (warned at every start)";
        }
        return null;
    }

    /**
     * A readable file named relative to the configuration directory (or absolute), as an absolute path; its bytes
     * are recorded when the name is relative, so that the last-known-good snapshot carries it along.
     */
    private static Path file(Nodes n, String key, Path dir, Map<String, byte[]> files, boolean pem) {
        String name = n.string(key, false);
        if (name == null) {
            return null;
        }
        Path given = Path.of(name);
        Path path = dir.resolve(given).toAbsolutePath().normalize();
        byte[] bytes;
        try {
            if (!Files.isRegularFile(path)) {
                n.error(key, "'" + name + "' is not a readable file (" + path + ")");
                return null;
            }
            if (Files.size(path) > YamlFiles.MAX_FILE_BYTES) {
                n.error(key, "'" + name + "' is larger than " + YamlFiles.MAX_FILE_BYTES + " bytes");
                return null;
            }
            bytes = Files.readAllBytes(path);
        } catch (IOException | SecurityException e) {
            n.error(key, "'" + name + "' cannot be read (" + path + "): " + e);
            return null;
        }
        if (pem && !new String(bytes, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
            n.error(key, "'" + name + "' holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            return null;
        }
        if (!pem && password(bytes).length == 0) {
            n.error(key, "'" + name + "' is empty");
            return null;
        }
        if (!given.isAbsolute()) {
            files.put(dir.relativize(path).toString().replace('\\', '/'), bytes);
        }
        return path;
    }

    /** A password file's content: the first line, without its line end. */
    static char[] password(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        return line.toCharArray();
    }

    private static SparkplugSettings sparkplug(Nodes s) {
        String group = id(s, "groupId", true);
        String node = id(s, "edgeNodeId", false);
        String primary = id(s, "primaryHostId", false);
        String identity = s.string("commandIdentity", false);
        Long maxBytes = null;
        Long maxAge = null;
        String overflow = null;
        Nodes outbox = s.mapping("outbox", false);
        if (outbox != null) {
            maxBytes = size(outbox, "maxBytes", MIN_OUTBOX_BYTES, MAX_OUTBOX_BYTES);
            Long ms = duration(outbox, "maxAge", 1000, 3650 * DAY_MS, true);
            maxAge = ms == null ? null : ms / 1000;
            overflow = outbox.choice("overflow", false, OVERFLOW, null);
            outbox.finish();
        }
        Long inFlight = s.integer("maxInFlight", 1, 65_535, null);
        Long metrics = seconds(s, "nodeMetricsInterval", 1, 86_400);
        Boolean jsonEnabled = null;
        String jsonPrefix = null;
        Boolean jsonRetain = null;
        Nodes json = s.mapping("json", false);
        if (json != null) {
            jsonEnabled = json.bool("enabled", null);
            jsonPrefix = json.string("prefix", false);
            if (jsonPrefix != null && (jsonPrefix.contains("+") || jsonPrefix.contains("#")
                    || jsonPrefix.startsWith("/") || jsonPrefix.endsWith("/") || jsonPrefix.startsWith("$"))) {
                json.error("prefix", "'" + jsonPrefix + "' is not a usable topic prefix (no wildcards + or #, no "
                        + "leading or trailing '/', no leading '$')");
            }
            jsonRetain = json.bool("retain", null);
            json.finish();
        }
        s.finish();
        return new SparkplugSettings(group, node, primary, identity, maxBytes, maxAge,
                overflow == null ? null : overflow.toUpperCase(Locale.ROOT).replace('-', '_'), toInt(inFlight),
                toInt(metrics), jsonEnabled, jsonPrefix, jsonRetain);
    }

    private static String id(Nodes n, String key, boolean required) {
        String v = n.string(key, required);
        if (v != null && !SPARKPLUG_ID.matcher(v).matches()) {
            n.error(key, "'" + v + "' is not a Sparkplug id: no '/', '+', '#' or spaces, at most 128 characters");
            return null;
        }
        return v;
    }

    /** A duration in whole seconds within {@code min..max} seconds; null when absent or wrong. */
    private static Long seconds(Nodes n, String key, long min, long max) {
        Long ms = duration(n, key, min * 1000, max * 1000, false);
        if (ms == null) {
            return null;
        }
        if (ms % 1000 != 0) {
            n.error(key, n.string(key, false) + " is not a whole number of seconds");
            return null;
        }
        return ms / 1000;
    }

    /** A duration such as 500ms, 30s, 2m, 1h (and 7d where {@code days}), in milliseconds. */
    private static Long duration(Nodes n, String key, long minMs, long maxMs, boolean days) {
        String s = n.string(key, false);
        if (s == null) {
            return null;
        }
        Matcher d = DURATION.matcher(s);
        if (!d.matches() || (!days && d.group(2).equals("d"))) {
            n.error(key, "'" + s + "' is not a duration: write a whole number with a unit, e.g. "
                    + (days ? "30s, 12h, 7d" : "500ms, 5s, 2m, 1h"));
            return null;
        }
        long v = Long.parseLong(d.group(1));
        long ms = switch (d.group(2)) {
            case "ms" -> v;
            case "s" -> v * 1000;
            case "m" -> v * 60_000;
            case "h" -> v * 3_600_000;
            default -> v * DAY_MS;
        };
        if (ms < minMs || ms > maxMs) {
            n.error(key, s + " is outside " + format(minMs, days) + ".." + format(maxMs, days));
            return null;
        }
        return ms;
    }

    private static String format(long ms, boolean days) {
        return days && ms != 0 && ms % DAY_MS == 0 ? ms / DAY_MS + "d" : Nodes.formatDuration(ms);
    }

    /** A size such as 64KiB or 256MiB, in bytes. */
    private static Long size(Nodes n, String key, long min, long max) {
        String s = n.string(key, false);
        if (s == null) {
            return null;
        }
        Matcher m = SIZE.matcher(s);
        if (!m.matches()) {
            n.error(key, "'" + s + "' is not a size: write a whole number with a unit, e.g. 512KiB, 256MiB, 2GiB "
                    + "(units B, KiB, MiB, GiB)");
            return null;
        }
        long v = Long.parseLong(m.group(1));
        int shift = switch (m.group(2)) {
            case "B" -> 0;
            case "KiB" -> 10;
            case "MiB" -> 20;
            default -> 30;
        };
        if (v > (max >> shift) || (v << shift) < min) {
            n.error(key, s + " is outside 1KiB..1024GiB");
            return null;
        }
        return v << shift;
    }

    private static Integer toInt(Long v) {
        return v == null ? null : v.intValue();
    }
}
