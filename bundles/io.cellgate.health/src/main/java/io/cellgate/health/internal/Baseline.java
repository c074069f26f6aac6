package io.cellgate.health.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.health.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cell's normal behaviour, learned during a window after the start, and the deviations from it: a client
 * identity never seen before, a burst of failed logins from one source, an identity writing faster than it did, a
 * device answering with an exception it never sent, a device polled markedly slower than it was. Deviations go to
 * {@link Reporter} (which aggregates and rate-limits them). Learned in memory: a restart learns again.
 */
final class Baseline {

    static final String NEW_CLIENT = "new.client";
    static final String LOGIN_BURST = "login.burst";
    static final String WRITE_RATE = "write.rate";
    static final String DEVICE_EXCEPTION = "device.exception";
    static final String POLL_DRIFT = "poll.drift";

    /** Where deviations go. */
    @FunctionalInterface
    interface Reporter {
        void report(String kind, String subject, Severity severity, String explanation, Instant time);
    }

    /** The tunables (from the configuration). */
    record Settings(Duration learning, int loginBurst, double writeFactor, int pollDriftPercent) {
    }

    static final Duration WINDOW = Duration.ofMinutes(1);
    /** Bound on the subjects with a sliding window (sources, identities): an attacker cycling addresses gets no more. */
    static final int MAX_WINDOWS = 4096;
    /** Bound on the occurrences one window holds (the count saturates there). */
    static final int MAX_PER_WINDOW = 10_000;
    /** Poll-rate samples needed before a device's normal rate counts as learned. */
    static final int MIN_POLL_SAMPLES = 3;
    private static final Pattern EXCEPTION = Pattern.compile("exception (0x[0-9A-Fa-f]{2})[^()]*(?:\\((function \\d+)\\))?");

    private final Settings settings;
    private Instant learnedAt;
    private final Reporter reporter;
    /** Something learned or added to the known sets since the last {@link #save}. */
    private boolean changed;

    private final Set<String> clients = new HashSet<>();
    private final Map<String, Deque<Instant>> failures = new HashMap<>(); // by source host
    private int learnedFailurePeak;
    private final Map<String, Deque<Instant>> writes = new HashMap<>(); // by identity
    private final Map<String, Integer> learnedWritePeak = new HashMap<>();
    private final Map<String, Set<String>> exceptions = new HashMap<>(); // by device
    private final Map<String, double[]> pollRates = new HashMap<>(); // device -> {sum, count}

    Baseline(Settings settings, Instant start, Reporter reporter) {
        this.settings = settings;
        this.learnedAt = start.plus(settings.learning());
        this.reporter = reporter;
    }

    synchronized boolean learning(Instant now) {
        return now.isBefore(learnedAt);
    }

    synchronized Instant learnedAt() {
        return learnedAt;
    }

    private static final String MAGIC = "cellgate-health-baseline 1";

    /**
     * The learned baseline as text (one fact per line, names URL-encoded), so that a restart does not learn again;
     * null when nothing changed since the last call (unless {@code force}).
     */
    synchronized String save(boolean force) {
        if (!changed && !force) {
            return null;
        }
        changed = false;
        StringBuilder b = new StringBuilder(MAGIC).append('\n');
        b.append("learnedAt ").append(learnedAt).append('\n');
        b.append("failurePeak ").append(learnedFailurePeak).append('\n');
        new java.util.TreeSet<>(clients).forEach(c -> b.append("client ").append(enc(c)).append('\n'));
        new java.util.TreeMap<>(learnedWritePeak).forEach((k, v) -> b.append("writePeak ").append(enc(k)).append(' ')
                .append(v).append('\n'));
        new java.util.TreeMap<>(exceptions).forEach((d, codes) -> new java.util.TreeSet<>(codes).forEach(c -> b
                .append("exception ").append(enc(d)).append(' ').append(enc(c)).append('\n')));
        new java.util.TreeMap<>(pollRates).forEach((d, r) -> b.append("pollRate ").append(enc(d)).append(' ')
                .append(r[0]).append(' ').append(r[1]).append('\n'));
        return b.toString();
    }

