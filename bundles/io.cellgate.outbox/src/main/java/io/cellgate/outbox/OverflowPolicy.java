package io.cellgate.outbox;

/** What {@link Outbox#append} does when the new record would push the outbox past its byte bound. */
public enum OverflowPolicy {
    /** Remove the oldest entries until the record fits (counted in {@link OutboxStats#droppedOverflow()}). */
    DROP_OLDEST,
    /** Keep the stored entries and throw {@link OutboxFullException} (counted in {@link OutboxStats#rejected()}). */
    REJECT_NEW
}
