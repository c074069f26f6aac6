package io.cellgate.pki.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cellgate.pki.CertificateUse;
import io.cellgate.pki.PkiException;
import io.cellgate.pki.TrustList;
import io.cellgate.pki.ValidationResult;
import io.cellgate.pki.Verdict;

class FileTrustStoreTest {

    private static TestCa ca;
    private static X509Certificate client;

    @TempDir
    Path dir;
    private FileTrustStore store;

    @BeforeAll
    static void ca() throws Exception {
        ca = new TestCa("Plant CA");
        client = ca.issue(new TestCa.Leaf());
    }

    @BeforeEach
    void store() throws Exception {
        store = new FileTrustStore(dir.resolve("pki"));
    }

    private ValidationResult validateClient(X509Certificate... chain) {
        return store.validate(List.of(chain), CertificateUse.CLIENT, "urn:test:client", List.of());
    }

    @Test
    void constructor_newDirectory_createsMiloLayoutWithMode0700() throws Exception {
        for (String d : List.of("", "trusted", "trusted/certs", "trusted/crl", "issuers", "issuers/certs", "issuers/crl", "rejected")) {
            Path p = dir.resolve("pki").resolve(d);
            assertThat(p).isDirectory();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(d).isEqualTo("rwx------");
        }
    }

