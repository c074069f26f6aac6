package io.cellgate.api.audit;

/**
 * The trail's state for the health metrics.
 *
 * @param writable       false while records cannot be written (then every {@link AuditSink#record} returns false)
 * @param storageWarning the disk is filling up or the trail is over its size threshold
 * @param problem        what is wrong (not writable, storage), or null
 * @param lastSeq        the sequence number of the last record written (0: none)
 * @param lastHash       the hash of the last record written
 * @param trailBytes     the size of all trail files
 * @param usableBytes    the space left on the trail's file system
 */
public record AuditStatus(boolean writable, boolean storageWarning, String problem, long lastSeq, String lastHash,
        long trailBytes, long usableBytes) {
}
