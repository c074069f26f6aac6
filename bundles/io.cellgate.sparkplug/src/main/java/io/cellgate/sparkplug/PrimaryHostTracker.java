package io.cellgate.sparkplug;

/**
 * Primary host application awareness (Sparkplug 3.0, 5.8 and 5.9): decides what a STATE message means for
 * the edge node. One instance per edge node for the life of the process (timestamps must survive
 * reconnects, so an old retained or late STATE is recognised as stale); not thread-safe.
 *
 * <ul>
 * <li>online, timestamp &ge; the last online and &gt; the last offline timestamp: the host is online; when it
 * was not, {@link Action#BECAME_ONLINE} (publish NBIRTH/DBIRTHs, then replay stored data).</li>
 * <li>offline, timestamp &ge; the last online timestamp (or no online seen yet): {@link Action#WENT_OFFLINE}
 * when it was online (publish NDEATH, disconnect, store and forward, try the next server).</li>
 * <li>anything older: {@link Action#STALE}, ignored.</li>
 * </ul>
 */
public final class PrimaryHostTracker {

    /** What the edge node does with a STATE message. */
    public enum Action {
        /** The primary host came online: births may (and must) be published now. */
        BECAME_ONLINE,
        /** Online, and it already was in this session: nothing to do. */
        STILL_ONLINE,
        /** The primary host went offline: NDEATH, disconnect, store and forward, reconnect (next server). */
        WENT_OFFLINE,
        /** Offline, and it already was: keep storing. */
        STILL_OFFLINE,
        /** Older than what is known: ignored. */
        STALE,
        /** A STATE of another host application: ignored. */
        OTHER_HOST,
        /** Not a valid STATE message: ignored (and worth a log line). */
        INVALID
    }

    /** The decision and why. */
    public record Decision(Action action, String detail) {
        /** True when births may be published after this message. */
        public boolean mayPublish() {
            return action == Action.BECAME_ONLINE || action == Action.STILL_ONLINE;
        }
    }

    private final String hostId;
    private long lastOnline = -1;
    private long lastOffline = -1;
    private boolean online;

    /** @param hostId the configured primary host application id */
    public PrimaryHostTracker(String hostId) {
        SparkplugTopic.requireValidId("primary host id", hostId);
        this.hostId = hostId;
    }

    public String hostId() {
        return hostId;
    }

    /** The topic to subscribe to (QoS 1). */
    public SparkplugTopic topic() {
        return SparkplugTopic.state(hostId);
    }

    /** True when the primary host is known online in the current MQTT session. */
    public boolean isOnline() {
        return online;
    }

    /**
     * A new MQTT session starts: the host's state must be confirmed again by its retained STATE before births,
     * but the timestamps seen so far are kept to recognise stale messages.
     */
    public void newSession() {
        online = false;
    }

    /** Decides on a message received on a STATE topic. Never throws on bad input. */
    public Decision onMessage(String topic, byte[] payload) {
        SparkplugTopic t;
        try {
            t = SparkplugTopic.parse(topic);
        } catch (IllegalArgumentException e) {
            return new Decision(Action.INVALID, e.getMessage());
        }
        if (t.type() != MessageType.STATE) {
            return new Decision(Action.INVALID, "not a STATE topic: " + topic);
        }
        if (!hostId.equals(t.hostId())) {
            return new Decision(Action.OTHER_HOST, "STATE of host '" + t.hostId() + "', the primary host is '" + hostId + "'");
        }
        HostState state;
        try {
            state = HostState.parse(payload);
        } catch (IllegalArgumentException e) {
            return new Decision(Action.INVALID, e.getMessage());
        }
        return onState(state);
    }

    /** Decides on a parsed STATE of the primary host. */
    public Decision onState(HostState state) {
        long ts = state.timestamp();
        if (state.online()) {
            if (ts < lastOnline || ts <= lastOffline) {
                return new Decision(Action.STALE, "online STATE of " + ts + " is older than the last "
                        + (ts < lastOnline ? "online (" + lastOnline : "offline (" + lastOffline) + ")");
            }
            lastOnline = ts;
            boolean was = online;
            online = true;
            return new Decision(was ? Action.STILL_ONLINE : Action.BECAME_ONLINE, "host '" + hostId + "' online since " + ts);
        }
        if (ts < lastOnline) {
            return new Decision(Action.STALE, "offline STATE of " + ts + " is older than the last online (" + lastOnline
                    + "): a death of an earlier host session");
        }
        lastOffline = Math.max(lastOffline, ts);
        boolean was = online;
        online = false;
        return new Decision(was ? Action.WENT_OFFLINE : Action.STILL_OFFLINE, "host '" + hostId + "' offline at " + ts);
    }
}
