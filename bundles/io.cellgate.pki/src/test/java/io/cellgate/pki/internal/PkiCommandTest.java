package io.cellgate.pki.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cellgate.api.cli.CliCommand;
import io.cellgate.api.cli.CliContext;
import io.cellgate.pki.CertificateUse;
import io.cellgate.pki.TrustList;
import io.cellgate.pki.Verdict;

class PkiCommandTest {

    @TempDir
    Path state;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    /** What the runtime hands the invocation as its sink (the audit inbox); empty: the command's bound sink. */
    private Optional<io.cellgate.api.audit.AuditSink> invocationAudit = Optional.empty();

    private int run(Path stateDir, String... args) {
        out.reset();
        err.reset();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        return new PkiCommand().run(new CliContext() {
            @Override
            public List<String> args() {
                return List.of(args);
            }

            @Override
            public Path stateDir() {
                return stateDir;
            }

            @Override
            public PrintStream out() {
                return o;
            }

            @Override
            public PrintStream err() {
                return e;
            }

            @Override
            public Optional<char[]> readSecret(String prompt) {
                return Optional.empty();
            }

            @Override
            public boolean interactive() {
                return false;
            }

            @Override
            public Optional<io.cellgate.api.audit.AuditSink> audit() {
                return invocationAudit;
            }
        });
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void trust_rejectedClient_runningStoreAcceptsItAtTheNextAttempt() throws Exception {
        // The gateway's store, opened before the command runs, as in a running gateway.
        FileTrustStore running = new FileTrustStore(state.resolve("pki"));
        X509Certificate client = TestCa.selfSigned(new TestCa.Leaf().cn("UaExpert"));
        assertThat(running.validate(List.of(client), CertificateUse.CLIENT, null, List.of()).verdict()).isEqualTo(Verdict.UNTRUSTED);
        String thumbprint = Certs.thumbprint(client);

        assertThat(run(state, "list")).isEqualTo(CliCommand.OK);
        assertThat(out()).contains("rejected  " + thumbprint).contains("CN=UaExpert");
        assertThat(run(state, "trust", thumbprint.toLowerCase())).isEqualTo(CliCommand.OK);
        assertThat(out()).startsWith("trusted: " + thumbprint);

        assertThat(running.validate(List.of(client), CertificateUse.CLIENT, null, List.of()).verdict()).isEqualTo(Verdict.OK);
        assertThat(running.list(TrustList.REJECTED)).isEmpty();
    }

    @Test
    void trust_byAnotherProcess_lastUpdateOfRunningStoreMoves() throws Exception {
        FileTrustStore running = new FileTrustStore(state.resolve("pki"));
        Instant before = running.lastUpdate();
        Path certs = state.resolve("pki/trusted/certs");
        Files.setLastModifiedTime(certs, FileTime.from(before.plusSeconds(60)));
        assertThat(running.lastUpdate()).isEqualTo(before.plusSeconds(60));
    }

    @Test
    void trust_runtimeOffersAnAuditInbox_changeRecordedThere() throws Exception {
        List<io.cellgate.api.audit.AuditEvent> inbox = new java.util.ArrayList<>();
        invocationAudit = Optional.of(inbox::add);
        String thumbprint = new FileTrustStore(state.resolve("pki")).add(TrustList.REJECTED,
                TestCa.selfSigned(new TestCa.Leaf().cn("UaExpert")));

        assertThat(run(state, "trust", thumbprint)).isEqualTo(CliCommand.OK);

        assertThat(inbox).singleElement().satisfies(e -> {
            assertThat(e.identity()).isEqualTo("cli:" + System.getProperty("user.name"));
            assertThat(e.resource()).contains(thumbprint);
            assertThat(e.result()).isEqualTo(io.cellgate.api.audit.AuditEvent.Result.SUCCESS);
        });
    }

    @Test
    void reject_andRemove_moveAndDelete() throws Exception {
        FileTrustStore store = new FileTrustStore(state.resolve("pki"));
        X509Certificate client = TestCa.selfSigned(new TestCa.Leaf().cn("MES"));
        String thumbprint = store.add(TrustList.TRUSTED, client);

        assertThat(run(state, "reject", thumbprint)).isEqualTo(CliCommand.OK);
        assertThat(store.list(TrustList.REJECTED)).extracting(e -> e.thumbprint()).containsExactly(thumbprint);
        assertThat(run(state, "remove", thumbprint)).isEqualTo(CliCommand.OK);
        assertThat(out()).contains("removed: " + thumbprint);
        assertThat(run(state, "remove", thumbprint)).isEqualTo(CliCommand.FAILED);
        assertThat(err()).contains("no certificate with thumbprint " + thumbprint).contains(state.resolve("pki").toString());
    }

    @Test
    void list_empty_saysSoAndWhere() {
        assertThat(run(state, "list")).isEqualTo(CliCommand.OK);
        assertThat(out()).contains("no certificates in " + state.resolve("pki"));
    }

    @Test
    void trust_unknownThumbprint_failsNamingTheList() {
        assertThat(run(state, "trust", "ab".repeat(20))).isEqualTo(CliCommand.FAILED);
        assertThat(err()).contains("no certificate with thumbprint " + "ab".repeat(20)).contains("rejected");
    }

    @Test
    void showCsrInstall_existingPki_work() throws Exception {
        FilePki pki = FilePki.openOrCreate(new PkiSettings(state.resolve("pki"), "cell-1", null, null, List.of("gw"), List.of(),
                2048, 30));
        assertThat(run(state, "show")).isEqualTo(CliCommand.OK);
        assertThat(out()).contains(pki.thumbprint()).contains("urn:cellgate:cell-1");

        Path csr = state.resolve("gw.csr");
        assertThat(run(state, "csr", "--out", csr.toString())).isEqualTo(CliCommand.OK);
        assertThat(Files.readString(csr)).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
        assertThat(run(state, "csr", "--out")).isEqualTo(CliCommand.USAGE);
    }

    @Test
    void installCert_notAChain_failsNamingTheFile() throws Exception {
        FilePki.openOrCreate(new PkiSettings(state.resolve("pki"), "cell-1", null, null, List.of("gw"), List.of(), 2048, 30));
        Path file = state.resolve("signed.pem");
        Files.writeString(file, "not a certificate\n");
        assertThat(run(state, "install-cert", file.toString())).isEqualTo(CliCommand.FAILED);
        assertThat(err()).startsWith("error: ").contains("signed.pem");
    }

    @Test
    void show_noGatewayCertificateYet_failsNamingTheDirectory() {
        assertThat(run(state, "show")).isEqualTo(CliCommand.FAILED);
        assertThat(err()).startsWith("error: ").contains(state.resolve("pki").toString());
    }

    @Test
    void run_usageErrors_exit2WithUsage() {
        assertThat(run(state)).isEqualTo(CliCommand.USAGE);
        assertThat(err()).contains("usage: cellgate pki");
        assertThat(run(state, "frobnicate")).isEqualTo(CliCommand.USAGE);
        assertThat(err()).contains("unknown command 'frobnicate'");
        assertThat(run(state, "trust")).isEqualTo(CliCommand.USAGE);
        assertThat(err()).contains("trust: missing argument");
    }

    @Test
    void run_help_usageOnOutExit0() {
        assertThat(run(state, "--help")).isEqualTo(CliCommand.OK);
        assertThat(out()).contains("usage: cellgate pki").contains("install-cert FILE");
    }

    @Test
    void run_missingStateDirectory_failsNamingIt() {
        Path missing = state.resolve("nope");
        assertThat(run(missing, "list")).isEqualTo(CliCommand.FAILED);
        assertThat(err()).contains(missing.toString()).contains("does not exist");
        assertThat(missing).doesNotExist();
    }
}
