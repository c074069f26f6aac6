package io.cellgate.sparkplug.internal;

import com.google.protobuf.CodedOutputStream;

/** Encoded sizes, to split payloads without encoding them twice. */
public final class Sizes {

    private Sizes() {
    }

    /** Bytes a metric of {@code metricSize} bytes adds to a payload (field 2: tag, length, body). */
    public static int metricInPayload(int metricSize) {
        return 1 + CodedOutputStream.computeUInt32SizeNoTag(metricSize) + metricSize;
    }

    /** Upper bound of a payload's own fields: timestamp (field 1) and seq (field 3). */
    public static final int PAYLOAD_HEADER_MAX = 1 + 10 + 1 + 2;
}
