package io.cellgate.opcua.demo;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.eclipse.milo.opcua.stack.core.util.validation.ValidationCheck;

/**
 * A hand check of the demo, not a test: connects to a running gateway with Basic256Sha256 / SignAndEncrypt and a
 * user name, reads one tag, prints it. Its client certificate is created once in {@code <client dir>} and kept
 * there, so that the gateway can trust it (rejected → trusted) between two runs. The gateway certificate is
 * trusted on first use here: compare the printed thumbprint with the one the gateway logs.
 *
 * <pre>
 * java -cp ... io.cellgate.opcua.demo.DemoClient opc.tcp://127.0.0.1:4840/cellgate/discovery operator PASSWORD \
 *      /tmp/demo-client demo/vfd-1/motor_speed
 * </pre>
 */
public final class DemoClient {

    private static final String URI = "urn:cellgate:demo-client";

    private DemoClient() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5 && args.length != 7) {
            System.err.println("usage: DemoClient <discovery url> <user> <password> <client dir> <cell/device/tag>"
                    + " [<cell/device/tag to write> <value>]");
            System.exit(2);
        }
        Security.addProvider(new BouncyCastleProvider());
        Path dir = Path.of(args[3]);
        KeyStore ks = clientKeyStore(dir);
        PrivateKey key = (PrivateKey) ks.getKey("client", new char[0]);
        X509Certificate cert = (X509Certificate) ks.getCertificate("client");
        System.out.println("client certificate thumbprint " + java.util.HexFormat.of().formatHex(CertificateUtil.thumbprint(cert).bytesOrEmpty()));

        List<EndpointDescription> endpoints = DiscoveryClient.getEndpoints(args[0]).get();
        EndpointDescription endpoint = endpoints.stream()
                .filter(e -> e.getSecurityPolicyUri().equals(SecurityPolicy.Basic256Sha256.getUri())
                        && e.getSecurityMode() == MessageSecurityMode.SignAndEncrypt)
                .findFirst().orElseThrow(() -> new IllegalStateException("no Basic256Sha256 SignAndEncrypt endpoint"));
        X509Certificate server = CertificateUtil.decodeCertificate(endpoint.getServerCertificate().bytesOrEmpty());
        System.out.println("server certificate thumbprint " + java.util.HexFormat.of().formatHex(CertificateUtil.thumbprint(server).bytesOrEmpty())
                + " (trusted on first use), endpoint " + endpoint.getEndpointUrl() + " "
                + endpoint.getSecurityMode());
        var trust = new MemoryTrustListManager();
        trust.addTrustedCertificate(server);

        OpcUaClient client = OpcUaClient.create(OpcUaClientConfig.builder()
                .setApplicationName(LocalizedText.english("CellGate demo client"))
                .setApplicationUri(URI)
                .setEndpoint(endpoint)
                .setKeyPair(new KeyPair(cert.getPublicKey(), key))
                .setCertificate(cert)
                .setCertificateChain(new X509Certificate[] {cert})
                .setCertificateValidator(new DefaultClientCertificateValidator(trust,
                        ValidationCheck.ALL_OPTIONAL_CHECKS, new MemoryCertificateQuarantine()))
                .setIdentityProvider(new UsernameProvider(args[1], args[2]))
                .build());
        try {
            client.connect();
            var ns = client.readNamespaceTable().getIndex("urn:cellgate:cell");
            for (int i = 0; i < 3; i++) {
                DataValue v = client.readValue(0, TimestampsToReturn.Both, new NodeId(ns, args[4]));
                System.out.println(args[4] + " = " + v.getValue().value() + " " + v.getStatusCode() + " at "
                        + v.getSourceTime().getJavaInstant());
                Thread.sleep(1500);
            }
            if (args.length > 6) {
                // Optional: write a value to a tag (args[5] = tag node id, args[6] = value; the tag's type is read first).
                NodeId target = new NodeId(ns, args[5]);
                Object current = client.readValue(0, TimestampsToReturn.Both, target).getValue().value();
                Object value = current instanceof Short ? Short.valueOf(args[6])
                        : current instanceof Integer ? Integer.valueOf(args[6])
                        : current instanceof Long ? Long.valueOf(args[6])
                        : current instanceof org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort
                                ? org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort(args[6])
                        : current instanceof org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger
                                ? org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint(args[6])
                        : current instanceof Float ? Float.valueOf(args[6]) : Double.valueOf(args[6]);
                var status = client.writeValues(java.util.List.of(target),
                        java.util.List.of(DataValue.valueOnly(new org.eclipse.milo.opcua.stack.core.types.builtin.Variant(value))))
                        .get(0);
                System.out.println("write " + args[5] + " = " + value + ": " + status);
                Thread.sleep(1500);
                DataValue after = client.readValue(0, TimestampsToReturn.Both, target);
                System.out.println(args[5] + " = " + after.getValue().value() + " " + after.getStatusCode());
            }
        } finally {
            client.disconnect();
        }
    }

    private static KeyStore clientKeyStore(Path dir) throws Exception {
        Path file = dir.resolve("client.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                ks.load(in, new char[0]);
            }
            return ks;
        }
        Files.createDirectories(dir);
        KeyPair keys = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        X509Certificate cert = new SelfSignedCertificateBuilder(keys)
                .setCommonName("CellGate demo client")
                .setApplicationUri(URI)
                .addDnsName("localhost")
                .addIpAddress("127.0.0.1")
                .build();
        ks.load(null, null);
        ks.setKeyEntry("client", keys.getPrivate(), new char[0], new X509Certificate[] {cert});
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, new char[0]);
        }
        return ks;
    }
}
