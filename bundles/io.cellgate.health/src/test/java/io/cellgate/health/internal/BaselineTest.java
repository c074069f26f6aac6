package io.cellgate.health.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditEvent.Result;
import io.cellgate.api.health.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BaselineTest {

    record Report(String kind, String subject, Severity severity, String explanation) {
    }

    private final FakeClock clock = new FakeClock();
    private final List<Report> reports = new ArrayList<>();
    private final Baseline baseline = new Baseline(new Baseline.Settings(Duration.ofMinutes(10), 5, 3.0, 30),
            clock.instant(), (k, s, sev, x, t) -> reports.add(new Report(k, s, sev, x)));

    private AuditEvent audit(String identity, String source, String action, Result result) {
        return new AuditEvent(clock.instant(), identity, source, action, "tag/x", result, "wrong password", null);
    }

    private void afterLearning() {
        clock.advance(Duration.ofMinutes(10));
        assertThat(baseline.learning(clock.instant())).isFalse();
    }

    @Test
    void newClient_seenWhileLearning_quiet_newAfterwards_reportedOnce() {
        baseline.onAudit(audit("scada", "10.1.0.5:50000", "login", Result.SUCCESS));
        assertThat(baseline.learning(clock.instant())).isTrue();
        afterLearning();

        baseline.onAudit(audit("scada", "10.1.0.5:50123", "login", Result.SUCCESS));
        baseline.onAudit(audit("intruder", "10.9.9.9:4444", "login", Result.SUCCESS));
        baseline.onAudit(audit("intruder", "10.9.9.9:4445", "login", Result.SUCCESS));

        assertThat(reports).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(Baseline.NEW_CLIENT);
            assertThat(r.subject()).isEqualTo("intruder from 10.9.9.9");
            assertThat(r.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(r.explanation()).contains("not seen while the baseline was learned (1 known)");
        });
    }

    @Test
    void newClient_knownIdentityFromNewHost_reported() {
        baseline.onAudit(audit("scada", "10.1.0.5:1", "login", Result.SUCCESS));
        afterLearning();

        baseline.onAudit(audit("scada", "[fd00::7]:4840", "login", Result.SUCCESS));

        assertThat(reports).extracting(Report::subject).containsExactly("scada from fd00::7");
    }

    @Test
    void loginBurst_aboveThresholdWithinAMinute_reportedHigh() {
        afterLearning();
        for (int i = 0; i < 4; i++) {
            baseline.onAudit(audit("admin", "10.9.9.9:" + (1000 + i), "login", Result.DENIED));
            clock.advance(Duration.ofSeconds(5));
        }
        assertThat(reports).isEmpty();

        baseline.onAudit(audit("root", "10.9.9.9:2000", "login", Result.DENIED));

        assertThat(reports).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(Baseline.LOGIN_BURST);
            assertThat(r.subject()).isEqualTo("10.9.9.9");
            assertThat(r.severity()).isEqualTo(Severity.HIGH);
            assertThat(r.explanation()).startsWith("5 failed logins from 10.9.9.9 within 60 s").contains("threshold 5");
        });
    }

    @Test
    void loginBurst_spreadOverMoreThanAMinute_quiet() {
        afterLearning();
        for (int i = 0; i < 10; i++) {
            baseline.onAudit(audit("admin", "10.9.9.9:1", "login", Result.DENIED));
            clock.advance(Duration.ofSeconds(16));
        }

        assertThat(reports).isEmpty();
    }

    @Test
    void loginBurst_learnedPeakHigher_thresholdAboveIt() {
        for (int i = 0; i < 7; i++) { // a shift change with typos during learning
            baseline.onAudit(audit("op", "10.1.0.9:1", "login", Result.DENIED));
        }
        afterLearning();
        for (int i = 0; i < 7; i++) {
            baseline.onAudit(audit("op", "10.1.0.9:1", "login", Result.DENIED));
        }
        assertThat(reports).isEmpty();

        baseline.onAudit(audit("op", "10.1.0.9:1", "login", Result.DENIED));

        assertThat(reports).singleElement().extracting(Report::explanation).asString()
                .contains("learned peak 7 per minute, burst threshold 8");
    }

    @Test
    void writeRate_aboveFactorOfLearnedPeak_reported() {
        for (int i = 0; i < 2; i++) {
            baseline.onAudit(audit("mes", null, "write.sparkplug", Result.SUCCESS));
        }
        afterLearning();
        for (int i = 0; i < 6; i++) {
            baseline.onAudit(audit("mes", null, "write.sparkplug", Result.SUCCESS));
        }
        assertThat(reports).isEmpty();

        baseline.onAudit(audit("mes", null, "write.sparkplug", Result.SUCCESS));

        assertThat(reports).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(Baseline.WRITE_RATE);
            assertThat(r.subject()).isEqualTo("mes");
            assertThat(r.explanation()).contains("wrote 7 times within 60 s").contains("learned peak 2 per minute, limit 6.0");
        });
    }

    @Test
    void writeRate_identityThatNeverWrote_limitFromOne() {
        afterLearning();
        for (int i = 0; i < 4; i++) {
            baseline.onAudit(audit("observer", "10.1.0.7:1", "opcua.write", Result.DENIED));
        }

        assertThat(reports).extracting(Report::kind).containsExactly(Baseline.WRITE_RATE);
    }

    @Test
    void deviceException_newCodeAfterLearning_reportedWithLearnedOnes() {
        baseline.onDeviceException("press", "press@10.2.0.5:502 unit 1: device exception 0x02 illegal data address (function 3)",
                clock.instant());
        afterLearning();
        baseline.onDeviceException("press", "device exception 0x02 illegal data address (function 3)", clock.instant());
        assertThat(reports).isEmpty();

        baseline.onDeviceException("press", "device exception 0x04 server device failure (function 3)", clock.instant());
        baseline.onDeviceException("press", "device exception 0x04 server device failure (function 3)", clock.instant());

        assertThat(reports).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(Baseline.DEVICE_EXCEPTION);
            assertThat(r.subject()).isEqualTo("press exception 0x04 function 3");
            assertThat(r.explanation()).contains("for the first time").contains("learned: exception 0x02 function 3");
        });
    }

    @Test
    void saveRestore_everyLearnedFact_sameDecisionsAfterARestart() {
        baseline.onAudit(audit("scada", "10.1.0.5:1", "login", Result.SUCCESS));
        baseline.onAudit(audit("na me\twith space", "10.1.0.6:1", "login", Result.SUCCESS));
        for (int i = 0; i < 7; i++) {
            baseline.onAudit(audit("op", "10.1.0.9:1", "login", Result.DENIED));
        }
        baseline.onAudit(audit("mes", null, "write", Result.SUCCESS));
        baseline.onDeviceException("press", "device exception 0x02 x (function 3)", clock.instant());
        for (int i = 0; i < 3; i++) {
            baseline.onPollRate("press", 1.0, clock.instant());
        }
        String saved = baseline.save(false);
        assertThat(baseline.save(false)).as("nothing changed since").isNull();

        Baseline restored = new Baseline(new Baseline.Settings(Duration.ofHours(24), 5, 3.0, 30), clock.instant(),
                (k, s, sev, x, t) -> reports.add(new Report(k, s, sev, x)));
        restored.restore(saved);
        afterLearning();
        assertThat(restored.learning(clock.instant())).as("the saved window's end, not 24 h").isFalse();
        restored.onAudit(audit("scada", "10.1.0.5:9", "login", Result.SUCCESS));
        restored.onAudit(audit("na me\twith space", "10.1.0.6:9", "login", Result.SUCCESS));
        for (int i = 0; i < 7; i++) {
            restored.onAudit(audit("op", "10.1.0.9:1", "login", Result.DENIED));
        }
        for (int i = 0; i < 3; i++) {
            restored.onAudit(audit("mes", null, "write", Result.SUCCESS));
        }
        restored.onDeviceException("press", "device exception 0x02 x (function 3)", clock.instant());
        restored.onPollRate("press", 0.95, clock.instant());
        assertThat(reports).isEmpty();

        restored.onPollRate("press", 0.5, clock.instant());
        assertThat(reports).extracting(Report::kind).containsExactly(Baseline.POLL_DRIFT);
        assertThat(restored.save(true)).as("saved again, the same facts").isEqualTo(saved);
    }

    @Test
    void restore_damagedText_refusedNamingTheLine_nothingTaken() {
        assertThatThrownBy(() -> baseline.restore("something else\n")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> baseline.restore("cellgate-health-baseline 1\nlearnedAt 2026-01-01T00:00:00Z\nclient\n"))
                .hasMessageContaining("line 3");
        assertThat(baseline.learning(clock.instant())).isTrue();
    }

    @Test
    void exceptionCode_driverTexts_codeAndFunctionOrNull() {
        assertThat(Baseline.exceptionCode("device exception 0x0B gateway target device failed to respond (function 16)"))
                .isEqualTo("exception 0x0B function 16");
        assertThat(Baseline.exceptionCode("timeout after 1000 ms")).isNull();
        assertThat(Baseline.exceptionCode(null)).isNull();
    }

    @Test
    void pollDrift_belowLearnedNormalByThreshold_reportedLow() {
        for (double r : new double[] {1.0, 0.98, 1.0, 1.02}) {
            baseline.onPollRate("robot", r, clock.instant());
        }
        afterLearning();
        baseline.onPollRate("robot", 0.8, clock.instant());
        assertThat(reports).isEmpty();

        baseline.onPollRate("robot", 0.5, clock.instant());

        assertThat(reports).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(Baseline.POLL_DRIFT);
            assertThat(r.severity()).isEqualTo(Severity.LOW);
            assertThat(r.explanation()).contains("polled at 50%").contains("learned normal 100%").contains("threshold 70%");
        });
    }

    @Test
    void pollDrift_deviceWithoutLearnedRate_quiet() {
        afterLearning();
        for (int i = 0; i < 5; i++) {
            baseline.onPollRate("new", 0.1, clock.instant());
        }

        assertThat(reports).isEmpty();
    }

    @Test
    void windows_manySourcesBeyondBound_burstOfANewSourceStillDetected() {
        afterLearning();
        Instant t = clock.instant();
        for (int i = 0; i < Baseline.MAX_WINDOWS + 100; i++) {
            baseline.onAudit(new AuditEvent(t, "x", "10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255) + ":1",
                    "login", "r", Result.DENIED, null, null));
        }
        assertThat(reports).isEmpty();

        for (int i = 0; i < 5; i++) {
            baseline.onAudit(audit("admin", "192.168.7.7:1", "login", Result.DENIED));
        }

        assertThat(reports).extracting(Report::subject).containsExactly("192.168.7.7");
    }
}
