package io.cellgate.opcua.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.bus.Subscription;
import io.cellgate.api.bus.TagBus;
import io.cellgate.api.bus.TagListener;
import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.QualityReason;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.api.write.WriteRequest;
import io.cellgate.api.write.WriteResult;
import io.cellgate.api.write.WriteService;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.stack.core.Stack;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.validation.ValidationCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The OPC UA server component inside Felix, reached over the wire by Milo's client: every allowed
 * policy and mode, username authentication, reads from the tag bus, writes through the write service.
 */
class OpcUaServerTest {

    private static final String USER = Server.USER;
    private static final String PASSWORD = Server.PASSWORD;
    private static final TagPath TEMP = new TagPath("press1", "temp");
    private static final TagPath SETPOINT = new TagPath("press1", "setpoint");
    private static final TagPath BROKEN = new TagPath("press1", "broken");
    private static final Instant SAMPLED = Instant.parse("2026-01-02T03:04:05Z");

    private static final List<WriteRequest> WRITES = new CopyOnWriteArrayList<>();
    private static Server server;

    @BeforeAll
    static void startServer() throws Exception {
        // Milo's connection rate limiter exempts loopback; the server's own settings are tested in LimitsTest.
        FakeBus bus = new FakeBus()
                .with(new TagInfo(TEMP, DataType.FLOAT32, false, "°C", "oil temperature", false, null, null, 0, "fast", 500),
                        TagValue.good(21.5f, SAMPLED))
                .with(new TagInfo(SETPOINT, DataType.INT16, false, null, null, true, 0.0, 100.0, 0, "fast", 500),
                        TagValue.good((short) 7, SAMPLED))
                .with(new TagInfo(BROKEN, DataType.UINT16, false, null, null, false, null, null, 0, "fast", 500),
                        TagValue.bad(QualityReason.COMM_FAILURE, "timeout after 1000 ms", SAMPLED));
        WriteService writes = request -> {
            WRITES.add(request);
            if (((Number) request.value()).doubleValue() > 100) {
                return new WriteResult(WriteResult.Status.INVALID, "above max 100", null);
            }
            return new WriteResult(WriteResult.Status.OK, null,
                    TagValue.good((short) ((Number) request.value()).intValue(), Instant.now()));
        };
        server = new Server(bus, writes, Map.of());
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.stop();
    }

    static Stream<EndpointDescription> sessionEndpoints() throws Exception {
        return endpoints().stream().filter(e -> e.getSecurityMode() != MessageSecurityMode.None);
    }

    @Test
    void getEndpoints_offersExactlyTheAllowedPoliciesAndModes() throws Exception {
        List<EndpointDescription> endpoints = endpoints();

        assertThat(endpoints.stream().filter(e -> e.getSecurityMode() != MessageSecurityMode.None)
                .map(e -> e.getSecurityPolicyUri() + " " + e.getSecurityMode()))
                .containsExactlyInAnyOrder(
                        SecurityPolicy.Basic256Sha256.getUri() + " Sign",
                        SecurityPolicy.Basic256Sha256.getUri() + " SignAndEncrypt",
                        SecurityPolicy.Aes128_Sha256_RsaOaep.getUri() + " Sign",
                        SecurityPolicy.Aes128_Sha256_RsaOaep.getUri() + " SignAndEncrypt",
                        SecurityPolicy.Aes256_Sha256_RsaPss.getUri() + " Sign",
                        SecurityPolicy.Aes256_Sha256_RsaPss.getUri() + " SignAndEncrypt");
        assertThat(endpoints.stream().filter(e -> e.getSecurityMode() == MessageSecurityMode.None))
                .isEmpty();
    }

    @ParameterizedTest
    @MethodSource("sessionEndpoints")
    void connect_eachPolicyAndModeWithPassword_readsTheTagFromTheBus(EndpointDescription endpoint) throws Exception {
        OpcUaClient client = connect(endpoint, new UsernameProvider(USER, PASSWORD));
        try {
            DataValue value = client.readValue(0, TimestampsToReturn.Both, node(client, TEMP));

            assertThat(value.getStatusCode()).isEqualTo(StatusCode.GOOD);
            assertThat(value.getValue().value()).isEqualTo(21.5f);
            assertThat(value.getSourceTime().getJavaInstant()).isEqualTo(SAMPLED);
        } finally {
            client.disconnect();
        }
    }

