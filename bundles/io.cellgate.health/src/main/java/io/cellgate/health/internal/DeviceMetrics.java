package io.cellgate.health.internal;

import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.bus.TagBus;
import io.cellgate.api.health.HealthMetric;
import io.cellgate.api.health.MetricType;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagValue;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-device metrics from the tag bus: state, last good read, counters, round trip and the share of Bad tags. Round
 * trip percentiles, poll cycle times and errors by kind need driver statistics the bus does not carry (docs/health.md).
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

    /** The previous sample of a device's poll counter. */
    private record PollMark(long polls, long millis) {
    }

    private final Map<String, PollMark> marks = new HashMap<>();
    private final TagBus bus;
    private final Clock clock;

    DeviceMetrics(TagBus bus, Clock clock) {
        this.bus = bus;
        this.clock = clock;
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
        }
        marks.keySet().retainAll(bus.devices().stream().map(DeviceState::deviceId).toList());
        return out;
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
