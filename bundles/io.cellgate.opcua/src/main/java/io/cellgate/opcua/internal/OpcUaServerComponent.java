package io.cellgate.opcua.internal;

import io.cellgate.api.bus.TagBus;
import io.cellgate.api.config.ConfigKeys;
import io.cellgate.api.write.WriteService;
import io.cellgate.pki.GatewayPki;
import java.security.Security;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfigLimits;
import org.eclipse.milo.opcua.sdk.server.Session;
import org.eclipse.milo.opcua.sdk.server.identity.AbstractUsernameIdentityValidator;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The northbound OPC UA server. Needs both its own configuration and the cell's ({@code cellgate.cell},
 * for the cell id that names the top folder). Binding happens asynchronously: activation never waits
 * for the network, the outcome is logged.
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

    private final ServerSecurity security;
    private final OpcUaServer server;
    private final CellNamespace namespace;

    @Activate
    public OpcUaServerComponent(@Reference TagBus bus, @Reference WriteService writes, @Reference GatewayPki pki,
            OpcUaConfig config, Map<String, Object> properties) throws Exception {
        Object cell = properties.get(ConfigKeys.CELL_ID);
        if (!(cell instanceof String cellId) || cellId.isBlank()) {
            throw new IllegalArgumentException("configuration " + ConfigKeys.CELL_PID + ": " + ConfigKeys.CELL_ID
                    + " is missing");
        }
        PasswordUsers users = new PasswordUsers(config.users());
        // Milo names Bouncy Castle algorithms (SHA256withRSA/PSS for Aes256_Sha256_RsaPss) but leaves registering
        // the provider to the application; JVM-wide, and left in place for the other users of BC.
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
        SecuritySettings settings = SecuritySettings.of(config.security_policies(), config.security_modes(),
                config.anonymous(), config.allow_insecure());
        if (!settings.insecure().isEmpty()) {
            // Every start, so that an override left in place after commissioning keeps showing in the log.
            LOG.warn("OPC UA server runs with INSECURE settings (allow.insecure=true): {}",
                    String.join("; ", settings.insecure()));
        }

        if (config.max_message_size() < MIN_MESSAGE_SIZE) {
            // Milo decodes its own standard nodes with the same limit; below this it fails to load namespace 0.
            throw new IllegalArgumentException(PID + ": max.message.size must be >= " + MIN_MESSAGE_SIZE + ", got "
                    + config.max_message_size());
        }
        RateLimits.apply(config);
        security = new ServerSecurity(pki);
        server = new OpcUaServer(serverConfig(config, users, settings), profile -> {
            if (profile != TransportProfile.TCP_UASC_UABINARY) {
                throw new IllegalArgumentException("transport " + profile + " is not offered");
            }
            return new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder()
                    .setHelloDeadline(UInteger.valueOf(config.hello_deadline_ms()))
                    .build());
        });
        namespace = new CellNamespace(server, cellId, bus, writes);
        namespace.startup();
        server.startup().whenComplete((s, failure) -> {
            if (failure != null) {
                LOG.error("OPC UA server could not start on {}:{}: {}", config.bind_address(), config.port(),
                        failure.toString());
            } else {
                LOG.info("OPC UA server listening on {}:{}{} ({} x {}{}{}), application URI {}, certificate thumbprint {}",
                        config.bind_address(), config.port(), config.path(), settings.policies(), settings.modes(),
                        settings.noneEndpoint() ? ", None" : "", settings.anonymous() ? ", anonymous" : "",
                        security.applicationUri(), pki.thumbprint());
            }
        });
    }

    @Deactivate
    void deactivate() {
        try {
            namespace.shutdown();
            server.shutdown().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("OPC UA server did not shut down cleanly: {}", e.toString());
        }
    }

    private OpcUaServerConfig serverConfig(OpcUaConfig config, UserAuthenticator users, SecuritySettings settings) {
        Set<EndpointConfig> endpoints = new LinkedHashSet<>();
        EndpointConfig.Builder base = EndpointConfig.newBuilder()
                .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                .setBindAddress(config.bind_address())
                .setBindPort(config.port())
                .setHostname(config.hostname())
                .setPath(config.path())
                .setCertificate(security::certificate)
                .addTokenPolicy(OpcUaServerConfig.USER_TOKEN_POLICY_USERNAME);
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
                var authenticated = users.authenticate(user, password, session.getClientAddress());
                if (authenticated.isPresent()) {
                    return new DefaultUsernameIdentity(authenticated.get());
                }
                LOG.warn("OPC UA authentication failed from {}", session.getClientAddress());
                return null;
            }
        };
        return OpcUaServerConfig.builder()
                .setApplicationUri(security.applicationUri())
                .setApplicationName(LocalizedText.english("CellGate"))
                .setProductUri("urn:cellgate")
                .setBuildInfo(new BuildInfo("urn:cellgate", "CellGate", "CellGate OPC UA server", "0.1.0", "",
                        DateTime.now()))
                .setEndpoints(endpoints)
                .setCertificateManager(security.certificateManager())
                .setIdentityValidator(settings.anonymous()
                        ? new CompositeValidator(AnonymousIdentityValidator.INSTANCE, passwords) : passwords)
                .setEncodingLimits(new EncodingLimits(EncodingLimits.DEFAULT_MAX_CHUNK_SIZE, config.max_chunk_count(),
                        config.max_message_size(), EncodingLimits.DEFAULT_MAX_RECURSION_DEPTH))
                .setLimits(limits(config))
                .build();
    }

    /** Milo's defaults leave subscriptions and monitored items unbounded; a small gateway sets them. */
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
        };
    }
}
