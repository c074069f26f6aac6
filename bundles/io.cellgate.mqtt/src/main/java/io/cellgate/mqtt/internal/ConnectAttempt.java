package io.cellgate.mqtt.internal;

/**
 * One connect attempt of a session.
 *
 * @param number            1 for the session's first attempt, counting every attempt after
 * @param serverUri         the broker URL tried
 * @param failuresBefore    consecutive failed attempts before this one (0 after a success)
 */
public record ConnectAttempt(long number, String serverUri, int failuresBefore) {
}
