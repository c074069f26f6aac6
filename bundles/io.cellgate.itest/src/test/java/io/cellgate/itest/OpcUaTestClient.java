package io.cellgate.itest;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Period;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.validation.ValidationCheck;

/**
 * An OPC UA client application of the in-framework tests (Milo's client): its own RSA key and self-signed application
 * instance certificate (the test trusts it in the gateway's trust store), connecting with a user name and password.
 */
final class OpcUaTestClient {

    final KeyPair keys;
    final X509Certificate certificate;
    private final String name;
    private final String applicationUri;

    private OpcUaTestClient(String name, String applicationUri, KeyPair keys, X509Certificate certificate) {
        this.name = name;
        this.applicationUri = applicationUri;
        this.keys = keys;
        this.certificate = certificate;
    }

    /** A new client application: a 2048-bit RSA key and a certificate valid for {@code validity}. */
    static OpcUaTestClient create(String name, String applicationUri, Period validity) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        X509Certificate certificate = new SelfSignedCertificateBuilder(keys).setCommonName(name)
                .setOrganization("CellGate tests").setApplicationUri(applicationUri).addDnsName("localhost")
                .addIpAddress("127.0.0.1").setValidityPeriod(validity).build();
        return new OpcUaTestClient(name, applicationUri, keys, certificate);
    }

    /**
     * A session on {@code endpoint} as {@code user}. The client trusts exactly the endpoint's certificate and runs all
     * of Milo's optional checks on it.
     */
    OpcUaClient connect(EndpointDescription endpoint, String user, String password) throws Exception {
        MemoryTrustListManager trust = new MemoryTrustListManager();
        trust.addTrustedCertificate(CertificateUtil.decodeCertificate(endpoint.getServerCertificate().bytesOrEmpty()));
        OpcUaClient client = OpcUaClient.create(OpcUaClientConfig.builder()
                .setApplicationName(LocalizedText.english(name))
                .setApplicationUri(applicationUri)
                .setEndpoint(endpoint)
                .setKeyPair(keys)
                .setCertificate(certificate)
                .setCertificateChain(new X509Certificate[] {certificate})
                .setCertificateValidator(new DefaultClientCertificateValidator(trust,
                        ValidationCheck.ALL_OPTIONAL_CHECKS, new MemoryCertificateQuarantine()))
                .setIdentityProvider(new UsernameProvider(user, password))
                .build());
        try {
            client.connect();
        } catch (Exception e) {
            client.disconnect();
            throw e;
        }
        return client;
    }

    /** Basic256Sha256 with SignAndEncrypt on the loopback port, once the server answers GetEndpoints. */
    static EndpointDescription awaitEndpoint(int port, Duration wait) throws Exception {
        String url = "opc.tcp://127.0.0.1:" + port + "/cellgate/discovery";
        long end = System.nanoTime() + wait.toNanos();
        Exception last = null;
        while (System.nanoTime() < end) {
            try {
                return DiscoveryClient.getEndpoints(url).get(5, TimeUnit.SECONDS).stream()
                        .filter(e -> e.getSecurityPolicyUri().equals(SecurityPolicy.Basic256Sha256.getUri())
                                && e.getSecurityMode() == MessageSecurityMode.SignAndEncrypt)
                        .findFirst().orElseThrow();
            } catch (Exception e) {
                last = e;
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the OPC UA server never answered GetEndpoints at " + url, last);
    }
}
