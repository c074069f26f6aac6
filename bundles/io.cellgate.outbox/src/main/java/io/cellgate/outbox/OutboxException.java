package io.cellgate.outbox;

/** The outbox cannot open, read or write its store; the message names the file and the cause. */
public class OutboxException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OutboxException(String message) {
        super(message);
    }

    public OutboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
