package io.cellgate.sparkplug;

/** A payload cannot be kept under the size limit: a birth that does not fit, or a single metric that does not. */
public final class PayloadTooLargeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;
    private final int size;
    private final int limit;

    public PayloadTooLargeException(String what, int size, int limit) {
        super(what + " needs " + size + " bytes, more than the limit of " + limit + " bytes");
        this.size = size;
        this.limit = limit;
    }

    /** Bytes needed. */
    public int size() {
        return size;
    }

    /** The limit in bytes. */
    public int limit() {
        return limit;
    }
}
