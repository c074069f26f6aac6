package io.cellgate.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cellgate.api.audit.AuditStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The alarm and the storage warning: logged, and flagged for the health metrics. */
class AuditTrailAlarmTest {

    @TempDir
    Path state;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(AuditTrail.class);

    @BeforeEach
    void capture() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void release() {
        logger.detachAppender(log);
    }

    private long count(Level level, String text) {
        return log.list.stream().filter(e -> e.getLevel() == level && e.getFormattedMessage().contains(text)).count();
    }

    @Test
    void append_failingRepeatedly_oneErrorAlarmWithinAMinute() throws IOException {
        Path dir = state.resolve("audit");
        Files.writeString(dir, "file");
        try (AuditTrail t = Trails.open(dir, 1 << 20)) {
            for (int i = 0; i < 5; i++) {
                assertThat(t.append(Trails.event(i))).isNull();
            }
        }
        assertThat(count(Level.ERROR, "AUDIT TRAIL NOT WRITABLE")).isEqualTo(1);
    }

    @Test
    void open_freeSpaceBelowThreshold_warnsAndFlags() {
        // 100 %: no disk is ever that free, so the warning must be raised
        AuditTrail t = new AuditTrail(state.resolve("audit"), new AuditTrail.Options(1 << 20, 100, 0),
                Clock.systemUTC());
        try (t) {
            t.open();
            assertThat(t.append(Trails.event(1))).isNotNull();
            AuditStatus s = t.status();
            assertThat(s.storageWarning()).isTrue();
            assertThat(s.writable()).isTrue();
            assertThat(s.problem()).contains("of the disk holding the audit trail is free");
        }
        assertThat(count(Level.WARN, "of the disk holding the audit trail is free")).isEqualTo(1);
    }

    @Test
    void rotate_trailOverSizeThreshold_warnsAndFlags() {
        AuditTrail t = new AuditTrail(state.resolve("audit"), new AuditTrail.Options(1024, 0, 2048),
                Clock.systemUTC());
        try (t) {
            t.open();
            assertThat(t.status().storageWarning()).isFalse();
            for (int i = 0; i < 20; i++) {
                assertThat(t.append(Trails.event(i))).isNotNull();
            }
            assertThat(t.status().storageWarning()).isTrue();
            assertThat(t.status().trailBytes()).isGreaterThan(2048);
        }
        assertThat(count(Level.WARN, "archive old files")).isEqualTo(1);
    }
}
