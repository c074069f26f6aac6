package io.cellgate.health.internal;

import io.cellgate.api.health.HealthMetric;
import io.cellgate.api.health.MetricKind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The health metrics in the OpenMetrics 1.0 text exposition format (what Prometheus scrapes). A family is
 * {@code family} plus {@code _unit} when the metric has a unit; gauges are written as they are (booleans as 1/0),
 * counters with the {@code _total} suffix, texts as info metrics ({@code <family>_info{...,value="text"} 1}). An
 * unknown value (null) gives no sample. Ends with {@code # EOF}.
 */
final class OpenMetricsWriter {

    static final String CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private OpenMetricsWriter() {
    }

    static String write(List<HealthMetric> metrics) {
        Map<String, List<HealthMetric>> families = new TreeMap<>();
        for (HealthMetric m : metrics) {
            families.computeIfAbsent(familyName(m), k -> new ArrayList<>()).add(m);
        }
        StringBuilder out = new StringBuilder(metrics.size() * 96);
        for (Map.Entry<String, List<HealthMetric>> f : families.entrySet()) {
            String name = f.getKey();
            List<HealthMetric> members = new ArrayList<>(f.getValue());
            HealthMetric first = members.get(0);
            // A family has one type: a metric of another kind under the same name would make the exposition invalid.
            members.removeIf(m -> m.kind() != first.kind() || !m.unit().equals(first.unit()));
            members.sort(Comparator.comparing(m -> new TreeMap<>(m.labels()).toString()));
            out.append("# TYPE ").append(name).append(' ').append(type(first.kind())).append('\n');
            if (!first.unit().isEmpty() && first.kind() != MetricKind.INFO) {
                out.append("# UNIT ").append(name).append(' ').append(first.unit()).append('\n');
            }
            if (!first.description().isEmpty()) {
                out.append("# HELP ").append(name).append(' ').append(escape(first.description())).append('\n');
            }
            Set<Map<String, String>> seen = new HashSet<>();
            for (HealthMetric m : members) {
                if (m.value() == null || !seen.add(m.labels())) {
                    continue;
                }
                sample(out, name, m);
            }
        }
        out.append("# EOF\n");
        return out.toString();
    }

    static String familyName(HealthMetric m) {
        return m.unit().isEmpty() || m.kind() == MetricKind.INFO ? m.family() : m.family() + "_" + m.unit();
    }

    private static String type(MetricKind kind) {
        return switch (kind) {
            case GAUGE -> "gauge";
            case COUNTER -> "counter";
            case INFO -> "info";
        };
    }

    private static void sample(StringBuilder out, String name, HealthMetric m) {
        Map<String, String> labels = new LinkedHashMap<>(new TreeMap<>(m.labels()));
        String value;
        switch (m.kind()) {
            case COUNTER -> {
                out.append(name).append("_total");
                value = number(m.numeric());
            }
            case INFO -> {
                out.append(name).append("_info");
                labels.put("value", String.valueOf(m.value()));
                value = "1";
            }
            default -> {
                out.append(name);
                value = number(m.numeric());
            }
        }
        if (!labels.isEmpty()) {
            out.append('{');
            boolean firstLabel = true;
            for (Map.Entry<String, String> l : labels.entrySet()) {
                if (!firstLabel) {
                    out.append(',');
                }
                firstLabel = false;
                out.append(l.getKey()).append("=\"").append(escape(l.getValue())).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(value).append('\n');
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** Label values and help texts: backslash, double quote and line feed escaped. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
