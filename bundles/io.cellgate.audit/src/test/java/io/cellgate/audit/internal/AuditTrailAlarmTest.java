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
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The alarm, fail closed, and the storage warning: logged, and flagged for the health metrics. */
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

    // Fail closed: an open file keeps accepting writes after its directory was moved away or the file replaced
    // (no I/O error), so writable() and every append check that the file is still the one written to. As root,
    // file modes do not stop writes; replacing the directory by a file is what fails here.

    @Test
    void writable_directoryReplacedByAFile_falseWithAlarmThenRecoversWhenRestored() throws IOException {
        Path dir = state.resolve("audit");
        Path moved = state.resolve("audit.moved");
        try (AuditTrail t = Trails.open(dir, 1 << 20)) {
            assertThat(t.append(Trails.event(1))).isNotNull();
            assertThat(t.writable()).isTrue();

            Files.move(dir, moved);
            Files.writeString(dir, "not a directory");

            assertThat(t.writable()).isFalse();
            assertThat(t.append(Trails.event(2))).isNull();
            assertThat(t.status().writable()).isFalse();
            assertThat(t.status().problem()).contains("is not a directory"); // the append tried to reopen it
            assertThat(log.list).anySatisfy(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.ERROR);
                assertThat(e.getFormattedMessage()).startsWith("AUDIT TRAIL NOT WRITABLE").contains("was removed");
            });

            Files.delete(dir);
            Files.move(moved, dir);

            assertThat(t.writable()).isTrue();
            assertThat(t.append(Trails.event(3)).seq()).isEqualTo(2);
        }
        assertThat(ChainVerifier.verify(dir).ok()).isTrue();
    }

    @Test
    void append_fileReplacedByACopy_refusedOnceThenContinuesOnTheCopy() throws IOException {
        Path dir = state.resolve("audit");
        try (AuditTrail t = Trails.open(dir, 1 << 20)) {
            assertThat(t.append(Trails.event(1))).isNotNull();
            Path file = dir.resolve(TrailFiles.name(1));
            Path copy = dir.resolve("copy");
            Files.copy(file, copy);
            Files.move(copy, file, StandardCopyOption.REPLACE_EXISTING);

            assertThat(t.append(Trails.event(2))).isNull();
            assertThat(t.status().problem()).contains("was replaced by another file");
            // the next event reopens the trail on the file now in place, and continues its chain
            assertThat(t.append(Trails.event(3)).seq()).isEqualTo(2);
        }
        assertThat(ChainVerifier.verify(dir).ok()).isTrue();
    }
}