    /**
     * Takes a baseline saved by {@link #save} (its learning end included, so a finished baseline stays finished).
     *
     * @throws IllegalArgumentException naming the line when the text is not a saved baseline; nothing is taken then
     */
    synchronized void restore(String text) {
        String[] lines = text.split("\n");
        if (lines.length < 3 || !lines[0].equals(MAGIC)) {
            throw new IllegalArgumentException("line 1: not a saved baseline (expected '" + MAGIC + "')");
        }
        Instant at = null;
        int peak = 0;
        Set<String> c = new HashSet<>();
        Map<String, Integer> writes = new HashMap<>();
        Map<String, Set<String>> exc = new HashMap<>();
        Map<String, double[]> rates = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(" ");
            try {
                switch (f[0]) {
                    case "learnedAt" -> at = Instant.parse(f[1]);
                    case "failurePeak" -> peak = Integer.parseInt(f[1]);
                    case "client" -> c.add(dec(f[1]));
                    case "writePeak" -> writes.put(dec(f[1]), Integer.parseInt(f[2]));
                    case "exception" -> exc.computeIfAbsent(dec(f[1]), k -> new HashSet<>()).add(dec(f[2]));
                    case "pollRate" -> rates.put(dec(f[1]), new double[] {Double.parseDouble(f[2]),
                        Double.parseDouble(f[3])});
                    default -> throw new IllegalArgumentException("unknown fact '" + f[0] + "'");
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        if (at == null) {
            throw new IllegalArgumentException("no learnedAt line");
        }
        learnedAt = at;
        learnedFailurePeak = peak;
        clients.addAll(c);
        learnedWritePeak.putAll(writes);
        exc.forEach((d, codes) -> exceptions.computeIfAbsent(d, k -> new HashSet<>()).addAll(codes));
        pollRates.putAll(rates);
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** An audited event (logins, writes). */
    synchronized void onAudit(AuditEvent e) {
        if (SecurityCounters.isLogin(e) && !"login.lockout".equals(e.action())) {
            if (e.result() == AuditEvent.Result.SUCCESS) {
                client(e);
            } else {
                failedLogin(e);
            }
        } else if (SecurityCounters.isWrite(e)) {
            write(e);
        }
    }

    private void client(AuditEvent e) {
        String client = e.identity() + " from " + host(e.source());
        boolean isNew = clients.add(client);
        changed |= isNew;
        if (isNew && !learning(e.time())) {
            reporter.report(NEW_CLIENT, client, Severity.MEDIUM, "client identity '" + e.identity() + "' logged in from "
                    + host(e.source()) + " (" + e.action() + " " + nz(e.resource()) + "); not seen while the baseline "
                    + "was learned (" + (clients.size() - 1) + " known)", e.time());
        }
    }

    private void failedLogin(AuditEvent e) {
        String source = host(e.source());
        int n = slide(failures, source, e.time());
        if (learning(e.time())) {
            changed |= n > learnedFailurePeak;
            learnedFailurePeak = Math.max(learnedFailurePeak, n);
            return;
        }
        int threshold = Math.max(settings.loginBurst(), learnedFailurePeak + 1);
        if (n >= threshold) {
            reporter.report(LOGIN_BURST, source, Severity.HIGH, n + " failed logins from " + source + " within "
                    + WINDOW.toSeconds() + " s (last: '" + e.identity() + "', " + nz(e.reason()) + "); learned peak "
                    + learnedFailurePeak + " per minute, burst threshold " + threshold, e.time());
        }
    }

    private void write(AuditEvent e) {
        int n = slide(writes, e.identity(), e.time());
        if (learning(e.time())) {
            changed |= n > learnedWritePeak.getOrDefault(e.identity(), 0);
            learnedWritePeak.merge(e.identity(), n, Math::max);
            return;
        }
        int peak = learnedWritePeak.getOrDefault(e.identity(), 0);
        double limit = settings.writeFactor() * Math.max(peak, 1);
        if (n > limit) {
            reporter.report(WRITE_RATE, e.identity(), Severity.MEDIUM, "'" + e.identity() + "' wrote " + n
                    + " times within " + WINDOW.toSeconds() + " s (last: " + e.action() + " " + nz(e.resource()) + ", "
                    + e.result() + "); learned peak " + peak + " per minute, limit " + limit, e.time());
        }
    }

    /** A tag value with reason DEVICE_EXCEPTION; {@code detail} is the driver's text (e.g. "device exception 0x02 ..."). */
    synchronized void onDeviceException(String device, String detail, Instant time) {
        String code = exceptionCode(detail);
        if (code == null) {
            return;
        }
        Set<String> known = exceptions.computeIfAbsent(device, k -> new HashSet<>());
        boolean isNew = known.add(code);
        changed |= isNew;
        if (isNew && !learning(time)) {
            reporter.report(DEVICE_EXCEPTION, device + " " + code, Severity.MEDIUM, "device '" + device
                    + "' answered with " + code + " for the first time (" + detail + "); learned: "
                    + (known.size() == 1 ? "none" : String.join(", ", new java.util.TreeSet<>(without(known, code)))),
                    time);
        }
    }

    /** A device's poll rate against its configured intervals (1: on schedule), from {@link DeviceMetrics}. */
    synchronized void onPollRate(String device, double ratio, Instant time) {
        double[] learned = pollRates.computeIfAbsent(device, k -> new double[2]);
        if (learning(time)) {
            learned[0] += ratio;
            learned[1]++;
            changed = true;
            return;
        }
        if (learned[1] < MIN_POLL_SAMPLES) {
            return; // a device added after the learning window has no normal rate yet
        }
        double normal = learned[0] / learned[1];
        double floor = normal * (1 - settings.pollDriftPercent() / 100.0);
        if (ratio < floor) {
            reporter.report(POLL_DRIFT, device, Severity.LOW, "device '" + device + "' polled at "
                    + Math.round(ratio * 100) + "% of its configured rate; learned normal " + Math.round(normal * 100)
                    + "%, drift threshold " + Math.round(floor * 100) + "%", time);
        }
    }

    /** The Modbus exception code and function in a driver's detail text, e.g. {@code 0x02 function 3}; or null. */
    static String exceptionCode(String detail) {
        if (detail == null) {
            return null;
        }
        Matcher m = EXCEPTION.matcher(detail);
        if (!m.find()) {
            return null;
        }
        return "exception " + m.group(1).toUpperCase(java.util.Locale.ROOT).replace("0X", "0x")
                + (m.group(2) == null ? "" : " " + m.group(2));
    }

    /** The number of occurrences for {@code key} within the last {@link #WINDOW}, this one included. */
    private static int slide(Map<String, Deque<Instant>> windows, String key, Instant time) {
        if (!windows.containsKey(key) && windows.size() >= MAX_WINDOWS) {
            windows.values().removeIf(d -> d.isEmpty() || d.peekLast().isBefore(time.minus(WINDOW)));
            if (windows.size() >= MAX_WINDOWS) {
                windows.remove(windows.keySet().iterator().next());
            }
        }
        Deque<Instant> d = windows.computeIfAbsent(key, k -> new ArrayDeque<>());
        d.addLast(time);
        Instant from = time.minus(WINDOW);
        while (!d.isEmpty() && (!d.peekFirst().isAfter(from) || d.size() > MAX_PER_WINDOW)) {
            d.removeFirst();
        }
        return d.size();
    }

    /** The host of an {@code address:port} source (IPv6 in brackets or bare), or {@code local}. */
    static String host(String source) {
        if (source == null || source.isBlank()) {
            return "local";
        }
        if (source.startsWith("[")) {
            int end = source.indexOf(']');
            return end > 0 ? source.substring(1, end) : source;
        }
        int colon = source.lastIndexOf(':');
        return colon > 0 && source.indexOf(':') == colon ? source.substring(0, colon) : source;
    }

    private static Set<String> without(Set<String> s, String e) {
        Set<String> c = new HashSet<>(s);
        c.remove(e);
        return c;
    }

    private static String nz(String s) {
        return s == null ? "-" : s;
    }
}
