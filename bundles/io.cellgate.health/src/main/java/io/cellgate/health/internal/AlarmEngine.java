package io.cellgate.health.internal;

import io.cellgate.api.health.HealthAlarm;
import io.cellgate.api.health.HealthMetric;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Evaluates {@link AlarmRule}s against each sample of the metrics. Keeps, per rule and metric, whether the alarm is
 * active and since when the opposite condition has held. An unknown value (null, text) changes nothing and restarts
 * the pending hold; a metric that disappeared (a device removed) clears its alarm.
 */
final class AlarmEngine {

    /** A change of an alarm: raised (with the alarm) or cleared. */
    record Change(boolean raised, HealthAlarm alarm) {
    }

    private static final class State {
        HealthAlarm active;
        Instant pendingSince;
    }

    private final List<AlarmRule> rules;
    private final Map<String, State> states = new TreeMap<>(); // rule id NUL metric name

    AlarmEngine(List<AlarmRule> rules) {
        Set<String> ids = new HashSet<>();
        for (AlarmRule r : rules) {
            if (!ids.add(r.id())) {
                throw new IllegalArgumentException("alarm rule " + r.id() + " defined twice");
            }
        }
        this.rules = List.copyOf(rules);
    }

    /** Evaluates one sample taken at {@code now}; returns the alarms raised and cleared by it. */
    synchronized List<Change> evaluate(List<HealthMetric> metrics, Instant now) {
        List<Change> changes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (AlarmRule rule : rules) {
            for (HealthMetric m : metrics) {
                if (!rule.matches(m.name())) {
                    continue;
                }
                String key = rule.id() + '\0' + m.name();
                seen.add(key);
                State s = states.computeIfAbsent(key, k -> new State());
                double v = m.numeric();
                if (Double.isNaN(v)) {
                    s.pendingSince = null;
                    continue;
                }
                boolean toward = s.active == null ? rule.beyondRaise(v) : rule.beyondClear(v);
                if (!toward) {
                    s.pendingSince = null;
                    if (s.active != null) {
                        s.active = alarm(rule, m.name(), s.active.since(), v);
                    }
                    continue;
                }
                if (s.pendingSince == null) {
                    s.pendingSince = now;
                }
                if (now.isBefore(s.pendingSince.plus(rule.hold()))) {
                    continue;
                }
                s.pendingSince = null;
                if (s.active == null) {
                    s.active = alarm(rule, m.name(), now, v);
                    changes.add(new Change(true, s.active));
                } else {
                    changes.add(new Change(false, alarm(rule, m.name(), s.active.since(), v)));
                    s.active = null;
                }
            }
        }
        var it = states.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (!seen.contains(e.getKey())) {
                if (e.getValue().active != null) {
                    changes.add(new Change(false, e.getValue().active));
                }
                it.remove();
            }
        }
        return changes;
    }

    /** The alarms active now, ordered by rule and subject. */
    synchronized List<HealthAlarm> active() {
        List<HealthAlarm> out = new ArrayList<>();
        states.values().forEach(s -> {
            if (s.active != null) {
                out.add(s.active);
            }
        });
        out.sort(Comparator.comparing(HealthAlarm::rule).thenComparing(HealthAlarm::subject));
        return out;
    }

    private static HealthAlarm alarm(AlarmRule rule, String subject, Instant since, double v) {
        String limits = rule.direction() == AlarmRule.Direction.ABOVE
                ? "raised at >= " + num(rule.raise()) + ", clears below " + num(rule.clear())
                : "raised at <= " + num(rule.raise()) + ", clears above " + num(rule.clear());
        return new HealthAlarm(rule.id(), subject, rule.severity(), since, v,
                rule.what() + ": " + subject + " is " + num(v) + " (" + limits + ")");
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
