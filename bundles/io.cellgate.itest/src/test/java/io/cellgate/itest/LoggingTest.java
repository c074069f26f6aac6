package io.cellgate.itest;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.Hashtable;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;

/**
 * A component that fails to activate is reported by SCR to the OSGi log service, not to slf4j: the
 * Felix logback bridge must carry it into logback, or the failure would be silent.
 */
class LoggingTest {

    @Test
    void componentActivationFailure_reachesLogback(@InjectService ConfigurationAdmin cm) throws Exception {
        ListAppender<ILoggingEvent> events = CellFixture.captureLog();
        // Configuring it makes SCR activate it; the constructor throws and SCR logs the failure.
        Configuration broken = cm.getConfiguration(FailingComponent.PID, "?");
        try {
            Hashtable<String, Object> p = new Hashtable<>();
            p.put("reason", "itest");
            broken.update(p);
            long end = System.nanoTime() + 10_000_000_000L;
            while (scrReports(events).isEmpty() && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertThat(scrReports(events)).as("SCR's report of the failed activation, in logback").isNotEmpty();
        } finally {
            broken.delete();
            CellFixture.release(events);
        }
    }

    private static List<ILoggingEvent> scrReports(ListAppender<ILoggingEvent> events) {
        return CellFixture.events(events, 0).stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                .filter(e -> (e.getFormattedMessage() + " " + e.getThrowableProxy()).contains("refuses to activate")
                        || e.getFormattedMessage().contains(FailingComponent.class.getName()))
                .toList();
    }
}
