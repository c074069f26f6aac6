package io.cellgate.broker.internal;

import java.nio.file.Path;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTProtocolManagerFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptor;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ActiveMQServers;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.remoting.Acceptor;

/**
 * An Apache ActiveMQ Artemis server with one MQTT acceptor on 127.0.0.1, nothing else: no persistence,
 * no security, no JMX, no clustering. Used by the demo only; see {@link DemoBrokerComponent}.
 */
final class EmbeddedBroker implements AutoCloseable {

    private static final String ACCEPTOR = "mqtt";

    private final ActiveMQServer server;

    private EmbeddedBroker(ActiveMQServer server) {
        this.server = server;
    }

    /**
     * Starts the broker.
     *
     * @param port TCP port on 127.0.0.1; 0 picks a free one ({@link #port()} tells which)
     * @param workDir where Artemis may create its (unused, as persistence is off) directories
     */
    static EmbeddedBroker start(int port, Path workDir) throws Exception {
        Configuration config = new ConfigurationImpl()
                .setName("cellgate-demo")
                .setPersistenceEnabled(false)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                // The demo's traffic is small; without these Artemis sizes itself for a server machine.
                .setThreadPoolMaxSize(4)
                .setScheduledThreadPoolMaxSize(2)
                .setGlobalMaxSize(32L * 1024 * 1024)
                // No disk full check, no critical analyzer: both would stop a demo for reasons that
                // don't apply to a broker without persistence.
                .setMaxDiskUsage(-1)
                .setCriticalAnalyzer(false)
                // NIO: the AIO check would load the native libaio binding, which this bundle leaves out.
                .setJournalType(JournalType.NIO)
                .setJournalDirectory(workDir.resolve("journal").toString())
                .setBindingsDirectory(workDir.resolve("bindings").toString())
                .setPagingDirectory(workDir.resolve("paging").toString())
                .setLargeMessagesDirectory(workDir.resolve("large-messages").toString())
                // Without a dead letter and expiry address Artemis warns once per subscription. Nothing is
                // ever sent there in MQTT use; the addresses need not exist.
                .addAddressSetting("#", new AddressSettings()
                        .setDeadLetterAddress(SimpleString.of("cellgate.dead-letter"))
                        .setExpiryAddress(SimpleString.of("cellgate.expired")))
                // NIO transport: the epoll/kqueue bindings are left out of the runtime.
                .addAcceptorConfiguration(ACCEPTOR, "tcp://127.0.0.1:" + port + "?protocols=MQTT&useEpoll=false&useKQueue=false");
        ActiveMQServer server = ActiveMQServers.newActiveMQServer(config, false);
        // Registered here rather than found through ServiceLoader: under OSGi the lookup depends on the
        // thread context class loader, and the MQTT protocol is the only one this broker offers.
        server.addProtocolManagerFactory(new MQTTProtocolManagerFactory());
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            throw e;
        }
        EmbeddedBroker broker = new EmbeddedBroker(server);
        if (!server.isActive() || broker.acceptor() == null || !broker.acceptor().isStarted()) {
            stopQuietly(server);
            throw new IllegalStateException("Artemis did not start its MQTT acceptor on 127.0.0.1:" + port
                    + " (is the port in use?)");
        }
        return broker;
    }

    private Acceptor acceptor() {
        return server.getRemotingService() == null ? null : server.getRemotingService().getAcceptor(ACCEPTOR);
    }

    /** The port the MQTT acceptor listens on. */
    int port() {
        return ((NettyAcceptor) acceptor()).getActualPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private static void stopQuietly(ActiveMQServer server) {
        try {
            server.stop();
        } catch (Exception ignored) {
            // already failing: the start error is the one worth reporting
        }
    }
}
