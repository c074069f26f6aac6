package io.cellgate.opcua.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.bus.TagBus;
import io.cellgate.api.policy.AccessPolicy;
import io.cellgate.api.policy.PolicyAdmin;
import io.cellgate.api.write.WriteService;
import io.cellgate.identity.Identity;
import io.cellgate.identity.Roles;
import io.cellgate.identity.UserAdmin;
import io.cellgate.pki.GatewayPki;
import io.cellgate.pki.TrustList;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.validation.ValidationCheck;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * One OPC UA server under test, on an ephemeral loopback port, with the real PKI bundle in a temporary
 * state directory, the real identity bundle (users created through UserAdmin), a fake tag bus, write service
 * and audit sink, and one trusted client certificate.
 */
final class Server {

    /** Roles Operator and Observer. */
    static final String USER = "operator";
    static final String PASSWORD = "correct horse battery staple";
    /** Role Observer only. */
    static final String OBSERVER = "observer";
    static final String OBSERVER_PASSWORD = "blue tractor on the hill";
    /** Observer reads everything, Operator writes press1/setpoint. */
    static final String[] DEFAULT_RULES = {"Observer|browse,read,subscribe|*/*", "Operator|write|press1/setpoint"};
    static final String CLIENT_URI = "urn:cellgate:test-client";

    final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    final List<Configuration> configurations = new ArrayList<>();
    final Path stateDir;
    final int port;
    final String discoveryUrl;
    final GatewayPki pki;
    final KeyPair clientKeys;
    final X509Certificate clientCertificate;
    final UserAdmin users;
    final List<AuditEvent> audit = new CopyOnWriteArrayList<>();
    final RoleTablePolicy policy;

    /** Starts the server with the given extra cellgate.opcua properties and waits until it answers. */
    Server(TagBus bus, WriteService writes, Map<String, Object> opcuaProperties) throws Exception {
        this(bus, writes, opcuaProperties, true);
    }

    /** Configures the server; waits until it answers when {@code await} is set. */
    Server(TagBus bus, WriteService writes, Map<String, Object> opcuaProperties, boolean await) throws Exception {
        this(bus, writes, opcuaProperties, DEFAULT_RULES, await);
    }

    /** With the given access rules ({@code role|action,...|pattern,...}) in the test policy. */
    Server(TagBus bus, WriteService writes, Map<String, Object> opcuaProperties, String[] accessRules, boolean await)
            throws Exception {
        BundleContext context = FrameworkUtil.getBundle(Server.class).getBundleContext();
        registrations.add(context.registerService(TagBus.class, bus, null));
        registrations.add(context.registerService(WriteService.class, writes, null));
        registrations.add(context.registerService(AuditSink.class, (AuditSink) e -> audit.add(e), null));
        // The server asks the gateway's one access policy; here a small role table stands in for the policy bundle.
        policy = new RoleTablePolicy(accessRules);
        registrations.add(context.registerService(new String[] {AccessPolicy.class.getName(),
            PolicyAdmin.class.getName()}, policy, null));
        try {
                stateDir = Files.createTempDirectory("opcua-state");
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            ConfigurationAdmin admin = service(context, ConfigurationAdmin.class);
            configure(admin, "cellgate.runtime", Map.of("state.dir", stateDir.toString()));
            configure(admin, "cellgate.cell", Map.of("cell.id", "cell1"));
            // The fastest hashing the identity bundle accepts; no per-source delay within a test class (all from loopback).
            configure(admin, "cellgate.identity", Map.of("pbkdf2.iterations", 310_000, "source.threshold", 20));
            configure(admin, "cellgate.pki", Map.of("dns.names", new String[] {"localhost"},
                    "ip.addresses", new String[] {"127.0.0.1"}));
            pki = service(context, GatewayPki.class);

            // The test client's certificate is trusted through the PKI bundle's API before the first connection.
            clientKeys = TestCerts.rsa();
            clientCertificate = TestCerts.selfSigned(clientKeys, "cellgate test client", CLIENT_URI);
            pki.trustStore().add(TrustList.TRUSTED, clientCertificate);

            users = userAdmin(context);
            users.createUser(Identity.SYSTEM, USER, Set.of(Roles.OPERATOR, Roles.OBSERVER), PASSWORD.toCharArray());
            users.createUser(Identity.SYSTEM, OBSERVER, Set.of(Roles.OBSERVER), OBSERVER_PASSWORD.toCharArray());

            Hashtable<String, Object> opcua = new Hashtable<>(Map.of(
                    "bind.address", "127.0.0.1",
                    "hostname", "127.0.0.1",
                    "port", port));
            opcua.putAll(opcuaProperties);
            configure(admin, "cellgate.opcua", opcua);
            discoveryUrl = "opc.tcp://127.0.0.1:" + port + "/cellgate/discovery";
        } catch (Exception | Error e) {
            // A server that did not come up must not leave its services behind: the next test class would bind
            // this one's tag bus, write service and policy instead of its own.
            release();
            throw e;
        }
        if (await) {
            awaitEndpoints();
        }
    }

