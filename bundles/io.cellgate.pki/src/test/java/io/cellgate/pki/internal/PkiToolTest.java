package io.cellgate.pki.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cellgate.pki.CertificateUse;
import io.cellgate.pki.TrustList;
import io.cellgate.pki.Verdict;

class PkiToolTest {

    @TempDir
    Path state;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return PkiTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listTrustReject_rejectedClient_roundTrip() throws Exception {
        FileTrustStore store = new FileTrustStore(state.resolve("pki"));
        X509Certificate client = TestCa.selfSigned(new TestCa.Leaf().cn("UaExpert"));
        assertThat(store.validate(List.of(client), CertificateUse.CLIENT, null, List.of()).verdict()).isEqualTo(Verdict.UNTRUSTED);
        String thumbprint = Certs.thumbprint(client);

        assertThat(run("--state", state.toString(), "list")).isZero();
        assertThat(out()).contains("rejected  " + thumbprint).contains("CN=UaExpert");

        assertThat(run("--state", state.toString(), "trust", thumbprint)).isZero();
        assertThat(run("--state", state.toString(), "list")).isZero();
        assertThat(out()).contains("trusted   " + thumbprint).doesNotContain("rejected");
        assertThat(store.validate(List.of(client), CertificateUse.CLIENT, null, List.of()).verdict()).isEqualTo(Verdict.OK);

        assertThat(run("--state", state.toString(), "reject", thumbprint)).isZero();
        assertThat(store.list(TrustList.TRUSTED)).isEmpty();
        assertThat(store.list(TrustList.REJECTED)).extracting(e -> e.thumbprint()).containsExactly(thumbprint);

        assertThat(run("--state", state.toString(), "remove", thumbprint)).isZero();
        assertThat(store.list(TrustList.REJECTED)).isEmpty();
    }

    @Test
    void trust_unknownThumbprint_exit1WithMessage() {
        assertThat(run("--state", state.toString(), "trust", "ab".repeat(20))).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no certificate with thumbprint " + "ab".repeat(20));
    }

    @Test
    void run_noCommandOrUnknown_usageExit2() {
        assertThat(run("--state", state.toString())).isEqualTo(2);
        assertThat(run("--state", state.toString(), "frobnicate")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: PkiTool");
    }

    @Test
    void showAndCsr_existingPki_printCertificateAndRequest() throws Exception {
        FilePki pki = FilePki.openOrCreate(new PkiSettings(state.resolve("pki"), "cell-1", null, null, List.of("gw"), List.of(),
                2048, 30));

        assertThat(run("--state", state.toString(), "show")).isZero();
        assertThat(out()).contains(pki.thumbprint()).contains("urn:cellgate:cell-1");
        assertThat(run("--state", state.toString(), "csr")).isZero();
        assertThat(out()).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
    }
}
