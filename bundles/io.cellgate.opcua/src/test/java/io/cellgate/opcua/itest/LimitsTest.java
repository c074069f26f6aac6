package io.cellgate.opcua.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.api.write.WriteResult;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The server's limits, enforced over the wire. Each nested class runs its own server with its own limits
 * (the itest bundle's Test-Cases header names only this class).
 */
class LimitsTest {

    private static final TagPath TEMP = new TagPath("press1", "temp");

    /** max.sessions and max.message.size. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class SessionsAndMessageSize {

        static final int MAX_SESSIONS = 2;
        static final int MAX_MESSAGE_SIZE = 512 * 1024;
        private Server server;

        @BeforeAll
        void startServer() throws Exception {
            FakeBus bus = new FakeBus().with(
                    new TagInfo(TEMP, DataType.FLOAT32, false, null, null, false, null, null, 0, "fast", 500),
                    TagValue.good(21.5f, Instant.now()));
            server = new Server(bus, r -> new WriteResult(WriteResult.Status.DENIED, "no", null), Map.of(
                    "max.sessions", MAX_SESSIONS,
                    "max.message.size", MAX_MESSAGE_SIZE));
        }

        @AfterAll
        void stopServer() throws Exception {
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
    }

    /**
     * The server's own enforcement of max.chunk.count, max.message.size and hello.deadline.ms, with UA TCP frames
     * written by hand (Milo's client keeps to the limits the server announces, so it never reaches them).
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Transport {

        static final int MAX_CHUNKS = 16;
        static final int MAX_MESSAGE_SIZE = 512 * 1024;
        static final int HELLO_DEADLINE_MS = 1000;
        private Server server;
        private String url;

        @BeforeAll
        void startServer() throws Exception {
            FakeBus bus = new FakeBus().with(
                    new TagInfo(TEMP, DataType.FLOAT32, false, null, null, false, null, null, 0, "fast", 500),
                    TagValue.good(21.5f, Instant.now()));
            server = new Server(bus, r -> new WriteResult(WriteResult.Status.DENIED, "no", null), Map.of(
                    "max.chunk.count", MAX_CHUNKS,
                    "max.message.size", MAX_MESSAGE_SIZE,
                    "hello.deadline.ms", HELLO_DEADLINE_MS));
            url = "opc.tcp://127.0.0.1:" + server.port + "/cellgate/discovery";
        }

        @AfterAll
        void stopServer() throws Exception {
            server.stop();
        }

        @Test
        void openSecureChannel_moreChunksThanMaxChunkCount_refusedAndClosedAndOthersStillServed() throws Exception {
            try (RawUaTcp raw = new RawUaTcp(server.port)) {
                raw.hello(url);
                for (int i = 0; i <= MAX_CHUNKS; i++) {
                    raw.openChunk('C', 100);
                }

                RawUaTcp.Message answer = raw.read();

                assertThat(answer.type()).isEqualTo("ERRF");
                assertThat(answer.error()).isEqualTo(StatusCodes.Bad_TcpMessageTooLarge);
                assertThat(raw.closedByServer()).as("channel closed after the error").isTrue();
            }
            assertStillServes();
        }

        @Test
        void openSecureChannel_messageLargerThanMaxMessageSize_refusedAndClosedAndOthersStillServed() throws Exception {
            try (RawUaTcp raw = new RawUaTcp(server.port)) {
                raw.hello(url);
                // 9 chunks (fewer than max.chunk.count) of 60,000 bytes: 540,000 bytes > 524,288.
                for (int i = 0; i < 8; i++) {
                    raw.openChunk('C', 60_000);
                }
                raw.openChunk('F', 60_000);

                RawUaTcp.Message answer = raw.read();

                assertThat(answer.type()).isEqualTo("ERRF");
                // Milo 1.1.2 detects the size (Bad_TcpMessageTooLarge) but then releases the chunks twice while
                // handling it on an OpenSecureChannel, and the second release turns the error into
                // Bad_UnexpectedError (a Netty reference-count warning is logged). Either way: refused and closed.
                assertThat(answer.error()).isIn(StatusCodes.Bad_TcpMessageTooLarge, StatusCodes.Bad_UnexpectedError);
                assertThat(raw.closedByServer()).as("channel closed after the error").isTrue();
            }
            assertStillServes();
        }

        @Test
        void connect_floodOfHalfOpenConnections_eachClosedByTheServerAndOthersStillServed() throws Exception {
            List<RawUaTcp> flood = new ArrayList<>();
            try {
                for (int i = 0; i < 60; i++) {
                    RawUaTcp raw = new RawUaTcp(server.port);
                    flood.add(raw);
                    if (i % 2 == 1) {
                        raw.partialHello(); // the rest of the Hello never comes
                    }
                }
                // Served meanwhile: the half-open connections do not block a real client.
                assertStillServes();

                // Each read waits up to 15 s, far beyond the 1 s deadline: a connection left open fails the test.
                for (RawUaTcp raw : flood) {
                    assertThat(raw.closedByServer()).as("half-open connection closed by the server").isTrue();
                }
            } finally {
                for (RawUaTcp raw : flood) {
                    raw.close();
                }
            }
            assertStillServes();
        }

        private void assertStillServes() throws Exception {
            OpcUaClient client = server.connect(server.signAndEncrypt(), password());
            try {
                assertThat(client.readValue(0, TimestampsToReturn.Both, Server.node(client, TEMP.toString()))
                        .getValue().value()).isEqualTo(21.5f);
            } finally {
                client.disconnect();
            }
        }
    }

    /** max.session.timeout.ms: the timeout is revised down and an idle session is removed. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class IdleSession {

        // Milo never grants less than 5000 ms, whatever the limit says.
        static final long MAX_SESSION_TIMEOUT_MS = 6000;
        private Server server;

        @BeforeAll
        void startServer() throws Exception {
            FakeBus bus = new FakeBus().with(
                    new TagInfo(new TagPath("press1", "temp"), DataType.FLOAT32, false, null, null, false, null, null, 0,
                            "fast", 500),
                    TagValue.good(21.5f, Instant.now()));
            // One session at a time: a second one gets in only once the first is gone.
            server = new Server(bus, r -> new WriteResult(WriteResult.Status.DENIED, "no", null), Map.of(
                    "max.sessions", 1,
                    "max.session.timeout.ms", MAX_SESSION_TIMEOUT_MS));
        }

        @AfterAll
        void stopServer() throws Exception {
            server.stop();
        }

        @Test
        void connect_longerTimeoutRequestedAndLeftIdle_revisedToMaximumAndSessionRemoved() throws Exception {
            // Asks for 10 minutes and sends no keep-alive for as long: the session is idle from the start.
            OpcUaClient idle = server.connect(server.signAndEncrypt(), password(), b -> b
                    .setSessionTimeout(uint(600_000))
                    .setKeepAliveInterval(uint(600_000)));
            try {
                assertThat(idle.getSession().getSessionTimeout()).isEqualTo((double) MAX_SESSION_TIMEOUT_MS);
                assertThat(refusal()).as("while the idle session lives").isEqualTo(StatusCodes.Bad_TooManySessions);

                // Generous bound: the session expires after 6 s; the server then accepts a new one.
                OpcUaClient next = null;
                for (int i = 0; i < 40 && next == null; i++) {
                    Thread.sleep(500);
                    try {
                        next = server.connect(server.signAndEncrypt(), password());
                    } catch (Exception stillThere) {
                        assertThat(status(stillThere)).isEqualTo(StatusCodes.Bad_TooManySessions);
                    }
                }
                assertThat(next).as("a session after the idle one expired").isNotNull();
                next.disconnect();
            } finally {
                idle.disconnect();
            }
        }

        private long refusal() throws Exception {
            return Server.refusal(server.signAndEncrypt(), password(), server.clientKeys,
                    new X509Certificate[] {server.clientCertificate}, Server.CLIENT_URI);
        }


}

    /** The caps over all sessions together: each session stays below its own cap (2) while two sessions reach the total (3), so only the total cap can refuse the fourth. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class TotalCaps {

            private Server server;

        @BeforeAll
        void startServer() throws Exception {
            FakeBus bus = new FakeBus().with(
                    new TagInfo(TEMP, DataType.FLOAT32, false, null, null, false, null, null, 0, "fast", 500),
                    TagValue.good(21.5f, Instant.now()));
            server = new Server(bus, r -> new WriteResult(WriteResult.Status.DENIED, "no", null), Map.of(
                    "max.subscriptions", 3,
                    "max.subscriptions.per.session", 2,
                    "max.monitored.items", 3,
                    "max.monitored.items.per.session", 2));
        }

        @AfterAll
        void stopServer() throws Exception {
            server.stop();
        }

        @Test
        void createSubscription_totalOfAllSessionsReached_refusedWithTooManySubscriptions() throws Exception {
            OpcUaClient first = connect();
            OpcUaClient second = connect();
            List<OpcUaSubscription> created = new ArrayList<>();
            try {
                created.add(subscribe(first));
                created.add(subscribe(first));
                created.add(subscribe(second));

                Throwable failure = null;
                try {
                    created.add(subscribe(second));
                } catch (Exception e) {
                    failure = e;
                }

                assertThat(failure).as("a fourth subscription with max.subscriptions 3").isNotNull();
                assertThat(status(failure)).isEqualTo(StatusCodes.Bad_TooManySubscriptions);
            } finally {
                for (OpcUaSubscription s : created) {
                    s.delete();
                }
                first.disconnect();
                second.disconnect();
            }
        }

        @Test
        void createMonitoredItem_totalOfAllSessionsReached_refusedWithTooManyMonitoredItems() throws Exception {
            OpcUaClient first = connect();
            OpcUaClient second = connect();
            OpcUaSubscription a = subscribe(first);
            OpcUaSubscription b = subscribe(second);
            try {
                List<OpcUaMonitoredItem> firstItems = List.of(item(first), item(first));
                firstItems.forEach(a::addMonitoredItem);
                a.synchronizeMonitoredItems();
                OpcUaMonitoredItem third = item(second);
                OpcUaMonitoredItem fourth = item(second);
                b.addMonitoredItem(third);
                b.addMonitoredItem(fourth);
                try {
                    b.synchronizeMonitoredItems();
                } catch (Exception expected) {
                    // Milo's client reports any refused item as a failure; the results are checked below.
                }

                for (OpcUaMonitoredItem i : firstItems) {
                    assertThat(i.getCreateResult().orElseThrow().isGood()).isTrue();
                }
                assertThat(third.getCreateResult().orElseThrow().isGood()).isTrue();
                assertThat(fourth.getCreateResult().orElseThrow().getValue())
                        .isEqualTo(StatusCodes.Bad_TooManyMonitoredItems);
            } finally {
                a.delete();
                b.delete();
                first.disconnect();
                second.disconnect();
            }
        }

        private static OpcUaSubscription subscribe(OpcUaClient client) throws Exception {
            OpcUaSubscription s = new OpcUaSubscription(client, 100.0);
            s.create();
            return s;
        }

        private static OpcUaMonitoredItem item(OpcUaClient client) throws Exception {
            return OpcUaMonitoredItem.newDataItem(Server.node(client, TEMP.toString()));
        }

        private OpcUaClient connect() throws Exception {
            return server.connect(server.signAndEncrypt(), new UsernameProvider(Server.USER, Server.PASSWORD));
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
