package io.cellgate.sparkplug.itest;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.validation.ValidationCheck;

/**
 * The MES's OPC UA client on the plant side of {@link BoundaryNamespaceTest}, run in the plant namespace as its own
 * JVM (Milo's client; Basic256Sha256, SignAndEncrypt, a user name per request). Prints {@code READY}, then answers one
 * command per line on standard input with one line:
 *
 * <pre>
 * READ  user password cell/device/tag        -> VALUE value status
 * WRITE user password cell/device/tag value  -> STATUS status   (the tag's current type decides the value's)
 * </pre>
 *
 * Any failure answers {@code ERROR message}. Arguments: the discovery URL and the client's PKCS#12 key store
 * (alias {@code client}, empty password), whose certificate the gateway trusts.
 */
public final class PlantOpcUaClient {

    private PlantOpcUaClient() {
    }

    /** The test starts this client together with the gateway: discovery is retried until the server answers. */
    private static EndpointDescription endpoint(String discoveryUrl) throws Exception {
        long deadline = System.currentTimeMillis() + 150_000;
        while (true) {
            try {
                return DiscoveryClient.getEndpoints(discoveryUrl).get().stream()
                        .filter(e -> e.getSecurityPolicyUri().equals(SecurityPolicy.Basic256Sha256.getUri())
                                && e.getSecurityMode() == MessageSecurityMode.SignAndEncrypt)
                        .findFirst().orElseThrow(() -> new IllegalStateException("no Basic256Sha256 SignAndEncrypt endpoint"));
            } catch (java.util.concurrent.ExecutionException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(300);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Security.addProvider(new BouncyCastleProvider());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
            ks.load(in, new char[0]);
        }
        PrivateKey key = (PrivateKey) ks.getKey("client", new char[0]);
        X509Certificate cert = (X509Certificate) ks.getCertificate("client");
        EndpointDescription endpoint = endpoint(args[0]);
        // The test trusts the gateway's certificate on first use: what is under test is the boundary, not the PKI.
        MemoryTrustListManager trust = new MemoryTrustListManager();
        trust.addTrustedCertificate(CertificateUtil.decodeCertificate(endpoint.getServerCertificate().bytesOrEmpty()));
        Map<String, OpcUaClient> sessions = new HashMap<>();
        System.out.println("READY");
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = commands.readLine(); line != null; line = commands.readLine()) {
            String[] p = line.trim().split(" ");
            try {
                String user = p[1];
                OpcUaClient client = sessions.get(user);
                if (client == null) {
                    client = OpcUaClient.create(OpcUaClientConfig.builder()
                            .setApplicationName(LocalizedText.english("plant MES (boundary test)"))
                            .setApplicationUri(BoundaryNamespaceTest.CLIENT_URI)
                            .setEndpoint(endpoint)
                            .setKeyPair(new KeyPair(cert.getPublicKey(), key))
                            .setCertificate(cert)
                            .setCertificateChain(new X509Certificate[] {cert})
                            .setCertificateValidator(new DefaultClientCertificateValidator(trust,
                                    ValidationCheck.ALL_OPTIONAL_CHECKS, new MemoryCertificateQuarantine()))
                            .setIdentityProvider(new UsernameProvider(user, p[2]))
                            .build());
                    client.connect();
                    sessions.put(user, client);
                }
                NodeId node = new NodeId(client.readNamespaceTable().getIndex("urn:cellgate:cell"), p[3]);
                DataValue current = client.readValue(0, TimestampsToReturn.Both, node);
                if (p[0].equals("READ")) {
                    System.out.println("VALUE " + current.getValue().value() + " " + current.getStatusCode());
                } else {
                    Object v = current.getValue().value();
                    Object value = v instanceof org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort
                            ? Unsigned.ushort(p[4]) : v instanceof Integer ? Integer.valueOf(p[4]) : Double.valueOf(p[4]);
                    StatusCode status = client.writeValues(List.of(node), List.of(DataValue.valueOnly(new Variant(value))))
                            .get(0);
                    System.out.println("STATUS " + status);
                }
            } catch (Exception | LinkageError e) {
                System.out.println("ERROR " + String.valueOf(e).replace('\n', ' '));
            }
        }
        for (OpcUaClient c : sessions.values()) {
            c.disconnect();
        }
    }
}
