package io.cellgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console: section of cell.yaml: the console's settings (cellgate.console), only those the section names. */
class ConsoleSectionTest {

    @TempDir
    Path dir;

    @Test
    void load_noConsoleSection_none() throws Exception {
        assertThat(SectionTestCell.load(dir, "").console()).isEmpty();
    }

    @Test
    void load_everySetting_consoleProperties() throws Exception {
        LoadResult r = SectionTestCell.load(dir, """
                console:
                  port: 9443
                  bindAddress: 10.0.0.5
                  sessionIdleMinutes: 10
                  sessionMaxHours: 4
                  maxSessions: 20
                  safeChange: { confirmSeconds: 45 }
                """);

        assertThat(r.isValid()).as(r.errorReport()).isTrue();
        assertThat(r.console()).contains(Map.of("port", 9443, "bind.address", "10.0.0.5", "session.idle.minutes", 10,
                "session.max.hours", 4, "max.sessions", 20, "safe.change.confirm.seconds", 45));
    }

    @Test
    void load_onlySomeSettings_onlyThoseWritten() throws Exception {
        LoadResult r = SectionTestCell.load(dir, "console: { sessionIdleMinutes: 5 }\n");

        assertThat(r.console()).contains(Map.of("session.idle.minutes", 5));
    }

    @Test
    void load_portOutOfRange_errorWithPosition() throws Exception {
        String e = SectionTestCell.single(SectionTestCell.load(dir, """
                console:
                  port: 70000
                """));

        assertThat(e).isEqualTo("cell.yaml:12:9: console.port: 70000 is outside 0..65535");
    }

    @Test
    void load_hostNameAsBindAddress_refused() throws Exception {
        String e = SectionTestCell.single(SectionTestCell.load(dir, "console: { bindAddress: gateway.local }\n"));

        assertThat(e).startsWith("cell.yaml:11:").contains("console.bindAddress").contains("not an IP address");
    }

    @Test
    void load_confirmSecondsTooShortAndUnknownKey_bothReported() throws Exception {
        LoadResult r = SectionTestCell.load(dir, """
                console:
                  safeChange:
                    confirmSeconds: 2
                  sesionIdleMinutes: 5
                """);

        assertThat(r.isValid()).isFalse();
        assertThat(r.errorReport()).contains("cell.yaml:13:21: console.safeChange.confirmSeconds: 2 is outside 5..600")
                .contains("cell.yaml:14:3: console.sesionIdleMinutes: unknown key 'sesionIdleMinutes'");
    }
}
