package io.cellgate.outbox;

/** An append refused because the record does not fit: {@link OverflowPolicy#REJECT_NEW}, or a record larger than the whole outbox. */
public class OutboxFullException extends OutboxException {

    private static final long serialVersionUID = 1L;

    public OutboxFullException(String message) {
        super(message);
    }
}
