package io.cellgate.mqtt.internal;

import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.bus.TagBus;
import io.cellgate.api.config.ConfigKeys;
import io.cellgate.api.health.GatewayHealth;
import io.cellgate.api.health.HealthContributor;
import io.cellgate.api.write.WriteService;
import io.cellgate.pki.GatewayPki;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocketFactory;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Sparkplug B edge node in the gateway. Needs four configurations: {@code cellgate.runtime} (state.dir),
 * {@code cellgate.cell} (cell.id, config.hash), {@code cellgate.mqtt} (the broker: there is no default) and
 * {@code cellgate.sparkplug}. Activation only checks the settings; the PKI, the outbox and the network are
 * taken on the edge node's own thread. A configuration change restarts it (SCR deactivates and activates:
 * clean NDEATH, then a new session with the next bdSeq).
 */
@Component(configurationPid = {ConfigKeys.RUNTIME_PID, ConfigKeys.CELL_PID, MqttConfig.PID, SparkplugConfig.PID},
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, service = {})
public final class EdgeNodeComponent {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeNodeComponent.class);

    private final EdgeNode node;
    private final ServiceRegistration<HealthContributor> contributor;

    // Optional: the health bundle's metrics join the node metrics when it runs (a rebirth brings new names).
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile GatewayHealth gatewayHealth;

    @Activate
    public EdgeNodeComponent(@Reference TagBus bus, @Reference WriteService writes,
            // Greedy: the audit trail (ranked 100) replaces the core's log sink (-100) if this bound that one first.
            @Reference(name = "audit", policyOption = ReferencePolicyOption.GREEDY) AuditSink audit,
            // Only the reference: the PKI component is delayed and may generate a key when first used.
            @Reference(service = GatewayPki.class) ServiceReference<GatewayPki> pki, BundleContext context,
            MqttConfig mqttConfig, SparkplugConfig config, Map<String, Object> properties) {
        MqttSettings mqtt = MqttSettings.of(mqttConfig);
        EdgeNodeSettings settings = EdgeNodeSettings.of(config, properties,
                context.getBundle().getVersion().toString());
        AtomicReference<GatewayPki> pkiService = new AtomicReference<>();
        java.util.function.Supplier<GatewayPki> pkiSupplier = () -> {
            GatewayPki p = pkiService.get();
            if (p == null) {
                p = context.getService(pki);
                pkiService.set(p);
            }
            return p;
        };
        // The socket factory is built lazily on first connect would need a hook in MqttSession; the PKI is
        // local CPU and file work, so it is taken here only when TLS is used.
        SSLSocketFactory tls = mqtt.needsTls() ? new LazyTls(mqtt, pkiSupplier) : null;
        node = new EdgeNode(mqtt, tls, settings, bus, writes, audit, pkiSupplier, Clock.systemUTC());
        node.gatewayHealth(() -> gatewayHealth);
        node.start();
        contributor = context.registerService(HealthContributor.class, node::northboundMetrics, null);
        LOG.info("Sparkplug edge node {}/{} activated: brokers {}, primary host {}", settings.groupId(),
                settings.edgeNodeId(), List.copyOf(mqtt.brokerUrls()),
                settings.primaryHostId() == null ? "none" : settings.primaryHostId());
    }

    @Deactivate
    void deactivate() {
        try {
            contributor.unregister();
        } catch (IllegalStateException e) {
            // gone with the bundle
        }
        node.stop(Duration.ofSeconds(5));
    }

    /** Builds the TLS socket factory from the PKI at the first connect (on the session thread, not in activation). */
    private static final class LazyTls extends SSLSocketFactory {
        private final MqttSettings settings;
        private final java.util.function.Supplier<GatewayPki> pki;
        private volatile SSLSocketFactory delegate;

        LazyTls(MqttSettings settings, java.util.function.Supplier<GatewayPki> pki) {
            this.settings = settings;
            this.pki = pki;
        }

        private SSLSocketFactory d() {
            SSLSocketFactory f = delegate;
            if (f == null) {
                f = Tls.socketFactory(settings, pki.get());
                delegate = f;
            }
            return f;
        }

        @Override public String[] getDefaultCipherSuites() { return d().getDefaultCipherSuites(); }
        @Override public String[] getSupportedCipherSuites() { return d().getSupportedCipherSuites(); }
        @Override public java.net.Socket createSocket() throws java.io.IOException { return d().createSocket(); }
        @Override public java.net.Socket createSocket(java.net.Socket s, String host, int port, boolean autoClose)
                throws java.io.IOException { return d().createSocket(s, host, port, autoClose); }
        @Override public java.net.Socket createSocket(String host, int port) throws java.io.IOException {
            return d().createSocket(host, port); }
        @Override public java.net.Socket createSocket(String host, int port, java.net.InetAddress local, int localPort)
                throws java.io.IOException { return d().createSocket(host, port, local, localPort); }
        @Override public java.net.Socket createSocket(java.net.InetAddress host, int port) throws java.io.IOException {
            return d().createSocket(host, port); }
        @Override public java.net.Socket createSocket(java.net.InetAddress address, int port, java.net.InetAddress local,
                int localPort) throws java.io.IOException { return d().createSocket(address, port, local, localPort); }
    }
}
