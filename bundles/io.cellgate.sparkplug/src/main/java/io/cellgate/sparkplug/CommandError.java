package io.cellgate.sparkplug;

import java.util.Objects;

/**
 * Why one metric of an NCMD/DCMD (or the whole payload) was refused.
 *
 * @param metric  the metric as the host addressed it ({@code name}, {@code alias <n>}, {@code metric #<i>}),
 *                or {@code payload} when the whole message is refused
 * @param kind    the kind of error
 * @param message what exactly is wrong, for logs and audit
 */
public record CommandError(String metric, Kind kind, String message) {

    public enum Kind {
        /** The payload is not a Sparkplug B protobuf payload. */
        MALFORMED_PAYLOAD,
        /** A DCMD for a device that has no current DBIRTH. */
        UNKNOWN_DEVICE,
        /** No metric with this name on this node/device. */
        UNKNOWN_NAME,
        /** No metric with this alias on this node/device. */
        UNKNOWN_ALIAS,
        /** Neither a name nor an alias. */
        NO_METRIC_ID,
        /** Name and alias are both given and denote different metrics. */
        NAME_ALIAS_MISMATCH,
        /** A datatype other than the one announced in the birth, or a value in the wrong field. */
        WRONG_DATATYPE,
        /** is_null, or no value at all. */
        NULL_VALUE,
        /** The value does not fit the metric's type (e.g. 70000 for an Int16). */
        OUT_OF_RANGE,
        /** The metric is read-only. */
        NOT_WRITABLE,
        /** A 'Node Control/Rebirth' with a value other than true. */
        INVALID_REBIRTH
    }

    public CommandError {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return metric + ": " + kind + ": " + message;
    }
}