    void stop() throws Exception {
        release();
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Deletes the configurations and unregisters the services this server made. */
    private void release() throws java.io.IOException {
        for (Configuration c : configurations) {
            c.delete();
        }
        configurations.clear();
        registrations.forEach(ServiceRegistration::unregister);
        registrations.clear();
    }

    private void configure(ConfigurationAdmin admin, String pid, Map<String, Object> properties) throws Exception {
        Configuration c = admin.getConfiguration(pid, "?");
        c.update(new Hashtable<>(properties));
        configurations.add(c);
    }

    List<EndpointDescription> endpoints() throws Exception {
        return DiscoveryClient.getEndpoints(discoveryUrl).get(10, TimeUnit.SECONDS);
    }

    EndpointDescription signAndEncrypt() throws Exception {
        return endpoints().stream()
                .filter(e -> e.getSecurityPolicyUri().equals(SecurityPolicy.Basic256Sha256.getUri())
                        && e.getSecurityMode() == MessageSecurityMode.SignAndEncrypt)
                .findFirst().orElseThrow();
    }

    /** Connects with the trusted test client certificate. */
    OpcUaClient connect(EndpointDescription endpoint, IdentityProvider identity) throws Exception {
        return connect(endpoint, identity, clientKeys, new X509Certificate[] {clientCertificate}, CLIENT_URI);
    }

    /** Connects with the given client certificate chain, announcing the given application URI. */
    static OpcUaClient connect(EndpointDescription endpoint, IdentityProvider identity, KeyPair keys,
            X509Certificate[] chain, String applicationUri) throws Exception {
        return connect(endpoint, identity, keys, chain, applicationUri, b -> { });
    }

    /** Connects with the trusted test client certificate and client settings adjusted by {@code adjust}. */
    OpcUaClient connect(EndpointDescription endpoint, IdentityProvider identity,
            java.util.function.Consumer<org.eclipse.milo.opcua.sdk.client.OpcUaClientConfigBuilder> adjust)
            throws Exception {
        return connect(endpoint, identity, clientKeys, new X509Certificate[] {clientCertificate}, CLIENT_URI, adjust);
    }

    private static OpcUaClient connect(EndpointDescription endpoint, IdentityProvider identity, KeyPair keys,
            X509Certificate[] chain, String applicationUri,
            java.util.function.Consumer<org.eclipse.milo.opcua.sdk.client.OpcUaClientConfigBuilder> adjust)
            throws Exception {
        // The client trusts exactly the server's certificate and runs all optional checks on it.
        var trust = new MemoryTrustListManager();
        if (endpoint.getServerCertificate() != null && !endpoint.getServerCertificate().isNullOrEmpty()) {
            trust.addTrustedCertificate(CertificateUtil.decodeCertificate(endpoint.getServerCertificate().bytesOrEmpty()));
        }
        var builder = OpcUaClientConfig.builder();
        builder
                .setApplicationName(LocalizedText.english("cellgate test client"))
                .setApplicationUri(applicationUri)
                .setEndpoint(endpoint)
                .setKeyPair(keys)
                .setCertificate(chain[0])
                .setCertificateChain(chain)
                .setCertificateValidator(new DefaultClientCertificateValidator(trust,
                        ValidationCheck.ALL_OPTIONAL_CHECKS, new MemoryCertificateQuarantine()))
                .setIdentityProvider(identity);
        adjust.accept(builder);
        OpcUaClient client = OpcUaClient.create(builder.build());
        try {
            client.connect();
        } catch (Exception e) {
            client.disconnect();
            throw e;
        }
        return client;
    }

    /** The status code a connection attempt is refused with (fails the test if it connects). */
    static long refusal(EndpointDescription endpoint, IdentityProvider identity, KeyPair keys, X509Certificate[] chain,
            String applicationUri) {
        try {
            connect(endpoint, identity, keys, chain, applicationUri).disconnect();
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof UaException ua) {
                    return ua.getStatusCode().value();
                }
            }
            throw new AssertionError("refused without a status code", e);
        }
        throw new AssertionError("connected, expected a refusal");
    }

    static NodeId node(OpcUaClient client, String path) throws Exception {
        var ns = client.readNamespaceTable().getIndex("urn:cellgate:cell");
        return new NodeId(ns, "cell1/" + path);
    }

    /** The server binds asynchronously after activation: wait until it answers GetEndpoints. */
    private void awaitEndpoints() throws Exception {
        Exception last = null;
        for (int i = 0; i < 75; i++) {
            try {
                endpoints();
                return;
            } catch (Exception e) {
                last = e;
                Thread.sleep(200);
            }
        }
        throw new AssertionError("server never answered GetEndpoints at " + discoveryUrl, last);
    }

    static <T> T service(BundleContext context, Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        // The PKI generates the gateway's key at its first start: on a loaded build machine that takes seconds.
        T service = tracker.waitForService(30_000);
        assertThat(service).as(type.getSimpleName()).isNotNull();
        return service;
    }

    /**
     * The identity service of this state directory: it creates users.yaml (first-start admin) when it activates;
     * configuration events are delivered in order, so the newest registration is then this directory's.
     */
    private UserAdmin userAdmin(BundleContext context) throws Exception {
        Path file = stateDir.resolve("identity/users.yaml");
        for (int i = 0; i < 100 && !Files.exists(file); i++) {
            Thread.sleep(100);
        }
        assertThat(file).as("identity store of this test").exists();
        ServiceReference<UserAdmin> newest = context.getServiceReferences(UserAdmin.class, null).stream()
                .max(Comparator.comparingLong(r -> (Long) r.getProperty("service.id"))).orElseThrow();
        return context.getService(newest);
    }
}
