package io.cellgate.pki;

import java.util.Objects;

/**
 * A verdict with a human-readable reason naming the certificate (subject and thumbprint) it is about.
 *
 * @param verdict the outcome
 * @param detail  why, for logs and the audit trail; never contains key material
 */
public record ValidationResult(Verdict verdict, String detail) {

    public ValidationResult {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(detail, "detail");
    }

    public boolean ok() {
        return verdict == Verdict.OK;
    }
}
