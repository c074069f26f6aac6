package io.cellgate.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.bus.TagBus;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.identity.Identity;
import io.cellgate.identity.Roles;
import io.cellgate.identity.UserAdmin;
import io.cellgate.pki.GatewayPki;
import io.cellgate.pki.TrustList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemSynchronizationException;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole chain over the wire: Milo's client (SignAndEncrypt, user name) → the OPC UA server → the
 * write service → the Modbus driver → a pymodbus device, and back from the device through the poller
 * and the tag bus into a client subscription. Real bundles: config, core, driver, PKI, identity, OPC UA.
 */
class OpcUaCellTest {

    private static final String CELL = "opcua-cell";
    private static final String DEVICE = "plc-1";
    private static final int SETPOINT_REGISTER = 20;
    private static final int LEVEL_REGISTER = 30;
    private static final long POLL_MS = 200;
    private static final int MAX_SUBSCRIPTIONS_PER_SESSION = 2;
    private static final int MAX_ITEMS_PER_SESSION = 4;
    private static final int LATENCY_CHANGES = 20;
    private static final String OPERATOR = "operator1";
    private static final String OBSERVER = "observer1";
    private static final String PASSWORD = "blue tractor on the hill";
    private static final String CLIENT_URI = "urn:cellgate:itest-client";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final CellFixture cell = new CellFixture(OpcUaCellTest.class, WAIT);
    private static PyModbusDevice device;
    private static Path stateDir;
    private static int opcuaPort;
    private static OpcUaTestClient application;
    private static EndpointDescription endpoint;

    @BeforeAll
    static void startCell() throws Exception {
        PyModbusDevice.requirePymodbus();
        device = PyModbusDevice.start(Map.of(SETPOINT_REGISTER, 5, LEVEL_REGISTER, 100));
        stateDir = Files.createTempDirectory("opcua-cell-state");
        opcuaPort = CellFixture.freePort();
        // The OPC UA server's settings and the certificate's names come from cell.yaml (opcua: section),
        // so the server only ever binds to loopback on the test's port.
        Path cellDir = writeCell(Files.createTempDirectory("opcua-cell"));
        cell.configure("cellgate.runtime", Map.of("state.dir", stateDir.toString()));
        cell.configure("cellgate.config", Map.of("directory", cellDir.toString(), "watch.interval", 500L));
        createUsers();

        application = OpcUaTestClient.create("cellgate itest client", CLIENT_URI, Period.ofDays(30));
        cell.service(GatewayPki.class).trustStore().add(TrustList.TRUSTED, application.certificate);

        TagBus bus = cell.service(TagBus.class);
        cell.await("setpoint and level good on the tag bus",
                () -> bus.value(TagPath.parse(DEVICE + "/setpoint")).map(TagValue::isGood).orElse(false)
                && bus.value(TagPath.parse(DEVICE + "/level")).map(TagValue::isGood).orElse(false));
        endpoint = OpcUaTestClient.awaitEndpoint(opcuaPort, WAIT);
    }

    @AfterAll
    static void stopCell() throws Exception {
        cell.deleteConfigurations();
        if (device != null) {
            device.close();
        }
    }

    @Test
    void write_operatorWithinLimits_reachesDeviceAndIsReadBack() throws Exception {
        OpcUaClient client = connect(OPERATOR);
        try {
            NodeId setpoint = node(client, "setpoint");

            StatusCode status = write(client, setpoint, (short) 42);

            assertThat(status.isGood()).as("write 42: %s", status).isTrue();
            assertThat(device.register(SETPOINT_REGISTER)).as("the device's register").isEqualTo(42);
            assertThat(client.readValue(0, TimestampsToReturn.Both, setpoint).getValue().value()).isEqualTo((short) 42);
        } finally {
            client.disconnect();
        }
    }

    @Test
    void read_denyRuleOfTheCellsPolicy_operatorRefusedObserverServed() throws Exception {
        OpcUaClient operator = connect(OPERATOR);
        OpcUaClient observer = connect(OBSERVER);
        try {
            DataValue denied = operator.readValue(0, TimestampsToReturn.Both, node(operator, "aux_1"));
            DataValue served = observer.readValue(0, TimestampsToReturn.Both, node(observer, "aux_1"));

            assertThat(denied.getStatusCode().getValue()).as("operator's read of aux_1: %s", denied)
                    .isEqualTo(StatusCodes.Bad_UserAccessDenied);
            assertThat(served.getStatusCode().isGood()).as("observer's read of aux_1: %s", served).isTrue();
        } finally {
            operator.disconnect();
            observer.disconnect();
        }
    }

    @Test
    void write_outOfRange_badOutOfRangeAndNothingSentToTheDevice() throws Exception {
        OpcUaClient client = connect(OPERATOR);
        try {
            int before = device.register(SETPOINT_REGISTER);
            long writesBefore = device.writeRequests();

            StatusCode status = write(client, node(client, "setpoint"), (short) 120);

            assertThat(status.getValue()).as("write 120 (max 100): %s", status).isEqualTo(StatusCodes.Bad_OutOfRange);
            assertThat(device.register(SETPOINT_REGISTER)).isEqualTo(before);
            assertThat(device.writeRequests()).as("Modbus write requests").isEqualTo(writesBefore);
        } finally {
            client.disconnect();
        }
    }

