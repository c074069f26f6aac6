package io.cellgate.driver.modbus.internal;

import io.cellgate.api.tag.QualityReason;

/** Why one request produced no usable answer; carries the quality reason its tags get. */
final class ExchangeFailure extends Exception {
    private static final long serialVersionUID = 1L;

    enum Kind {
        TIMEOUT(QualityReason.COMM_FAILURE, true),
        COMM(QualityReason.COMM_FAILURE, true),
        /** Connection not available (backing off): retrying within this poll is pointless. */
        UNAVAILABLE(QualityReason.COMM_FAILURE, false),
        /** The connection could not be opened just now (refused, unreachable, no such port): counted, then as UNAVAILABLE. */
        CONNECT_FAILED(QualityReason.COMM_FAILURE, false),
        BAD_RESPONSE(QualityReason.BAD_RESPONSE, true),
        DEVICE_EXCEPTION(QualityReason.DEVICE_EXCEPTION, false),
        /** The southbound allowlist refused the request: nothing was sent. */
        REFUSED(QualityReason.CONFIG_ERROR, false);

        final QualityReason reason;
        final boolean retryable;

        Kind(QualityReason reason, boolean retryable) {
            this.reason = reason;
            this.retryable = retryable;
        }
    }

    private final Kind kind;
    private final int exceptionCode;

    ExchangeFailure(Kind kind, String detail) {
        this(kind, detail, -1);
    }

    /** A device exception response with its exception code. */
    ExchangeFailure(Kind kind, String detail, int exceptionCode) {
        super(detail, null, false, false);
        this.kind = kind;
        this.exceptionCode = exceptionCode;
    }

    /** The Modbus exception code of a DEVICE_EXCEPTION, -1 otherwise. */
    int exceptionCode() {
        return exceptionCode;
    }

    Kind kind() {
        return kind;
    }
}
