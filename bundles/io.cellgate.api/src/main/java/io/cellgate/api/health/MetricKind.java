package io.cellgate.api.health;

/** How a metric behaves over time (the OpenMetrics type it is exposed as). */
public enum MetricKind {
    /** A value that goes up and down (a level, a ratio, an age). */
    GAUGE,
    /** A count that only grows while the gateway runs (restarts at 0 with the gateway). */
    COUNTER,
    /** A text (a version, a hash, a state), exposed to OpenMetrics as an info metric with the text as a label. */
    INFO
}