    @Test
    void write_observer_userAccessDeniedAndNothingSentToTheDevice() throws Exception {
        OpcUaClient client = connect(OBSERVER);
        try {
            int before = device.register(SETPOINT_REGISTER);
            long writesBefore = device.writeRequests();

            StatusCode status = write(client, node(client, "setpoint"), (short) (before == 17 ? 18 : 17));

            assertThat(status.getValue()).as("observer's write: %s", status).isEqualTo(StatusCodes.Bad_UserAccessDenied);
            assertThat(device.register(SETPOINT_REGISTER)).isEqualTo(before);
            assertThat(device.writeRequests()).as("Modbus write requests").isEqualTo(writesBefore);
        } finally {
            client.disconnect();
        }
    }

    /**
     * Changes a register on the device {@value #LATENCY_CHANGES} times and waits for each new value in a
     * subscription. Asserts arrival only; the latencies (device change → notification) are written to
     * {@code target/itest-results/opcua-subscription-latency.txt} for docs/benchmarks.md.
     */
    @Test
    void subscription_registerChangedOnDevice_arrivesAtTheClient() throws Exception {
        OpcUaClient client = connect(OBSERVER);
        OpcUaSubscription subscription = new OpcUaSubscription(client, 50.0);
        try {
            BlockingQueue<long[]> received = new LinkedBlockingQueue<>();
            subscription.create();
            OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(node(client, "level"));
            item.setSamplingInterval(POLL_MS / 2.0); // at most the poll interval
            item.setDataValueListener((i, value) -> received.add(new long[] {System.nanoTime(),
                    value.getValue().value() instanceof Number n ? n.longValue() : -1}));
            subscription.addMonitoredItem(item);
            subscription.synchronizeMonitoredItems();
            assertThat(awaitValue(received, device.register(LEVEL_REGISTER))).as("initial notification").isNotNegative();

            long[] latencies = new long[LATENCY_CHANGES];
            for (int i = 0; i < LATENCY_CHANGES; i++) {
                int value = 200 + i;
                Thread.sleep(37 * (i % 7)); // spread the changes over the poll cycle
                long changed = System.nanoTime(); // just before the device takes the value: an upper bound
                device.set(LEVEL_REGISTER, value);
                long arrived = awaitValue(received, value);
                assertThat(arrived).as("notification of %d", value).isNotNegative();
                latencies[i] = arrived - changed;
            }
            record(latencies, subscription, item);
        } finally {
            subscription.delete();
            client.disconnect();
        }
    }

    @Test
    void subscriptions_oneMoreThanAllowedPerSession_refusedWithTooManySubscriptions() throws Exception {
        OpcUaClient client = connect(OBSERVER);
        try {
            for (int i = 0; i < MAX_SUBSCRIPTIONS_PER_SESSION; i++) {
                new OpcUaSubscription(client, 500.0).create();
            }

            Throwable refused = null;
            try {
                new OpcUaSubscription(client, 500.0).create();
            } catch (UaException e) {
                refused = e;
            }

            assertThat(refused).as("subscription %d", MAX_SUBSCRIPTIONS_PER_SESSION + 1).isNotNull();
            assertThat(((UaException) refused).getStatusCode().getValue()).isEqualTo(StatusCodes.Bad_TooManySubscriptions);
        } finally {
            client.disconnect();
        }
    }

    @Test
    void monitoredItems_oneMoreThanAllowedPerSession_refusedWithTooManyMonitoredItems() throws Exception {
        OpcUaClient client = connect(OBSERVER);
        try {
            OpcUaSubscription subscription = new OpcUaSubscription(client, 500.0);
            subscription.create();
            List<NodeId> nodes = List.of(node(client, "setpoint"), node(client, "level"), node(client, "aux_1"),
                    node(client, "aux_2"));
            for (NodeId n : nodes.subList(0, MAX_ITEMS_PER_SESSION)) {
                subscription.addMonitoredItem(OpcUaMonitoredItem.newDataItem(n));
            }
            subscription.synchronizeMonitoredItems();
            assertThat(subscription.getMonitoredItems())
                    .allSatisfy(i -> assertThat(i.getCreateResult().orElseThrow().isGood()).isTrue());

            OpcUaMonitoredItem oneMore = OpcUaMonitoredItem.newDataItem(node(client, "aux_3"));
            subscription.addMonitoredItem(oneMore);
            try {
                subscription.synchronizeMonitoredItems();
            } catch (MonitoredItemSynchronizationException e) {
                // expected: the result of the refused item is read below
            }

            assertThat(oneMore.getCreateResult()).as("create result of item %d", MAX_ITEMS_PER_SESSION + 1).isPresent();
            assertThat(oneMore.getCreateResult().get().getValue()).isEqualTo(StatusCodes.Bad_TooManyMonitoredItems);
        } finally {
            client.disconnect();
        }
    }

