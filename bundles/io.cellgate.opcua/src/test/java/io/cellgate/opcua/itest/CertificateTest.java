package io.cellgate.opcua.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.api.write.WriteResult;
import io.cellgate.pki.CertificateEntry;
import io.cellgate.pki.TrustList;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.DigestUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Client application certificates checked by the PKI bundle, over the wire with Milo's client: each
 * refusal carries its Bad_Certificate... code; an untrusted certificate lands in rejected/ and connects
 * once an admin trusts it.
 */
class CertificateTest {

    private static final TagPath TEMP = new TagPath("press1", "temp");
    private static Server server;

    @BeforeAll
    static void startServer() throws Exception {
        FakeBus bus = new FakeBus().with(
                new TagInfo(TEMP, DataType.FLOAT32, false, null, null, false, null, null, 0, "fast", 500),
                TagValue.good(21.5f, Instant.now()));
        server = new Server(bus, r -> new WriteResult(WriteResult.Status.DENIED, "no writes here", null), Map.of());
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.stop();
    }

    @Test
    void connect_serverCertificate_isTheGatewayPkiCertificate() throws Exception {
        byte[] offered = server.signAndEncrypt().getServerCertificate().bytesOrEmpty();

        assertThat(CertificateUtil.decodeCertificate(offered)).isEqualTo(server.pki.certificate());
        assertThat(server.signAndEncrypt().getServer().getApplicationUri()).isEqualTo(server.pki.applicationUri());
    }

    @Test
    void connect_untrustedCertificate_refusedLandsInRejectedThenTrustedConnects() throws Exception {
        KeyPair keys = TestCerts.rsa();
        X509Certificate cert = TestCerts.selfSigned(keys, "unknown client", Server.CLIENT_URI);
        String thumbprint = HexFormat.of().formatHex(DigestUtil.sha1(cert.getEncoded()));

        long refused = Server.refusal(server.signAndEncrypt(), password(), keys, chain(cert), Server.CLIENT_URI);

        assertThat(refused).as(StatusCodes.class.getSimpleName()).isEqualTo(StatusCodes.Bad_CertificateUntrusted);
        assertThat(server.pki.trustStore().list(TrustList.REJECTED)).extracting(CertificateEntry::thumbprint)
                .contains(thumbprint);

        server.pki.trustStore().trust(thumbprint);
        OpcUaClient client = Server.connect(server.signAndEncrypt(), password(), keys, chain(cert), Server.CLIENT_URI);
        try {
            assertThat(client.readValue(0, TimestampsToReturn.Both, Server.node(client, TEMP.toString()))
                    .getStatusCode().isGood()).isTrue();
        } finally {
            client.disconnect();
        }
    }

    @Test
    void connect_expiredCertificate_refusedWithTimeInvalid() throws Exception {
        KeyPair keys = TestCerts.rsa();
        Instant now = Instant.now();
        X509Certificate cert = TestCerts.selfSigned(keys, "expired client", Server.CLIENT_URI,
                now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
        server.pki.trustStore().add(TrustList.TRUSTED, cert);

        assertThat(Server.refusal(server.signAndEncrypt(), password(), keys, chain(cert), Server.CLIENT_URI))
                .isEqualTo(StatusCodes.Bad_CertificateTimeInvalid);
    }

    @Test
    void connect_notYetValidCertificate_refusedWithTimeInvalid() throws Exception {
        KeyPair keys = TestCerts.rsa();
        Instant now = Instant.now();
        X509Certificate cert = TestCerts.selfSigned(keys, "future client", Server.CLIENT_URI,
                now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
        server.pki.trustStore().add(TrustList.TRUSTED, cert);

        assertThat(Server.refusal(server.signAndEncrypt(), password(), keys, chain(cert), Server.CLIENT_URI))
                .isEqualTo(StatusCodes.Bad_CertificateTimeInvalid);
    }

    @Test
    void connect_certificateUriDiffersFromAnnouncedUri_refusedWithUriInvalid() throws Exception {
        KeyPair keys = TestCerts.rsa();
        X509Certificate cert = TestCerts.selfSigned(keys, "other uri client", "urn:somewhere:else");
        server.pki.trustStore().add(TrustList.TRUSTED, cert);

        assertThat(Server.refusal(server.signAndEncrypt(), password(), keys, chain(cert), Server.CLIENT_URI))
                .isEqualTo(StatusCodes.Bad_CertificateUriInvalid);
    }

    @Test
    void connect_revokedCertificate_refusedWithRevoked() throws Exception {
        KeyPair caKeys = TestCerts.rsa();
        X509Certificate ca = TestCerts.ca(caKeys, "test CA");
        KeyPair keys = TestCerts.rsa();
        X509Certificate revoked = TestCerts.issued(keys, "revoked client", Server.CLIENT_URI, caKeys, ca);
        KeyPair goodKeys = TestCerts.rsa();
        X509Certificate good = TestCerts.issued(goodKeys, "good client", Server.CLIENT_URI, caKeys, ca);
        server.pki.trustStore().add(TrustList.TRUSTED, ca);
        server.pki.trustStore().addCrl(TrustList.TRUSTED, TestCerts.crl(caKeys, ca, revoked));

        long refused = Server.refusal(server.signAndEncrypt(), password(), keys, new X509Certificate[] {revoked, ca},
                Server.CLIENT_URI);
        // The same CA's other certificate connects: the refusal is the revocation, not the chain.
        Server.connect(server.signAndEncrypt(), password(), goodKeys, new X509Certificate[] {good, ca},
                Server.CLIENT_URI).disconnect();

        assertThat(refused).isEqualTo(StatusCodes.Bad_CertificateRevoked);
    }

    private static UsernameProvider password() {
        return new UsernameProvider(Server.USER, Server.PASSWORD);
    }

    private static X509Certificate[] chain(X509Certificate certificate) {
        return new X509Certificate[] {certificate};
    }
}
