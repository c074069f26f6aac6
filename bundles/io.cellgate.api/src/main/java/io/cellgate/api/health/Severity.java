package io.cellgate.api.health;

/** How urgent an alarm or a security event is, lowest first. */
public enum Severity {
    INFO, LOW, MEDIUM, HIGH, CRITICAL
}
