package io.cellgate.health.internal;

import java.nio.file.Path;

/** What the gateway metrics read from the JVM and the operating system; faked in tests. */
interface SystemProbe {

    /** Process CPU load 0..1, or -1 when unknown. */
    double processCpuLoad();

    long heapUsedBytes();

    /** The heap limit, or -1 when the JVM has none. */
    long heapMaxBytes();

    int liveThreads();

    /** Usable bytes on the file system of {@code dir} (or of its nearest existing parent), or -1. */
    long usableBytes(Path dir);

    /** Total bytes of the file system of {@code dir}, or -1. */
    long totalBytes(Path dir);
}
