package io.cellgate.opcua.internal;

import io.cellgate.api.bus.TagBus;
import io.cellgate.api.config.ConfigKeys;
import io.cellgate.api.health.HealthContributor;
import io.cellgate.api.write.WriteService;
import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.policy.AccessPolicy;
import io.cellgate.api.policy.PolicyAdmin;
import io.cellgate.identity.Authenticator;
import io.cellgate.identity.UserAdmin;
import java.util.concurrent.ScheduledFuture;
import io.cellgate.pki.GatewayPki;
import java.lang.reflect.Method;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfigLimits;
import org.eclipse.milo.opcua.sdk.server.Session;
import org.eclipse.milo.opcua.sdk.server.identity.AbstractUsernameIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.AbstractX509IdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.DefaultX509UserIdentity;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.structured.SignatureData;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.core.types.structured.X509IdentityToken;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Modified;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.CompositeValidator;
import org.eclipse.milo.opcua.sdk.server.identity.IdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.DefaultUsernameIdentity;
import org.eclipse.milo.opcua.sdk.server.identity.Identity;
import org.eclipse.milo.opcua.stack.core.channel.EncodingLimits;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.BuildInfo;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The northbound OPC UA server. Needs its own configuration, the cell's ({@code cellgate.cell}: the cell id
 * that names the top folder) and the gateway's access policy, which decides every browse, read, subscription
 * and write of a session (the policy follows the cell's {@code access:} section itself). Activation
 * returns at once: the PKI (which may generate the gateway certificate), the Milo server and the bind run on
 * the component's own lifecycle thread, so the configuration thread is never held up; the outcome is logged.
 */
@Component(configurationPid = {OpcUaServerComponent.PID, ConfigKeys.CELL_PID},
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, service = {})
// No @Designate: bnd allows it only with a single PID; the OCD (pid cellgate.opcua) is generated but not
// designated yet. To be decided at integration: cell id in the OPC UA configuration, or a designate elsewhere.
public final class OpcUaServerComponent {

    static final String PID = "cellgate.opcua";
    /** Milo 1.1.2 loads values of namespace 0 (the largest 318,688 bytes) through the server's encoding limits. */
    static final int MIN_MESSAGE_SIZE = 512 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(OpcUaServerComponent.class);

    private final TagBus bus;
    private final WriteService writes;
    private final AuditSink audit;
    private final Authenticator authenticator;
    private final UserAdmin userAdmin;
    private final BundleContext context;
    private final ServiceReference<GatewayPki> pkiReference;
    /** Starts, restarts and stops the server, one step at a time, in order. */
    private final ExecutorService lifecycle = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cellgate-opcua-lifecycle");
        t.setDaemon(true);
        return t;
    });
    private final AccessPolicy policy;
    private final PolicyAdmin policyAdmin;
    private volatile boolean closed;
    /** What the running server was built from: a change restarts it; a change of the access policy does not. */
    private String serverKey;
    // Touched only on the lifecycle thread.
    private volatile Running running;
    /** Sessions and rejections, registered as a HealthContributor for the life of the component. */
    private final OpcUaHealth health = new OpcUaHealth(this::openSessions);
    private final ServiceRegistration<HealthContributor> healthRegistration;

    /** A started server and what it holds. */
    private record Running(OpcUaServer server, CellNamespace namespace, GatewayPki pki, ScheduledFuture<?> recheck) {
    }

    @Activate
    public OpcUaServerComponent(@Reference TagBus bus, @Reference WriteService writes,
            // Greedy: the audit trail (ranked 100) replaces the core's log sink (-100) if this bound that one first.
            @Reference(name = "audit", policyOption = ReferencePolicyOption.GREEDY) AuditSink audit,
            @Reference Authenticator authenticator, @Reference UserAdmin userAdmin,
            @Reference(name = "policy") AccessPolicy policy, @Reference(name = "policyAdmin") PolicyAdmin policyAdmin,
            // Only the reference: the service is taken on the lifecycle thread. The PKI component is delayed, so its
            // activation (key generation at first start) then runs there too, not on the configuration thread.
            @Reference(service = GatewayPki.class) ServiceReference<GatewayPki> pki,
            BundleContext context, OpcUaConfig config, Map<String, Object> properties) {
        this.bus = bus;
        this.writes = writes;
        this.audit = audit;
        this.authenticator = authenticator;
        this.userAdmin = userAdmin;
        this.context = context;
        this.pkiReference = pki;
        this.policy = policy;
        this.policyAdmin = policyAdmin;
        Settings settings = settings(config, properties);
        serverKey = settings.key();
        healthRegistration = context.registerService(HealthContributor.class, health, null);
        lifecycle.execute(() -> start(settings));
    }

    /** Sessions of the running server, or null while none runs. */
    private Integer openSessions() {
        Running r = running;
        return r == null ? null : r.server().getSessionManager().getAllSessions().size();
    }

    @Modified
    void modified(OpcUaConfig config, Map<String, Object> properties) {
        // The server restarts only when its own settings change (permissions are the policy's, asked per request).
        Settings settings;
        try {
            settings = settings(config, properties);
        } catch (RuntimeException e) {
            LOG.error("OPC UA server stopped: {}", e.getMessage());
            serverKey = "invalid";
            lifecycle.execute(this::stop);
            return;
        }
        if (!settings.key().equals(serverKey)) {
            serverKey = settings.key();
            LOG.info("OPC UA server settings changed: restarting the server");
            lifecycle.execute(() -> {
                stop();
                start(settings);
            });
        }
    }

    @Deactivate
    void deactivate() {
        closed = true;
        try {
            healthRegistration.unregister();
        } catch (IllegalStateException e) {
            // already gone with the bundle
        }
        lifecycle.execute(this::stop);
        lifecycle.shutdown();
        try {
            if (!lifecycle.awaitTermination(20, TimeUnit.SECONDS)) {
                LOG.warn("OPC UA server did not stop within 20 s");
                lifecycle.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lifecycle.shutdownNow();
        }
    }

    /**
     * Changes when a decision may change without a new request: a new policy version, or the next minute (time
     * windows are minutes). Pushed monitored items are decided again when it changes.
     */
    private Object permissionEpoch() {
        long version;
        try {
            version = policyAdmin.current().version();
        } catch (RuntimeException e) {
            version = -1;
        }
        return version + "@" + System.currentTimeMillis() / 60_000;
    }

    /**
     * The validated configuration the server is built from, with a key that tells when it changed. Checked in
     * activation (no I/O), so a refused configuration fails the component where SCR reports it.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    private record Settings(OpcUaConfig config, String cellId, SecuritySettings security, String key) {
    }

    private static Settings settings(OpcUaConfig config, Map<String, Object> properties) {
        Object cell = properties.get(ConfigKeys.CELL_ID);
        if (!(cell instanceof String cellId) || cellId.isBlank()) {
            throw new IllegalArgumentException("configuration " + ConfigKeys.CELL_PID + ": " + ConfigKeys.CELL_ID
                    + " is missing");
        }
        SecuritySettings security = SecuritySettings.of(config.security_policies(), config.security_modes(),
                config.anonymous(), config.allow_insecure());
        if (config.max_message_size() < MIN_MESSAGE_SIZE) {
            // Milo decodes its own standard nodes with the same limit; below this it fails to load namespace 0.
            throw new IllegalArgumentException(PID + ": max.message.size must be >= " + MIN_MESSAGE_SIZE + ", got "
                    + config.max_message_size());
        }
        if (config.max_chunk_count() < 1) {
            // Milo reads 0 as "no limit".
            throw new IllegalArgumentException(PID + ": max.chunk.count must be >= 1, got " + config.max_chunk_count());
        }
        if (config.session_recheck_ms() < 100) {
            throw new IllegalArgumentException(PID + ": session.recheck.ms must be >= 100, got " + config.session_recheck_ms());
        }
        if (config.hello_deadline_ms() < 100 || config.min_sampling_interval_ms() < 1) {
            throw new IllegalArgumentException(PID + ": hello.deadline.ms must be >= 100 and min.sampling.interval.ms >= 1, "
                    + "got " + config.hello_deadline_ms() + " and " + config.min_sampling_interval_ms());
        }
        StringBuilder key = new StringBuilder("cell.id=").append(cellId);
        for (Method m : OpcUaConfig.class.getDeclaredMethods()) {
            try {
                Object v = m.invoke(config);
                key.append(';').append(m.getName()).append('=')
                        .append(v instanceof Object[] a ? Arrays.toString(a) : String.valueOf(v));
            } catch (ReflectiveOperationException e) {
                key.append(';').append(m.getName()).append("=?");
            }
        }
        return new Settings(config, cellId, security, key.toString());
    }

    /** On the lifecycle thread. */
    private void start(Settings s) {
        if (closed) {
            return;
        }
        OpcUaConfig config = s.config();
        GatewayPki pki = null;
        OpcUaServer server = null;
        CellNamespace namespace = null;
        try {
            SecuritySettings settings = s.security();
            if (!settings.insecure().isEmpty()) {
                // Every start, so that an override left in place after commissioning keeps showing in the log.
                LOG.warn("OPC UA server runs with INSECURE settings (allow.insecure=true): {}",
                        String.join("; ", settings.insecure()));
            }
            // Milo names Bouncy Castle algorithms (SHA256withRSA/PSS for Aes256_Sha256_RsaPss) but leaves registering
            // the provider to the application; JVM-wide, and left in place for the other users of BC.
            if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
                Security.addProvider(new BouncyCastleProvider());
            }
            RateLimits.apply(config);
            pki = context.getService(pkiReference);
            if (pki == null) {
                throw new IllegalStateException("the PKI service (" + GatewayPki.class.getName() + ") is not available");
            }
            GatewayPki gatewayPki = pki;
            ServerSecurity security = new ServerSecurity(pki, health.untrustedCertificates::incrementAndGet);
            UserAuthenticator users = new IdentityUsers(authenticator, gatewayPki::trustStore);
            if (closed) {
                return;
            }
            server = new OpcUaServer(serverConfig(config, users, settings, security), profile -> {
                if (profile != TransportProfile.TCP_UASC_UABINARY) {
                    throw new IllegalArgumentException("transport " + profile + " is not offered");
                }
                return new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder()
                        .setHelloDeadline(UInteger.valueOf(config.hello_deadline_ms()))
                        .build());
            });
            namespace = new CellNamespace(server, s.cellId(), bus, writes, new SessionAccess(policy),
                    this::permissionEpoch, audit, health.deniedRequests::incrementAndGet);
            namespace.startup();
            ServiceGuards.install(server, config.path(), namespace);
            if (closed) {
                return;
            }
            server.startup().get(30, TimeUnit.SECONDS);
            // Sessions of users disabled, removed or given other roles are closed within one period.
            ScheduledFuture<?> recheck = server.getScheduledExecutorService().scheduleWithFixedDelay(
                    new SessionRevocation(server, userAdmin, audit), config.session_recheck_ms(),
                    config.session_recheck_ms(), TimeUnit.MILLISECONDS);
            running = new Running(server, namespace, pki, recheck);
            LOG.info("OPC UA server listening on {}:{}{} ({} x {}{}{}), application URI {}, certificate thumbprint {}",
                    config.bind_address(), config.port(), config.path(), settings.policies(), settings.modes(),
                    settings.noneEndpoint() ? ", None" : "", settings.anonymous() ? ", anonymous" : "",
                    security.applicationUri(), pki.thumbprint());
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                    ? e.getCause() : e;
            LOG.error("OPC UA server could not start on {}:{}: {}", config.bind_address(), config.port(),
                    cause.toString());
        } finally {
            if (running == null || running.server() != server) {
                // Not started (failed, or deactivated meanwhile): release what was taken.
                shutdown(server, namespace);
                if (pki != null) {
                    ungetPki();
                }
            }
        }
    }

    /** On the lifecycle thread. */
    private void stop() {
        Running r = running;
        running = null;
        if (r != null) {
            r.recheck().cancel(false);
            shutdown(r.server(), r.namespace());
            ungetPki();
            LOG.info("OPC UA server stopped");
        }
    }

    private void ungetPki() {
        try {
            context.ungetService(pkiReference);
        } catch (IllegalStateException e) {
            // The bundle is stopping: nothing left to release.
        }
    }

    private static void shutdown(OpcUaServer server, CellNamespace namespace) {
        try {
            if (namespace != null) {
                namespace.shutdown();
            }
            if (server != null) {
                server.shutdown().get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            LOG.warn("OPC UA server did not shut down cleanly: {}", e.toString());
        }
    }

    private OpcUaServerConfig serverConfig(OpcUaConfig config, UserAuthenticator users, SecuritySettings settings,
            ServerSecurity security) {
        Set<EndpointConfig> endpoints = new LinkedHashSet<>();
        EndpointConfig.Builder base = EndpointConfig.newBuilder()
                .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                .setBindAddress(config.bind_address())
                .setBindPort(config.port())
                .setHostname(config.hostname())
                .setPath(config.path())
                .setCertificate(security::certificate)
                .addTokenPolicy(OpcUaServerConfig.USER_TOKEN_POLICY_USERNAME)
                .addTokenPolicy(OpcUaServerConfig.USER_TOKEN_POLICY_X509);
        if (settings.anonymous()) {
            base.addTokenPolicy(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS);
        }
        for (SecurityPolicy policy : settings.policies()) {
            for (MessageSecurityMode mode : settings.modes()) {
                endpoints.add(base.copy().setSecurityPolicy(policy).setSecurityMode(mode).build());
            }
        }
        if (settings.noneEndpoint()) {
            endpoints.add(base.copy().setSecurityPolicy(SecurityPolicy.None).setSecurityMode(MessageSecurityMode.None)
                    .build());
        }
        // Discovery only: Milo serves nothing but GetEndpoints/FindServers on a path without a session endpoint.
        endpoints.add(EndpointConfig.newBuilder()
                .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                .setBindAddress(config.bind_address())
                .setBindPort(config.port())
                .setHostname(config.hostname())
                .setCertificate(security::certificate)
                .setPath(config.path() + "/discovery")
                .setSecurityPolicy(SecurityPolicy.None).setSecurityMode(MessageSecurityMode.None).build());

        IdentityValidator passwords = new AbstractUsernameIdentityValidator() {
            @Override
            protected Identity.UsernameIdentity authenticateUsernamePassword(Session session, String user,
                    String password) {
                var identity = users.authenticate(user, password, session.getClientAddress());
                if (identity.isEmpty()) {
                    health.badUserTokens.incrementAndGet();
                    LOG.warn("OPC UA authentication failed from {}", session.getClientAddress());
                    return null; // Bad_UserAccessDenied, the same for every cause
                }
                var milo = new DefaultUsernameIdentity(identity.get().name());
                milo.setUserData(identity.get());
                return milo;
            }
        };
        IdentityValidator certificates = new AbstractX509IdentityValidator() {
            @Override
            protected Identity.X509UserIdentity validateX509Token(Session session, X509IdentityToken token,
                    UserTokenPolicy policy, SignatureData signature) throws UaException {
                try {
                    return super.validateX509Token(session, token, policy, signature);
                } catch (UaException e) {
                    health.badUserTokens.incrementAndGet();
                    if (e.getStatusCode().getValue() == StatusCodes.Bad_IdentityTokenRejected) {
                        // An unmapped or untrusted user certificate gets what a wrong password gets.
                        throw new UaException(StatusCodes.Bad_UserAccessDenied);
                    }
                    throw e;
                }
            }

            @Override
            protected Identity.X509UserIdentity authenticateCertificate(Session session, X509Certificate certificate) {
                var identity = users.authenticate(List.of(certificate), session.getClientAddress());
                if (identity.isEmpty()) {
                    return null; // counted as a bad user token where the refusal surfaces, in validateX509Token
                }
                var milo = new DefaultX509UserIdentity(certificate);
                milo.setUserData(identity.get());
                return milo;
            }
        };
        IdentityValidator validator = new CompositeValidator(passwords, certificates);
        return OpcUaServerConfig.builder()
                .setApplicationUri(security.applicationUri())
                .setApplicationName(LocalizedText.english("CellGate"))
                .setProductUri("urn:cellgate")
                .setBuildInfo(new BuildInfo("urn:cellgate", "CellGate", "CellGate OPC UA server", "0.1.0", "",
                        DateTime.now()))
                .setEndpoints(endpoints)
                .setCertificateManager(security.certificateManager())
                .setIdentityValidator(settings.anonymous()
                        ? new CompositeValidator(AnonymousIdentityValidator.INSTANCE, passwords, certificates) : validator)
                .setRoleMapper(SessionIdentities.ROLE_MAPPER)
                .setEncodingLimits(new EncodingLimits(EncodingLimits.DEFAULT_MAX_CHUNK_SIZE, config.max_chunk_count(),
                        config.max_message_size(), EncodingLimits.DEFAULT_MAX_RECURSION_DEPTH))
                .setLimits(limits(config))
                .build();
    }

    /**
     * Milo's defaults leave subscriptions and monitored items unbounded and allow sampling at 0 ms; a small gateway
     * sets them.
     */
    static OpcUaServerConfigLimits limits(OpcUaConfig config) {
        return new OpcUaServerConfigLimits() {
            @Override
            public UInteger getMaxSessions() {
                return UInteger.valueOf(config.max_sessions());
            }

            @Override
            public Double getMaxSessionTimeout() {
                return (double) config.max_session_timeout_ms();
            }

            @Override
            public UInteger getMaxSubscriptions() {
                return UInteger.valueOf(config.max_subscriptions());
            }

            @Override
            public UInteger getMaxSubscriptionsPerSession() {
                return UInteger.valueOf(config.max_subscriptions_per_session());
            }

            @Override
            public UInteger getMaxMonitoredItems() {
                return UInteger.valueOf(config.max_monitored_items());
            }

            @Override
            public UInteger getMaxMonitoredItemsPerSession() {
                return UInteger.valueOf(config.max_monitored_items_per_session());
            }

            @Override
            public Double getMinSupportedSampleRate() {
                return (double) config.min_sampling_interval_ms();
            }
        };
    }
}
