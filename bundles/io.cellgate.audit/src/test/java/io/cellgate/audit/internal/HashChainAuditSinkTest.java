package io.cellgate.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditFilter;
import io.cellgate.api.audit.AuditSummary;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class HashChainAuditSinkTest {

    @TempDir
    Path state;

    /** The component's configuration as SCR would hand it over. */
    static AuditConfig config(String stateDir, int warnFreePercent) {
        return config(stateDir, warnFreePercent, "", 6514, "");
    }

    static AuditConfig config(String stateDir, int warnFreePercent, String syslogHost, int syslogPort, String caFile) {
        return config(stateDir, warnFreePercent, syslogHost, syslogPort, caFile, "", "");
    }

    static AuditConfig config(String stateDir, int warnFreePercent, String syslogHost, int syslogPort, String caFile,
            String keyStore, String keyStorePasswordFile) {
        return new AuditConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return AuditConfig.class;
            }

            @Override
            public String state_dir() {
                return stateDir;
            }

            @Override
            public int max_file_mb() {
                return 10;
            }

            @Override
            public int warn_free_percent() {
                return warnFreePercent;
            }

            @Override
            public int warn_trail_mb() {
                return 0;
            }

            @Override
            public String syslog_host() {
                return syslogHost;
            }

            @Override
            public int syslog_port() {
                return syslogPort;
            }

            @Override
            public String syslog_ca_file() {
                return caFile;
            }

            @Override
            public String syslog_keystore_file() {
                return keyStore;
            }

            @Override
            public String _syslog_keystore_password() {
                return "";
            }

            @Override
            public String syslog_keystore_password_file() {
                return keyStorePasswordFile;
            }

            @Override
            public String syslog_hostname() {
                return "gw-test";
            }

            @Override
            public String syslog_sd_id() {
                return "cellgate@32473";
            }

            @Override
            public int syslog_queue() {
                return 4;
            }
        };
    }

    @Test
    void activate_withStateDir_recordsIntoStateAudit() throws IOException {
        HashChainAuditSink sink = new HashChainAuditSink(config(state.toString(), 0));
        try {
            assertThat(sink.record(Trails.event(1))).isTrue();
            assertThat(sink.query(AuditFilter.all(10)).records()).hasSize(1);
            assertThat(Files.exists(state.resolve("audit").resolve(TrailFiles.name(1)))).isTrue();
        } finally {
            sink.deactivate();
        }
    }

    @Test
    void activate_withoutStateDir_refusedNamingTheSetting() {
        assertThatThrownBy(() -> new HashChainAuditSink(config("", 0)))
                .hasMessageContaining("cellgate.audit state.dir: not set");
    }

    @Test
    void modified_newThresholds_applyWithoutRestart() {
        HashChainAuditSink sink = new HashChainAuditSink(config(state.toString(), 0));
        try {
            assertThat(sink.status().storageWarning()).isFalse();
            sink.modified(config(state.toString(), 100));
            assertThat(sink.status().storageWarning()).isTrue();
            assertThat(sink.record(Trails.event(1))).isTrue();
        } finally {
            sink.deactivate();
        }
    }

    @Test
    void modified_newStateDir_recordsThereAndReleasesTheOldTrail() throws IOException {
        Path other = state.resolve("other");
        HashChainAuditSink sink = new HashChainAuditSink(config(state.toString(), 0));
        try {
            assertThat(sink.record(Trails.event(1))).isTrue();
            sink.modified(config(other.toString(), 0));
            assertThat(sink.record(Trails.event(2))).isTrue();
            sink.modified(config("", 0)); // the runtime configuration deleted: stays where it is
            assertThat(sink.record(Trails.event(3))).isTrue();
            assertThat(sink.query(AuditFilter.all(10)).records()).extracting(r -> r.event().identity())
                    .containsExactly("user-2", "user-0");
            // the old trail's lock was released: another writer can take it
            try (AuditTrail old = Trails.open(state.resolve("audit"), 1 << 20)) {
                assertThat(old.append(Trails.event(4))).isNotNull();
            }
        } finally {
            sink.deactivate();
        }
    }

    @Test
    void summary_intactTrail_chainOkRecordsAndNoForwarder() throws Exception {
        HashChainAuditSink sink = new HashChainAuditSink(config(state.toString(), 0));
        try {
            sink.record(Trails.event(1));
            sink.record(Trails.event(2));
            AuditSummary s = sink.summary();
            assertThat(s.recordsWritten()).isEqualTo(2);
            assertThat(s.lastSeq()).isEqualTo(2);
            assertThat(s.writable()).isTrue();
            assertThat(s.chainOk()).isTrue();
            assertThat(s.forwarder()).isEqualTo(AuditSummary.FORWARD_OFF);
            assertThat(s.forwardLag()).isZero();
        } finally {
            sink.deactivate();
        }
    }

    @Test
    void summary_recordEditedWhileStopped_chainNotOkWithTheBreak() throws Exception {
        try (AuditTrail t = Trails.open(state.resolve(HashChainAuditSink.SUBDIR), 1 << 20)) {
            for (int i = 1; i <= 3; i++) {
                t.append(Trails.event(i));
            }
        }
        Path file = state.resolve(HashChainAuditSink.SUBDIR).resolve(TrailFiles.name(1));
        Files.writeString(file, Files.readString(file).replaceFirst("user-2", "user-X"));

        HashChainAuditSink sink = new HashChainAuditSink(config(state.toString(), 0));
        try {
            long end = System.nanoTime() + 30_000_000_000L; // the verification runs beside the start
            while (sink.summary().chainOk() && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            AuditSummary s = sink.summary();
            assertThat(s.chainOk()).isFalse();
            assertThat(s.lastError()).startsWith("chain broken at ").contains("edited");
        } finally {
            sink.deactivate();
        }
    }

    @Test
    void record_alsoLogsToTheAuditLoggerWithSeqOrNotRecorded() throws IOException {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger audit = (Logger) LoggerFactory.getLogger("cellgate.audit");
        audit.addAppender(log);
        HashChainAuditSink sink = new HashChainAuditSink(config(state.toString(), 0));
        try {
            sink.record(new AuditEvent(Trails.T0, "otto\nforged", null, "login", null, AuditEvent.Result.SUCCESS, null,
                    null));
            sink.deactivate();
            assertThat(sink.record(Trails.event(2))).isFalse();
        } finally {
            audit.detachAppender(log);
        }
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("#1 login SUCCESS identity=otto?forged source=null resource=null reason=null rule=null",
                        "NOT RECORDED write SUCCESS identity=user-2 source=10.0.0.2:4840 resource=cell/press/speed-2"
                                + " reason=null rule=operators-write");
    }
}
