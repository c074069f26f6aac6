package io.cellgate.config;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Changes to the running cell's {@code cell.yaml}, for the console, the REST API and the command line: the one way
 * a program (not an admin with an editor) changes the configuration. Every change is validated in full before
 * anything is written (the same loader as a file edit, profiles included), written atomically (temporary file,
 * fsync, rename), applied, audited with the identity that asked, and kept as a numbered {@link Snapshot}. A change
 * that touches connectivity (the {@code opcua:}, {@code mqtt:}, {@code sparkplug:}, {@code firewall:} or
 * {@code console:} section) is watched: when the gateway was connected to its MQTT broker before and is not again
 * within the confirmation time, the previous snapshot is restored and the result says so.
 *
 * <p>Access is not checked here: the caller (console, REST API, CLI) asks the policy engine first; this service
 * records the identity it is given.
 */
@ProviderType
public interface ConfigEditor {

    /** The text of {@code cell.yaml} in the configuration directory as it is now, with its SHA-256 (hex). */
    Current current();

    /** Validates a candidate {@code cell.yaml} (with the directory's profiles) without writing or applying it. */
    LoadResult check(String cellYaml);

    /**
     * Validates, writes, applies and snapshots a new {@code cell.yaml}.
     *
     * @param cellYaml     the whole new file
     * @param expectedHash the SHA-256 of the {@link #current()} text the change was made from; a different file on
     *                     disk (someone else changed it meanwhile) refuses the change with {@link Outcome#CONFLICT}
     * @param identity     who asks (recorded in the audit trail and the snapshot)
     * @param reason       a short text for the snapshot list (e.g. "device plc-2 added"); may be empty
     */
    ChangeResult change(String cellYaml, String expectedHash, String identity, String reason);

    /** The snapshots, newest first. */
    List<Snapshot> snapshots();

    /** The {@code cell.yaml} text of one snapshot. */
    Optional<String> snapshotText(long id);

    /** Restores a snapshot's {@code cell.yaml} as a new change (itself validated, applied and snapshotted). */
    ChangeResult rollback(long id, String identity);

    /** The text of cell.yaml now and its SHA-256 (lower-case hex). */
    record Current(String text, String sha256) {
    }

    /**
     * One applied change: its number (ascending, never reused), when, by whom, why, the SHA-256 of the cell.yaml
     * text, and, for an automatic rollback, the snapshot it went back to.
     */
    record Snapshot(long id, java.time.Instant time, String identity, String reason, String sha256) {
    }

    enum Outcome {
        /** Validated, written, applied (and, if it touched connectivity, confirmed). */
        APPLIED,
        /** Invalid: {@link ChangeResult#errors()} says what and where; nothing was written. */
        INVALID,
        /** The file changed since the caller read it; nothing was written. */
        CONFLICT,
        /** Applied, but the gateway lost its northbound connection and the previous snapshot was restored. */
        ROLLED_BACK,
        /** Writing or applying failed (I/O); the previous file is in place. */
        FAILED
    }

    /**
     * @param outcome  what happened
     * @param snapshot the snapshot made for this change (empty unless applied or rolled back)
     * @param errors   the validation errors (INVALID) or nothing
     * @param message  one sentence for the admin (what happened and, if not applied, why)
     */
    record ChangeResult(Outcome outcome, Optional<Snapshot> snapshot, List<ConfigError> errors, String message) {
        public ChangeResult {
            errors = List.copyOf(errors);
        }
    }
}
