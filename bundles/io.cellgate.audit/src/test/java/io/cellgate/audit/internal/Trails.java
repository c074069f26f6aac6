package io.cellgate.audit.internal;

import io.cellgate.api.audit.AuditEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/** Test helpers: a trail with small files, and events. */
final class Trails {

    static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");

    private Trails() {
    }

    static AuditTrail open(Path dir, long maxFileBytes) {
        AuditTrail t = new AuditTrail(dir, new AuditTrail.Options(maxFileBytes, 0, 0), Clock.systemUTC());
        t.open();
        return t;
    }

    static AuditEvent event(int i) {
        return new AuditEvent(T0.plusSeconds(i), "user-" + (i % 3), "10.0.0." + (i % 5) + ":4840",
                i % 2 == 0 ? "write" : "login", "cell/press/speed-" + i,
                i % 4 == 3 ? AuditEvent.Result.DENIED : AuditEvent.Result.SUCCESS, i % 4 == 3 ? "no rule" : null,
                i % 2 == 0 ? "operators-write" : null);
    }
}
