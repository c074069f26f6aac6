package io.cellgate.outbox.internal;

import io.cellgate.outbox.Outbox;
import io.cellgate.outbox.OutboxOptions;

/** Placeholder until the implementation lands. */
public final class MvStoreOutbox {
    private MvStoreOutbox() {}

    public static Outbox open(OutboxOptions options) {
        throw new UnsupportedOperationException("outbox implementation not yet committed");
    }
}