    @Test
    void validate_clientSignedByTrustedCaWithCrl_ok() throws Exception {
        store.add(TrustList.TRUSTED, ca.certificate);
        store.addCrl(TrustList.TRUSTED, ca.crl());

        ValidationResult r = validateClient(client);

        assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.OK);
        assertThat(store.list(TrustList.REJECTED)).isEmpty();
    }

    @Test
    void validate_caOnlyInIssuersAndClientNotTrusted_untrusted() throws Exception {
        store.add(TrustList.ISSUER, ca.certificate);
        store.addCrl(TrustList.ISSUER, ca.crl());

        assertThat(validateClient(client).verdict()).isEqualTo(Verdict.UNTRUSTED);

        // trusting the client itself is enough when its CA is among the issuers
        store.trust(Certs.thumbprint(client));
        assertThat(validateClient(client).verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void validate_selfSignedUnknown_untrustedAndCopiedToRejected() throws Exception {
        X509Certificate self = TestCa.selfSigned(new TestCa.Leaf().keyUsage(
                KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.dataEncipherment | KeyUsage.keyCertSign));

        ValidationResult r = validateClient(self);

        assertThat(r.verdict()).isEqualTo(Verdict.UNTRUSTED);
        assertThat(r.detail()).contains(Certs.thumbprint(self));
        assertThat(store.list(TrustList.REJECTED)).singleElement()
                .satisfies(e -> {
                    assertThat(e.thumbprint()).isEqualTo(Certs.thumbprint(self));
                    assertThat(e.file().getFileName().toString()).isEqualTo(Certs.thumbprint(self) + " [client].der");
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(e.file()))).isEqualTo("rw-------");
                });
    }

    @Test
    void trust_rejectedSelfSigned_movesToTrustedAndValidates() throws Exception {
        X509Certificate self = TestCa.selfSigned(new TestCa.Leaf());
        validateClient(self);

        store.trust(Certs.thumbprint(self).toUpperCase());

        assertThat(store.list(TrustList.REJECTED)).isEmpty();
        assertThat(store.list(TrustList.TRUSTED)).extracting(e -> e.thumbprint()).containsExactly(Certs.thumbprint(self));
        ValidationResult r = validateClient(self);
        assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.OK);
    }

    @Test
    void reject_trusted_movesBackAndValidationFails() throws Exception {
        X509Certificate self = TestCa.selfSigned(new TestCa.Leaf());
        store.add(TrustList.TRUSTED, self);
        assertThat(validateClient(self).ok()).isTrue();

        store.reject(Certs.thumbprint(self));

        assertThat(store.list(TrustList.TRUSTED)).isEmpty();
        assertThat(validateClient(self).verdict()).isEqualTo(Verdict.UNTRUSTED);
    }

    @Test
    void trust_unknownThumbprint_refusedNamingIt() {
        assertThatThrownBy(() -> store.trust("00".repeat(20))).isInstanceOf(PkiException.class)
                .hasMessageContaining("0000000000000000000000000000000000000000").hasMessageContaining("rejected");
        assertThatThrownBy(() -> store.trust("xyz")).isInstanceOf(PkiException.class).hasMessageContaining("'xyz'");
    }

    @Test
    void remove_fromEveryList_deletesFiles() throws Exception {
        store.add(TrustList.TRUSTED, client);
        store.add(TrustList.ISSUER, client);

        assertThat(store.remove(Certs.thumbprint(client))).hasSize(2);
        assertThat(store.list(TrustList.TRUSTED)).isEmpty();
        assertThat(store.list(TrustList.ISSUER)).isEmpty();
        assertThat(store.remove(Certs.thumbprint(client))).isEmpty();
    }

    @Test
    void validate_expiredTrustedSelfSigned_expired() throws Exception {
        X509Certificate expired = TestCa.selfSigned(new TestCa.Leaf()
                .validity(Instant.now().minus(Duration.ofDays(60)), Instant.now().minus(Duration.ofDays(1))));
        store.add(TrustList.TRUSTED, expired);

        assertThat(validateClient(expired).verdict()).isEqualTo(Verdict.EXPIRED);
    }

    @Test
    void validate_notYetValid_notYetValid() throws Exception {
        X509Certificate future = TestCa.selfSigned(new TestCa.Leaf()
                .validity(Instant.now().plus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(60))));
        store.add(TrustList.TRUSTED, future);

        assertThat(validateClient(future).verdict()).isEqualTo(Verdict.NOT_YET_VALID);
    }

    @Test
    void validate_caSignedExpired_expired() throws Exception {
        X509Certificate expired = ca.issue(new TestCa.Leaf()
                .validity(Instant.now().minus(Duration.ofDays(60)), Instant.now().minus(Duration.ofDays(1))));
        store.add(TrustList.TRUSTED, ca.certificate);
        store.addCrl(TrustList.TRUSTED, ca.crl());

        assertThat(validateClient(expired).verdict()).isEqualTo(Verdict.EXPIRED);
    }

    @Test
    void validate_revokedByCrlInIssuersCrl_revoked() throws Exception {
        X509Certificate revoked = ca.issue(new TestCa.Leaf());
        store.add(TrustList.TRUSTED, ca.certificate);
        store.addCrl(TrustList.ISSUER, ca.crl(revoked));

        ValidationResult r = validateClient(revoked);

        assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.REVOKED);
        // the same CRL does not revoke the other client
        assertThat(validateClient(client).verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void validate_revokedByCrlInTrustedCrl_revoked() throws Exception {
        X509Certificate revoked = ca.issue(new TestCa.Leaf());
        store.add(TrustList.TRUSTED, ca.certificate);
        store.addCrl(TrustList.TRUSTED, ca.crl(revoked));

        assertThat(validateClient(revoked).verdict()).isEqualTo(Verdict.REVOKED);
    }

    @Test
    void validate_noCrlOfTheCa_revocationUnknown() throws Exception {
        store.add(TrustList.TRUSTED, ca.certificate);

        ValidationResult r = validateClient(client);

        assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.REVOCATION_UNKNOWN);
    }

    @Test
    void validate_unknownIssuer_chainIncompleteAndRejected() throws Exception {
        ValidationResult r = validateClient(client);

        assertThat(r.verdict()).isEqualTo(Verdict.CHAIN_INCOMPLETE);
        assertThat(r.detail()).contains("CN=Plant CA");
        assertThat(store.list(TrustList.REJECTED)).hasSize(1);
    }

    @Test
    void validate_chainSentByPeer_completesThePath() throws Exception {
        store.add(TrustList.TRUSTED, client);
        store.addCrl(TrustList.TRUSTED, ca.crl());

        assertThat(validateClient(client, ca.certificate).verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void validate_forgedSignature_invalid() throws Exception {
        TestCa impostor = new TestCa("Plant CA");
        X509Certificate forged = impostor.issue(new TestCa.Leaf());
        store.add(TrustList.TRUSTED, ca.certificate);
        store.addCrl(TrustList.TRUSTED, ca.crl());

        assertThat(validateClient(forged).verdict()).isEqualTo(Verdict.INVALID);
    }

    @Test
    void validate_keyUsageWithoutKeyEncipherment_keyUsageMissing() throws Exception {
        X509Certificate signOnly = ca.issue(new TestCa.Leaf().keyUsage(KeyUsage.digitalSignature));
        store.add(TrustList.TRUSTED, ca.certificate);
        store.addCrl(TrustList.TRUSTED, ca.crl());

        ValidationResult r = validateClient(signOnly);

        assertThat(r.verdict()).isEqualTo(Verdict.KEY_USAGE_MISSING);
        assertThat(r.detail()).contains("keyEncipherment");
    }

    @Test
    void validate_wrongApplicationUri_mismatch() throws Exception {
        store.add(TrustList.TRUSTED, ca.certificate);
        store.addCrl(TrustList.TRUSTED, ca.crl());

        ValidationResult r = store.validate(List.of(client), CertificateUse.CLIENT, "urn:test:other", List.of());

        assertThat(r.verdict()).isEqualTo(Verdict.APPLICATION_URI_MISMATCH);
        assertThat(r.detail()).contains("urn:test:client").contains("urn:test:other");
    }

    @Test
    void validate_serverHostName_matchesDnsOrIpOnly() throws Exception {
        store.add(TrustList.TRUSTED, ca.certificate);
        store.addCrl(TrustList.TRUSTED, ca.crl());

        assertThat(store.validate(List.of(client), CertificateUse.SERVER, null, List.of("CLIENT.example")).verdict())
                .isEqualTo(Verdict.OK);
        assertThat(store.validate(List.of(client), CertificateUse.SERVER, null, List.of("127.0.0.1")).verdict())
                .isEqualTo(Verdict.OK);
        assertThat(store.validate(List.of(client), CertificateUse.SERVER, null, List.of("broker.example")).verdict())
                .isEqualTo(Verdict.HOST_NAME_MISMATCH);
    }

    @Test
    void validate_emptyChain_invalid() {
        assertThat(store.validate(List.of(), CertificateUse.CLIENT, null, List.of()).verdict()).isEqualTo(Verdict.INVALID);
    }
}
