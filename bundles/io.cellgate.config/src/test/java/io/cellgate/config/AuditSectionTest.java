package io.cellgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit: section of cell.yaml: where the audit trail is forwarded (cellgate.audit syslog.* properties). */
class AuditSectionTest {

    @TempDir
    Path dir;

    @Test
    void load_noAuditSection_none() throws Exception {
        assertThat(SectionTestCell.load(dir, "").audit()).isEmpty();
    }

    @Test
    void load_syslogWithFiles_propertiesWithAbsolutePathsAndDefaults() throws Exception {
        Files.writeString(dir.resolve("siem-ca.pem"), "x");
        LoadResult r = SectionTestCell.load(dir, """
                audit:
                  syslog:
                    host: siem.plant.example
                    caFile: siem-ca.pem
                    sdId: cellgate@99999
                """);

        assertThat(r.isValid()).as(r.errorReport()).isTrue();
        assertThat(r.audit()).contains(Map.of("syslog.host", "siem.plant.example", "syslog.port", 6514,
                "syslog.ca.file", dir.resolve("siem-ca.pem").toAbsolutePath().normalize().toString(),
                "syslog.sd.id", "cellgate@99999"));
    }

    @Test
    void load_missingCaFile_errorNamesFileAndPosition() throws Exception {
        String e = SectionTestCell.single(SectionTestCell.load(dir, """
                audit:
                  syslog: { host: siem, port: 6514, caFile: /nonexistent/ca.pem }
                """));

        assertThat(e).startsWith("cell.yaml:12:").contains("audit.syslog.caFile").contains("/nonexistent/ca.pem");
    }

    @Test
    void load_badPortAndUnknownKey_errors() throws Exception {
        LoadResult r = SectionTestCell.load(dir, """
                audit:
                  syslog: { host: siem, port: 70000, hots: x }
                """);

        assertThat(r.isValid()).isFalse();
        assertThat(r.errorReport()).contains("audit.syslog.port").contains("hots");
    }

    @Test
    void load_keystoreWithoutPasswordFile_refused() throws Exception {
        Files.writeString(dir.resolve("c.p12"), "x");
        String e = SectionTestCell.single(SectionTestCell.load(dir, """
                audit:
                  syslog: { host: siem, keystoreFile: c.p12 }
                """));

        assertThat(e).contains("keystoreFile and keystorePasswordFile go together");
    }
}
