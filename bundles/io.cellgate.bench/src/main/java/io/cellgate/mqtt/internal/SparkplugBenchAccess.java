package io.cellgate.mqtt.internal;

import io.cellgate.sparkplug.TagSample;
import java.util.List;

/**
 * What SparkplugBench needs from the edge node's package: its outbox record format (to fill an outbox as the
 * node would have during an outage) and its accepted-value counter. Lives in the bench jar, in the node's
 * package, so the mqtt bundle exports nothing for a benchmark.
 */
public final class SparkplugBenchAccess {

    private SparkplugBenchAccess() {
    }

    /** One outbox record of the edge node: a batch of changes of one device ({@code DataRecord}). */
    public static byte[] dataRecord(String device, List<TagSample> samples) {
        return new DataRecord(device, samples).encode();
    }

    /** Values the node has accepted from the bus into its outbox so far. */
    public static long acceptedSamples(EdgeNode node) {
        return node.acceptedSamples();
    }
}
