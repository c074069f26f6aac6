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

    ExchangeFailure(Kind kind, String detail) {
        super(detail, null, false, false);
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }
}
