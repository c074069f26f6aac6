package io.cellgate.pki.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.preflight.AuditPreflight;
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

    /**
     * The audit inbox at {@code dir} as the command sees it: checked on the real file system before a change, one
     * file per record after it. The tests put a file where its directory belongs, which stops root too (CI).
     */
    private static AuditPreflight inboxAt(Path dir) {
        return new AuditPreflight() {
            @Override
            public void preflight() throws IOException {
                try {
                    Files.createDirectories(dir);
                } catch (IOException e) {
                    throw new IOException("the audit inbox " + dir + " cannot be written (" + e + ")", e);
                }
            }

            @Override
            public boolean record(AuditEvent event) {
                try {
                    Files.writeString(Files.createTempFile(dir, "event", ".txt"), event.toString());
                    return true;
                } catch (IOException e) {
                    return false;
                }
            }
        };
    }

    /** Every file under pki with its content: what a refused change must leave as it was. */
    private Map<String, String> pkiFiles() throws IOException {
        try (Stream<Path> files = Files.walk(state.resolve("pki"))) {
            return files.filter(Files::isRegularFile).collect(Collectors.toMap(f -> state.relativize(f).toString(),
                    f -> HexFormat.of().formatHex(readAll(f))));
        }
    }

    private static byte[] readAll(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyChange_auditInboxCannotBeWritten_refusedExit1NothingChanged() throws Exception {
        FilePki.openOrCreate(new PkiSettings(state.resolve("pki"), "cell-1", null, null, List.of("gw"), List.of(),
                2048, 30));
        FileTrustStore store = new FileTrustStore(state.resolve("pki"));
        String trusted = store.add(TrustList.TRUSTED, TestCa.selfSigned(new TestCa.Leaf().cn("MES")));
        String rejected = store.add(TrustList.REJECTED, TestCa.selfSigned(new TestCa.Leaf().cn("UaExpert")));
        Path pem = state.resolve("new.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(
                TestCa.selfSigned(new TestCa.Leaf().cn("Historian")).getEncoded()) + "\n-----END CERTIFICATE-----\n");
        Path blocker = Files.writeString(state.resolve("blocker"), "a file where the audit directory belongs");
        invocationAudit = Optional.of(inboxAt(blocker.resolve("inbox")));
        Map<String, String> before = pkiFiles();

        for (String[] change : List.of(new String[] {"trust", rejected}, new String[] {"reject", trusted},
                new String[] {"remove", trusted}, new String[] {"add-trusted", pem.toString()},
                new String[] {"add-issuer", pem.toString()}, new String[] {"add-crl", pem.toString()},
                new String[] {"install-cert", pem.toString()})) {
            assertThat(run(state, change)).as(change[0]).isEqualTo(CliCommand.FAILED);
            assertThat(err()).as(change[0]).startsWith("error: the audit inbox " + blocker.resolve("inbox")
                    + " cannot be written (").contains("the change is refused, nothing was changed (fail closed)");
            assertThat(out()).as(change[0]).isEmpty();
        }

        assertThat(pkiFiles()).isEqualTo(before);
    }

    @Test
    void readOnlyCommands_auditInboxCannotBeWritten_stillWork() throws Exception {
        FilePki pki = FilePki.openOrCreate(new PkiSettings(state.resolve("pki"), "cell-1", null, null, List.of("gw"),
                List.of(), 2048, 30));
        invocationAudit = Optional.of(inboxAt(Files.writeString(state.resolve("blocker"), "x").resolve("inbox")));

        assertThat(run(state, "list")).isEqualTo(CliCommand.OK);
        assertThat(run(state, "show")).isEqualTo(CliCommand.OK);
        assertThat(out()).contains(pki.thumbprint());
        assertThat(run(state, "csr")).isEqualTo(CliCommand.OK);
        assertThat(out()).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
        assertThat(err()).isEmpty();
    }

    @Test
    void trust_auditInboxWritable_recordedThere() throws Exception {
        Path inbox = state.resolve("inbox");
        invocationAudit = Optional.of(inboxAt(inbox));
        String thumbprint = new FileTrustStore(state.resolve("pki")).add(TrustList.REJECTED,
                TestCa.selfSigned(new TestCa.Leaf().cn("UaExpert")));

        assertThat(run(state, "trust", thumbprint)).as(err()).isEqualTo(CliCommand.OK);

        try (Stream<Path> files = Files.list(inbox)) {
            assertThat(files.toList()).singleElement().satisfies(f -> assertThat(Files.readString(f))
                    .contains("certificate.trust", thumbprint, "SUCCESS"));
        }
    }

    @Test
    void trust_auditRecordFailsAfterTheCheck_exit1SayingTheChangeWasMade() throws Exception {
        // the sink passes the check (writable) and then cannot write the record: the race the check cannot close
        invocationAudit = Optional.of(event -> false);
        FileTrustStore store = new FileTrustStore(state.resolve("pki"));
        String thumbprint = store.add(TrustList.REJECTED, TestCa.selfSigned(new TestCa.Leaf().cn("UaExpert")));

        assertThat(run(state, "trust", thumbprint)).isEqualTo(CliCommand.FAILED);

        assertThat(err()).contains("error: AUDIT RECORD MISSING: certificate.trust sha1:" + thumbprint)
                .contains("SUCCESS: the change HAS BEEN MADE but is not in the audit trail");
        assertThat(store.list(TrustList.TRUSTED)).extracting(e -> e.thumbprint()).containsExactly(thumbprint);
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
