package io.cellgate.health.internal;

import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.bus.TagBus;
import io.cellgate.api.driver.DriverStatistics;
import io.cellgate.api.driver.RoundTrips;
import io.cellgate.api.driver.SessionStats;
import io.cellgate.api.health.HealthMetric;
import io.cellgate.api.health.MetricType;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagValue;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Per-device metrics: state, last good read, counters, round trip and the share of Bad tags from the tag bus; round trip
 * percentiles over the last minute, errors by kind and the last poll time from the drivers' {@link DriverStatistics}
 * (the bus carries totals only). A device whose driver reports no statistics has those metrics unknown.
 */
final class DeviceMetrics implements MetricSource {

    static final String PREFIX = "Health/Devices/";
    /** The metric the device-down alarm watches. */
    static final String DOWN = "Down";

    private static final MetricDef STATE = MetricDef.info("State", "cellgate_device_state",
            "STARTING, CONNECTED, FAILING or DISABLED, as the poller sees the device.");
    private static final MetricDef DOWN_DEF = MetricDef.gauge(DOWN, "cellgate_device_down", MetricType.BOOLEAN, "",
            "True while the device is FAILING, or has been configured and enabled but never answered.");
    private static final MetricDef AGE = MetricDef.gauge("Last Good Read Age", "cellgate_device_last_good_read_age",
            MetricType.INT64, "seconds", "Seconds since a poll of the device last succeeded (unknown: never).");
    private static final MetricDef POLLS = MetricDef.counter("Polls", "cellgate_device_polls",
            "Polls of the device since it was configured.");
    private static final MetricDef ERRORS = MetricDef.counter("Poll Errors", "cellgate_device_poll_errors",
            "Polls of the device that failed.");
    private static final MetricDef REQUESTS = MetricDef.counter("Requests", "cellgate_device_requests",
            "Protocol requests sent to the device.");
    private static final MetricDef RTT = MetricDef.gauge("Round Trip Last", "cellgate_device_round_trip_last",
            MetricType.DOUBLE, "seconds", "Round trip of the last answered request (unknown: none yet).");
    private static final MetricDef BAD = MetricDef.gauge("Bad Tag Ratio", "cellgate_device_bad_tags", MetricType.DOUBLE,
            "ratio", "Share of the device's tags whose value is not Good, 0 to 1.");

    static final String POLL_RATE = "Poll Rate Ratio";
    private static final MetricDef RATE = MetricDef.gauge(POLL_RATE, "cellgate_device_poll_rate", MetricType.DOUBLE,
            "ratio", "Polls done over polls due by the configured intervals since the previous sample (1: on "
                    + "schedule, below 1: polls overrun or skipped; unknown at the first sample).");

    private static final MetricDef P50 = MetricDef.gauge("Round Trip P50", "cellgate_device_round_trip_p50",
            MetricType.DOUBLE, "seconds", "Median round trip of the requests answered in the last minute (upper bound "
                    + "of its histogram bucket, at most 19 % high; unknown: none answered).");
    private static final MetricDef P99 = MetricDef.gauge("Round Trip P99", "cellgate_device_round_trip_p99",
            MetricType.DOUBLE, "seconds", "99th percentile round trip of the requests answered in the last minute "
                    + "(upper bound of its histogram bucket; unknown: none answered).");
    private static final MetricDef POLL_TIME = MetricDef.gauge("Poll Time Last", "cellgate_device_poll_time_last",
            MetricType.DOUBLE, "seconds", "How long the last poll of the device took, all its requests and retries "
                    + "(unknown: not polled yet, or no driver statistics).");
    private static final MetricDef POLL_INTERVAL = MetricDef.gauge("Poll Interval", "cellgate_device_poll_interval",
            MetricType.DOUBLE, "seconds", "The shortest configured poll interval of the device's poll groups.");
    private static final MetricDef ERRORS_BY_KIND = MetricDef.counter("Errors", "cellgate_device_errors",
            "Failed requests of one kind since the device's session was opened (label kind).");
    /** Error kinds every device with driver statistics reports, 0 or more; exception codes appear as they happen. */
    static final List<String> ERROR_KINDS = List.of(SessionStats.ERROR_TIMEOUT, SessionStats.ERROR_BAD_RESPONSE,
            SessionStats.ERROR_CONNECT, SessionStats.ERROR_CONNECTION_LOST, SessionStats.ERROR_REFUSED);
    /** The window of the round trip percentiles. */
    static final long WINDOW_MILLIS = 60_000;

    /** A device's histogram at one sample, kept for the window. */
    private record Snapshot(long millis, RoundTrips roundTrips) {
    }

    private final Map<String, java.util.ArrayDeque<Snapshot>> windows = new HashMap<>();

    /** The previous sample of a device's poll counter. */
    private record PollMark(long polls, long millis) {
    }

    private final Map<String, PollMark> marks = new HashMap<>();
    private final TagBus bus;
    private final Clock clock;
    private final Supplier<Map<String, SessionStats>> driverStats;

    DeviceMetrics(TagBus bus, Clock clock) {
        this(bus, clock, Map::of);
    }

    /** @param driverStats the session statistics of every driver by device id */
    DeviceMetrics(TagBus bus, Clock clock, Supplier<Map<String, SessionStats>> driverStats) {
        this.bus = bus;
        this.clock = clock;
        this.driverStats = driverStats;
    }