    @Test
    void connect_sessionOnTheNoneDiscoveryEndpoint_refused() throws Exception {
        // GetEndpoints does not list it; a client that tries anyway gets no session.
        EndpointDescription secure = signAndEncrypt();
        EndpointDescription none = new EndpointDescription(server.discoveryUrl, secure.getServer(), ByteString.NULL_VALUE,
                MessageSecurityMode.None, SecurityPolicy.None.getUri(), secure.getUserIdentityTokens(),
                secure.getTransportProfileUri(), secure.getSecurityLevel());

        // The discovery path serves only the discovery services: CreateSession is not implemented there.
        assertThatThrownBy(() -> connect(none, new UsernameProvider(USER, PASSWORD)).disconnect())
                .hasStackTraceContaining("Bad_NotImplemented");
    }

    @Test
    void connect_anonymous_refused() throws Exception {
        // No endpoint offers an anonymous token policy, so the client cannot even ask for one.
        assertThat(endpoints()).allSatisfy(e -> assertThat(e.getUserIdentityTokens())
                .noneMatch(p -> p.getTokenType() == org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType.Anonymous));
        assertThatThrownBy(() -> connect(signAndEncrypt(), new AnonymousProvider()).disconnect())
                .hasStackTraceContaining("no anonymous token policy");
    }

    @Test
    void connect_wrongPassword_refused() throws Exception {
        assertThatThrownBy(() -> connect(signAndEncrypt(), new UsernameProvider(USER, "wrong")).disconnect())
                .hasStackTraceContaining("Bad_UserAccessDenied");
    }

    @Test
    void read_tagWithCommunicationFailure_isBadCommunicationError() throws Exception {
        OpcUaClient client = connect(signAndEncrypt(), new UsernameProvider(USER, PASSWORD));
        try {
            DataValue value = client.readValue(0, TimestampsToReturn.Both, node(client, BROKEN));

            assertThat(value.getStatusCode().getValue()).isEqualTo(StatusCodes.Bad_CommunicationError);
        } finally {
            client.disconnect();
        }
    }

    @Test
    void write_writableTag_goesThroughTheWriteServiceWithTheUser() throws Exception {
        OpcUaClient client = connect(signAndEncrypt(), new UsernameProvider(USER, PASSWORD));
        try {
            WRITES.clear();
            List<StatusCode> ok = client.writeValues(List.of(node(client, SETPOINT)),
                    List.of(DataValue.valueOnly(new Variant((short) 42))));
            List<StatusCode> tooHigh = client.writeValues(List.of(node(client, SETPOINT)),
                    List.of(DataValue.valueOnly(new Variant((short) 420))));
            List<StatusCode> readOnly = client.writeValues(List.of(node(client, TEMP)),
                    List.of(DataValue.valueOnly(new Variant(1.0f))));

            assertThat(ok.get(0).isGood()).as("write 42: %s", ok.get(0)).isTrue();
            assertThat(tooHigh.get(0).getValue()).isEqualTo(StatusCodes.Bad_OutOfRange);
            assertThat(readOnly.get(0).isBad()).isTrue();
            assertThat(WRITES).extracting(WriteRequest::identity, WriteRequest::channel, WriteRequest::path)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(USER, "opcua", SETPOINT),
                            org.assertj.core.groups.Tuple.tuple(USER, "opcua", SETPOINT));
            assertThat(client.readValue(0, TimestampsToReturn.Both, node(client, SETPOINT)).getValue().value())
                    .isEqualTo((short) 42);
        } finally {
            client.disconnect();
        }
    }

    // --- helpers ---

    private static EndpointDescription signAndEncrypt() throws Exception {
        return server.signAndEncrypt();
    }

    private static List<EndpointDescription> endpoints() throws Exception {
        return server.endpoints();
    }

    private static OpcUaClient connect(EndpointDescription endpoint, IdentityProvider identity) throws Exception {
        return server.connect(endpoint, identity);
    }

    private static NodeId node(OpcUaClient client, TagPath path) throws Exception {
        return Server.node(client, path.toString());
    }
}
