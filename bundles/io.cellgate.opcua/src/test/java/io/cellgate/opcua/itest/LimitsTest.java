package io.cellgate.opcua.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.api.write.WriteResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The server's limits, enforced over the wire. */
class LimitsTest {

    private static final TagPath TEMP = new TagPath("press1", "temp");
    private static final int MAX_SESSIONS = 2;
    private static final int MAX_MESSAGE_SIZE = 512 * 1024;
    private static Server server;

    @BeforeAll
    static void startServer() throws Exception {
        FakeBus bus = new FakeBus().with(
                new TagInfo(TEMP, DataType.FLOAT32, false, null, null, false, null, null, 0, "fast", 500),
                TagValue.good(21.5f, Instant.now()));
        server = new Server(bus, r -> new WriteResult(WriteResult.Status.DENIED, "no", null), Map.of(
                "max.sessions", MAX_SESSIONS,
                "max.message.size", MAX_MESSAGE_SIZE));
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.stop();
    }

    @Test
    void connect_oneSessionMoreThanAllowed_refusedWithTooManySessions() throws Exception {
        List<OpcUaClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_SESSIONS; i++) {
                open.add(server.connect(server.signAndEncrypt(), password()));
            }

            long refused = Server.refusal(server.signAndEncrypt(), password(), server.clientKeys,
                    new java.security.cert.X509Certificate[] {server.clientCertificate}, Server.CLIENT_URI);

            assertThat(refused).isEqualTo(StatusCodes.Bad_TooManySessions);
        } finally {
            for (OpcUaClient c : open) {
                c.disconnect();
            }
        }
    }

    @Test
    void read_requestLargerThanMaxMessageSize_refusedAndSmallRequestsStillWork() throws Exception {
        OpcUaClient client = server.connect(server.signAndEncrypt(), password());
        try {
            NodeId temp = Server.node(client, TEMP.toString());
            // About 12000 x 70 bytes: well above the 512 KiB the server accepts.
            List<NodeId> many = IntStream.range(0, 12000)
                    .mapToObj(i -> new NodeId(temp.getNamespaceIndex(), "cell1/press1/" + "x".repeat(40) + i))
                    .toList();

            Throwable failure = null;
            try {
                client.readValues(0, TimestampsToReturn.Both, many);
            } catch (Exception e) {
                failure = e;
            }

            assertThat(failure).as("a request above max.message.size").isNotNull();
            assertThat(status(failure)).isIn(StatusCodes.Bad_RequestTooLarge, StatusCodes.Bad_TcpMessageTooLarge);
        } finally {
            client.disconnect();
        }
        OpcUaClient again = server.connect(server.signAndEncrypt(), password());
        try {
            assertThat(again.readValue(0, TimestampsToReturn.Both, Server.node(again, TEMP.toString()))
                    .getValue().value()).isEqualTo(21.5f);
        } finally {
            again.disconnect();
        }
    }

    private static long status(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UaException ua) {
                return ua.getStatusCode().value();
            }
        }
        throw new AssertionError("no status code", failure);
    }

    private static UsernameProvider password() {
        return new UsernameProvider(Server.USER, Server.PASSWORD);
    }
}
