package io.cellgate.api.audit;

/**
 * The audit trail in a few numbers, for the health metrics ({@link AuditQuery#summary()}).
 *
 * @param recordsWritten records appended since the gateway started
 * @param lastSeq        the sequence number of the last record (0: none)
 * @param writable       false while records cannot be written: audited actions are refused (fail closed)
 * @param chainOk        false when the last verification of the chain found a break
 * @param verifiedSeq    the chain was verified from its start up to this seq (0: not verified yet)
 * @param lastError      what is wrong now (not writable, storage, a break), or null
 * @param storageWarning the disk is filling up or the trail is over its size threshold
 * @param forwarder      the forwarder to a SIEM: {@link #FORWARD_OFF}, {@link #FORWARD_CONNECTED} or
 *                       {@link #FORWARD_DISCONNECTED}
 * @param forwardedSeq   the last seq the SIEM accepted
 * @param forwardLag     records written but not yet forwarded (0 when forwarding is off)
 */
public record AuditSummary(long recordsWritten, long lastSeq, boolean writable, boolean chainOk, long verifiedSeq,
        String lastError, boolean storageWarning, String forwarder, long forwardedSeq, long forwardLag) {

    /** No SIEM configured. */
    public static final String FORWARD_OFF = "off";
    /** Connected to the SIEM (records are sent as they are written). */
    public static final String FORWARD_CONNECTED = "connected";
    /** Configured, but not connected now (retrying; nothing is lost, the trail is the record). */
    public static final String FORWARD_DISCONNECTED = "disconnected";
}
