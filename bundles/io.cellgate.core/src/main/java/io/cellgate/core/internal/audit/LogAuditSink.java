package io.cellgate.core.internal.audit;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditSink;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fallback audit sink: one line per event on the {@code cellgate.audit} logger (the console/journal
 * and the rotating log file). Used only where {@code io.cellgate.audit} is not running: command mode
 * ({@code cellgate user ...}: the gateway holds the trail) and runtimes without that bundle. In the gateway the
 * hash-chained trail (ranked 100) is bound instead (every consumer's reference is greedy), and it logs each
 * record to the same logger with its seq, so operators read the same lines as before. Control characters are
 * stripped so that a crafted identity or value cannot forge lines.
 */
@Component(service = AuditSink.class, property = "service.ranking:Integer=-100")
public final class LogAuditSink implements AuditSink {

    private static final Logger AUDIT = LoggerFactory.getLogger("cellgate.audit");

    @Override
    public boolean record(AuditEvent e) {
        AUDIT.info("{} {} identity={} source={} resource={} reason={} rule={}", e.action(), e.result(),
                clean(e.identity()), clean(e.source()), clean(e.resource()), clean(e.reason()), clean(e.rule()));
        return true;
    }

    /** Strips control characters and bounds the length. */
    public static String clean(Object o) {
        if (o == null) {
            return null;
        }
        String s = String.valueOf(o);
        StringBuilder b = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return s.length() > 200 ? b + "..." : b.toString();
    }
}
