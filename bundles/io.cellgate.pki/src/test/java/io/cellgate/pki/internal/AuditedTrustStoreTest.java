package io.cellgate.pki.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.cli.CliCommand;
import io.cellgate.pki.PkiException;
import io.cellgate.pki.TrustList;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificate changes are audit records, through the gateway's service and through 'cellgate pki'. */
class AuditedTrustStoreTest {

    @TempDir
    Path state;
    private final List<AuditEvent> recorded = new ArrayList<>();
    private final AuditSink sink = recorded::add;

    @Test
    void addRejectTrustRemove_service_eachRecordedWithThumbprintAndSubject() throws Exception {
        AuditedTrustStore store = new AuditedTrustStore(new FileTrustStore(state.resolve("pki")), () -> sink, "system");
        X509Certificate mes = TestCa.selfSigned(new TestCa.Leaf().cn("MES"));

        String thumbprint = store.add(TrustList.TRUSTED, mes);
        store.reject(thumbprint);
        store.trust(thumbprint);
        store.remove(thumbprint);

        assertThat(recorded).extracting(AuditEvent::action).containsExactly("certificate.add", "certificate.reject",
                "certificate.trust", "certificate.remove");
        assertThat(recorded).allSatisfy(e -> {
            assertThat(e.identity()).isEqualTo("system");
            assertThat(e.result()).isEqualTo(AuditEvent.Result.SUCCESS);
            assertThat(e.resource()).startsWith("sha1:" + thumbprint + " ").contains("CN=MES");
        });
        assertThat(recorded.get(1).resource()).contains(" rejected ");
        assertThat(recorded.get(2).resource()).contains(" trusted ");
    }

    @Test
    void trust_unknownThumbprint_recordedAsFailedAndThrown() throws Exception {
        AuditedTrustStore store = new AuditedTrustStore(new FileTrustStore(state.resolve("pki")), () -> sink, "system");

        assertThatThrownBy(() -> store.trust("00".repeat(20))).isInstanceOf(PkiException.class);

        assertThat(recorded).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("certificate.trust");
            assertThat(e.result()).isEqualTo(AuditEvent.Result.FAILED);
            assertThat(e.reason()).isNotBlank();
        });
    }

    @Test
    void pkiCommand_trustAndInstall_recordedAsTheCliUser() throws Exception {
        FileTrustStore files = new FileTrustStore(state.resolve("pki"));
        String thumbprint = files.add(TrustList.REJECTED, TestCa.selfSigned(new TestCa.Leaf().cn("UaExpert")));

        int status = PkiCommand.execute(state, List.of("trust", thumbprint), quiet(), quiet(), "", () -> sink, "cli:otto");

        assertThat(status).isEqualTo(CliCommand.OK);
        assertThat(recorded).singleElement().satisfies(e -> {
            assertThat(e.identity()).isEqualTo("cli:otto");
            assertThat(e.action()).isEqualTo("certificate.trust");
            assertThat(e.resource()).contains(thumbprint).contains("CN=UaExpert");
        });
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