    private static StatusCode write(OpcUaClient client, NodeId node, short value) throws UaException {
        return client.writeValues(List.of(node), List.of(DataValue.valueOnly(new Variant(value)))).get(0);
    }

    /** Nanotime of the notification carrying {@code value}, or -1 if none came within 10 s. */
    private static long awaitValue(BlockingQueue<long[]> received, long value) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
            long[] n = received.poll(left, TimeUnit.NANOSECONDS);
            if (n != null && n[1] == value) {
                return n[0];
            }
        }
        return -1;
    }

    private static void record(long[] latencies, OpcUaSubscription subscription, OpcUaMonitoredItem item) throws IOException {
        long[] ms = Arrays.stream(latencies).map(TimeUnit.NANOSECONDS::toMillis).sorted().toArray();
        String report = "OPC UA subscription latency, device register change -> client notification (ms), "
                + ms.length + " changes; poll interval " + POLL_MS + " ms, sampling interval "
                + item.getRevisedSamplingInterval().orElse(null) + " ms, publishing interval "
                + subscription.getRevisedPublishingInterval().orElse(null) + " ms\n"
                + "min " + ms[0] + ", median " + ms[ms.length / 2] + ", p95 " + ms[(int) Math.ceil(ms.length * 0.95) - 1]
                + ", max " + ms[ms.length - 1] + ", mean " + Arrays.stream(ms).average().orElse(0) + "\n"
                + "all (sorted): " + Arrays.toString(ms) + "\n";
        System.out.print(report);
        String dir = cell.context().getProperty("cellgate.itest.results");
        if (dir != null) {
            Files.createDirectories(Path.of(dir));
            Files.writeString(Path.of(dir, "opcua-subscription-latency.txt"), report);
        }
    }

    private static Path writeCell(Path dir) throws IOException {
        CellFixture.writeProfile(dir, "test-plc", "Test PLC", """
                  - { name: setpoint, area: holding_register, address: %d, type: int16, access: read_write, min: 0, max: 100 }
                  - { name: level, area: holding_register, address: %d, type: uint16 }
                  - { name: aux_1, area: holding_register, address: 40, type: uint16 }
                  - { name: aux_2, area: holding_register, address: 41, type: uint16 }
                  - { name: aux_3, area: holding_register, address: 42, type: uint16 }
                """.formatted(SETPOINT_REGISTER, LEVEL_REGISTER));
        Files.writeString(dir.resolve("cell.yaml"), """
                cell:
                  id: %s
                  name: OPC UA full-stack test cell
                pollGroups:
                  fast: %dms
                defaults:
                  timeout: 500ms
                  retries: 0
                devices:
                  - id: %s
                    profile: test-plc
                    endpoint: { protocol: modbus-tcp, host: 127.0.0.1, port: %d }
                    unitId: 1
                access:
                  - role: Observer
                    tags: ["*/*"]
                    allow: [browse, read, subscribe]
                  # Writes only over OPC UA with SignAndEncrypt: the session's security mode reaches the policy.
                  - id: opcua-setpoint
                    role: Operator
                    tags: ["*/setpoint"]
                    allow: [write]
                    when: { channel: [opcua], securityMode: [signandencrypt] }
                  # Deny wins over the Observer rule that operator1 also holds.
                  - id: operators-not-aux
                    role: Operator
                    tags: ["*/aux_*"]
                    deny: [read, subscribe]
                opcua:
                  port: %d
                  bindAddress: 127.0.0.1
                  hostname: 127.0.0.1
                  certificate: { dnsNames: [localhost], ipAddresses: [127.0.0.1] }
                  limits: { maxSubscriptionsPerSession: %d, maxMonitoredItemsPerSession: %d }
                """.formatted(CELL, POLL_MS, DEVICE, device.port(), opcuaPort, MAX_SUBSCRIPTIONS_PER_SESSION,
                        MAX_ITEMS_PER_SESSION));
        return dir;
    }

    /** The test's users, created as the console would: through the identity bundle's UserAdmin. */
    private static void createUsers() throws InterruptedException {
        UserAdmin users = cell.service(UserAdmin.class);
        users.createUser(Identity.SYSTEM, OPERATOR, Set.of(Roles.OPERATOR, Roles.OBSERVER), PASSWORD.toCharArray());
        users.createUser(Identity.SYSTEM, OBSERVER, Set.of(Roles.OBSERVER), PASSWORD.toCharArray());
    }

    private static OpcUaClient connect(String user) throws Exception {
        return application.connect(endpoint, user, PASSWORD);
    }

    private static NodeId node(OpcUaClient client, String tag) throws UaException {
        return new NodeId(client.readNamespaceTable().getIndex("urn:cellgate:cell"), CELL + "/" + DEVICE + "/" + tag);
    }
}
