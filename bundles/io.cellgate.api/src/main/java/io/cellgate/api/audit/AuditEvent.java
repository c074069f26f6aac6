package io.cellgate.api.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One security-relevant event: who did what to which resource, with what result and why.
 *
 * @param time     when it happened (UTC)
 * @param identity who (user name, certificate subject, application id, or {@code system})
 * @param source   network source (address:port), or null when local
 * @param action   what, e.g. {@code login}, {@code session.open}, {@code write}, {@code config.apply}
 * @param resource on what, e.g. a tag path, a configuration section, a certificate thumbprint; or null
 * @param result   the outcome
 * @param reason   why (the error, the denial reason), or null
 * @param rule     the policy rule that decided, or null
 */
public record AuditEvent(Instant time, String identity, String source, String action, String resource, Result result,
        String reason, String rule) {

    public enum Result {
        SUCCESS, DENIED, FAILED
    }

    public AuditEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(result, "result");
    }
}
