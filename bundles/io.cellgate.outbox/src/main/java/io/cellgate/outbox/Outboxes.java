package io.cellgate.outbox;

import io.cellgate.outbox.internal.MvStoreOutbox;

/** Opens outboxes. */
public final class Outboxes {

    private Outboxes() {}

    /**
     * Opens (or creates) the outbox in {@link OutboxOptions#directory()}, which it locks exclusively
     * until {@link Outbox#close()}. An unreadable store file is moved aside (quarantined) and an empty
     * store started; this is logged as an error and counted in {@link OutboxStats#quarantined()}.
     *
     * @throws OutboxException if the directory is locked by another outbox (in this or another
     *     process) or cannot be created or written
     */
    public static Outbox open(OutboxOptions options) {
        return MvStoreOutbox.open(options);
    }
}