    @Override
    public List<HealthMetric> collect() {
        Map<String, int[]> tags = new HashMap<>(); // device -> {total, not good}
        Map<String, Map<String, Long>> groups = new HashMap<>(); // device -> poll group -> interval ms
        for (TagInfo t : bus.tags()) {
            if (t.pollIntervalMillis() > 0) {
                groups.computeIfAbsent(t.path().device(), k -> new HashMap<>()).put(t.pollGroup(), t.pollIntervalMillis());
            }
            int[] c = tags.computeIfAbsent(t.path().device(), k -> new int[2]);
            c[0]++;
            TagValue v = bus.value(t.path()).orElse(null);
            if (v == null || !v.isGood()) {
                c[1]++;
            }
        }
        long now = clock.millis();
        Map<String, SessionStats> stats = driverStats.get();
        List<HealthMetric> out = new ArrayList<>();
        for (DeviceState d : bus.devices()) {
            String prefix = PREFIX + d.deviceId() + "/";
            out.add(STATE.forSubject(prefix, "device", d.deviceId()).with(d.status().name()));
            out.add(DOWN_DEF.forSubject(prefix, "device", d.deviceId()).with(down(d)));
            out.add(AGE.forSubject(prefix, "device", d.deviceId()).with(
                    d.lastGoodRead() == null ? null : Math.max(0, (now - d.lastGoodRead().toEpochMilli()) / 1000)));
            out.add(POLLS.forSubject(prefix, "device", d.deviceId()).with(d.pollCount()));
            out.add(ERRORS.forSubject(prefix, "device", d.deviceId()).with(d.errorCount()));
            out.add(REQUESTS.forSubject(prefix, "device", d.deviceId()).with(d.requestCount()));
            out.add(RTT.forSubject(prefix, "device", d.deviceId()).with(
                    d.lastRoundTripMillis() < 0 ? null : d.lastRoundTripMillis() / 1000.0));
            int[] c = tags.get(d.deviceId());
            out.add(BAD.forSubject(prefix, "device", d.deviceId()).with(
                    c == null || c[0] == 0 ? null : GatewayMetrics.round((double) c[1] / c[0], 1000)));
            out.add(RATE.forSubject(prefix, "device", d.deviceId()).with(pollRate(d, groups.get(d.deviceId()), now)));
            Map<String, Long> intervals = groups.get(d.deviceId());
            out.add(POLL_INTERVAL.forSubject(prefix, "device", d.deviceId()).with(intervals == null ? null
                    : intervals.values().stream().mapToLong(Long::longValue).min().getAsLong() / 1000.0));
            driverMetrics(out, prefix, d.deviceId(), stats.get(d.deviceId()), now);
        }
        List<String> ids = bus.devices().stream().map(DeviceState::deviceId).toList();
        marks.keySet().retainAll(ids);
        windows.keySet().retainAll(ids);
        return out;
    }

    private void driverMetrics(List<HealthMetric> out, String prefix, String id, SessionStats s, long now) {
        RoundTrips recent = s == null ? null : recent(id, s.roundTrips(), now);
        out.add(P50.forSubject(prefix, "device", id).with(seconds(recent, 0.5)));
        out.add(P99.forSubject(prefix, "device", id).with(seconds(recent, 0.99)));
        out.add(POLL_TIME.forSubject(prefix, "device", id).with(s == null || s.lastPollMillis() < 0 ? null
                : GatewayMetrics.round(s.lastPollMillis() / 1000.0, 10_000)));
        java.util.Set<String> kinds = new java.util.TreeSet<>(ERROR_KINDS);
        if (s != null) {
            kinds.addAll(s.errorsByKind().keySet());
        }
        for (String kind : kinds) {
            MetricDef def = ERRORS_BY_KIND.forSubject(prefix, "device", id);
            def = new MetricDef(def.name() + "/" + kind, def.family(), withKind(def.labels(), kind), def.type(), def.kind(),
                    def.unit(), def.description());
            out.add(def.with(s == null ? null : s.errorsByKind().getOrDefault(kind, 0L)));
        }
    }

    private static Map<String, String> withKind(Map<String, String> labels, String kind) {
        Map<String, String> l = new java.util.LinkedHashMap<>(labels);
        l.put("kind", kind);
        return l;
    }

    /** The round trips since the oldest snapshot within the window (the whole session's at the first sample). */
    private synchronized RoundTrips recent(String id, RoundTrips now, long millis) {
        java.util.ArrayDeque<Snapshot> w = windows.computeIfAbsent(id, k -> new java.util.ArrayDeque<>());
        if (!w.isEmpty() && now.total() < w.peekLast().roundTrips().total()) {
            w.clear(); // a new session: its counters started again
        }
        while (w.size() > 1 && millis - w.peekFirst().millis() > WINDOW_MILLIS) {
            w.removeFirst();
        }
        RoundTrips since = w.isEmpty() ? now : now.since(w.peekFirst().roundTrips());
        w.addLast(new Snapshot(millis, now));
        return since;
    }

    private static Double seconds(RoundTrips r, double q) {
        if (r == null || r.total() == 0) {
            return null;
        }
        return GatewayMetrics.round(r.percentileMillis(q) / 1000.0, 100_000);
    }

    /** Polls done over polls due since the previous sample; null at the first sample or without poll groups. */
    private synchronized Double pollRate(DeviceState d, Map<String, Long> groupIntervals, long now) {
        PollMark previous = marks.put(d.deviceId(), new PollMark(d.pollCount(), now));
        if (previous == null || groupIntervals == null || now <= previous.millis()
                || d.status() == DeviceState.Status.DISABLED || d.pollCount() < previous.polls()) {
            return null;
        }
        double due = 0;
        for (long interval : groupIntervals.values()) {
            due += (now - previous.millis()) / (double) interval;
        }
        return due < 1 ? null : GatewayMetrics.round((d.pollCount() - previous.polls()) / due, 100);
    }

    static boolean down(DeviceState d) {
        return d.status() == DeviceState.Status.FAILING
                || (d.status() == DeviceState.Status.STARTING && d.lastGoodRead() == null && d.pollCount() > 0);
    }
}
