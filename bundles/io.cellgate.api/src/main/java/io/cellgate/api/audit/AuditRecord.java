package io.cellgate.api.audit;

import java.util.Objects;

/**
 * One stored record of the audit trail: the event, its place in the chain and its hash.
 *
 * @param seq      the record's sequence number (1, 2, ... across all files of the trail)
 * @param event    what was recorded
 * @param prevHash the hash of the previous record (hex SHA-256; 64 zeros for the first record)
 * @param hash     SHA-256 (hex) over the canonical record including {@code prevHash}
 */
public record AuditRecord(long seq, AuditEvent event, String prevHash, String hash) {

    public AuditRecord {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(prevHash, "prevHash");
        Objects.requireNonNull(hash, "hash");
    }
}
