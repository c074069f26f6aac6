package io.cellgate.opcua.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.QualityReason;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.api.write.WriteResult;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.Range;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Device status objects, EURange, subscriptions and catalogue changes, seen by Milo's client. */
class AddressSpaceTest {

    private static final TagPath TEMP = new TagPath("press1", "temp");
    private static final TagPath SETPOINT = new TagPath("press1", "setpoint");
    private static final Instant GOOD_READ = Instant.parse("2026-03-04T05:06:07Z");
    private static final FakeBus BUS = new FakeBus()
            .with(new TagInfo(TEMP, DataType.FLOAT32, false, "°C", null, false, null, null, 0, "fast", 100),
                    TagValue.good(21.5f, GOOD_READ))
            .with(new TagInfo(SETPOINT, DataType.INT16, false, null, null, true, 0.0, 100.0, 0, "fast", 100),
                    TagValue.good((short) 7, GOOD_READ))
            .with(new DeviceState("press1", DeviceState.Status.CONNECTED, null, GOOD_READ, 10, 0, 10, 2.5))
            // a device with no tags (its profile is empty or its tags are not loaded yet) still shows its status
            .with(new DeviceState("idle1", DeviceState.Status.DISABLED, null, null, 0, 0, 0, -1));
    private static Server server;
    private OpcUaClient client;

    @BeforeAll
    static void startServer() throws Exception {
        server = new Server(BUS, r -> new WriteResult(WriteResult.Status.DENIED, "no writes here", null), Map.of());
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.stop();
    }

    @BeforeEach
    void connect() throws Exception {
        client = server.connect(server.signAndEncrypt(), new UsernameProvider(Server.USER, Server.PASSWORD));
    }

    @AfterEach
    void disconnect() throws Exception {
        client.disconnect();
    }

    @Test
    void read_deviceStatus_showsStateAndLastGoodReadFromTheBus() throws Exception {
        assertThat(read("press1/_status/State").getValue().value()).isEqualTo("connected");
        assertThat(read("press1/_status/LastError").getValue().value()).isEqualTo("");
        assertThat(read("press1/_status/LastGoodRead").getValue().value()).isEqualTo(new DateTime(GOOD_READ));
        assertThat(read("idle1/_status/State").getValue().value()).isEqualTo("disabled");
    }

    @Test
    void onDeviceState_failing_statusObjectFollows() throws Exception {
        BUS.deviceState(new DeviceState("press1", DeviceState.Status.FAILING, "timeout after 1000 ms", GOOD_READ, 11, 1,
                11, 2.5));
        try {
            awaitValue("press1/_status/State", v -> "failing".equals(v.getValue().value()));

            assertThat(read("press1/_status/LastError").getValue().value()).isEqualTo("timeout after 1000 ms");
        } finally {
            BUS.deviceState(new DeviceState("press1", DeviceState.Status.CONNECTED, null, GOOD_READ, 12, 1, 12, 2.5));
        }
    }

    @Test
    void read_tagWithMinAndMax_hasEURangeProperty() throws Exception {
        DataValue range = read("press1/setpoint.EURange");
        Range decoded = (Range) ((ExtensionObject) range.getValue().value()).decode(client.getStaticEncodingContext());

        assertThat(decoded.getLow()).isEqualTo(0.0);
        assertThat(decoded.getHigh()).isEqualTo(100.0);
        assertThat(read("press1/temp.EURange").getStatusCode().getValue()).isEqualTo(StatusCodes.Bad_NodeIdUnknown);
    }

    @Test
    void subscription_valueChangeOnTheBus_arrivesAtTheClient() throws Exception {
        BlockingQueue<DataValue> received = new LinkedBlockingQueue<>();
        OpcUaSubscription subscription = new OpcUaSubscription(client, 100.0);
        subscription.create();
        OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(Server.node(client, TEMP.toString()));
        item.setSamplingInterval(100.0);
        item.setDataValueListener((i, value) -> received.add(value));
        subscription.addMonitoredItem(item);
        subscription.synchronizeMonitoredItems();
        try {
            DataValue initial = received.poll(5, TimeUnit.SECONDS);
            assertThat(initial).as("initial notification").isNotNull();
            assertThat(initial.getValue().value()).isEqualTo(21.5f);

            Instant sampled = Instant.now();
            BUS.publish(TEMP, TagValue.good(22.75f, sampled));
            DataValue changed = received.poll(5, TimeUnit.SECONDS);

            assertThat(changed).as("notification after the change").isNotNull();
            assertThat(changed.getValue().value()).isEqualTo(22.75f);
            assertThat(changed.getSourceTime().getJavaInstant()).isEqualTo(new DateTime(sampled).getJavaInstant());

            BUS.publish(TEMP, TagValue.bad(QualityReason.COMM_FAILURE, "timeout", Instant.now()));
            DataValue bad = received.poll(5, TimeUnit.SECONDS);
            assertThat(bad).as("notification after the device failed").isNotNull();
            assertThat(bad.getStatusCode().getValue()).isEqualTo(StatusCodes.Bad_CommunicationError);
        } finally {
            BUS.publish(TEMP, TagValue.good(21.5f, GOOD_READ));
            subscription.delete();
        }
    }

    @Test
    void subscription_absoluteDeadband_changeWithinTheDeadbandIsNotDelivered() throws Exception {
        BlockingQueue<DataValue> received = new LinkedBlockingQueue<>();
        OpcUaSubscription subscription = new OpcUaSubscription(client, 50.0);
        subscription.create();
        OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(Server.node(client, TEMP.toString()));
        item.setSamplingInterval(0.0);
        item.setFilter(new DataChangeFilter(DataChangeTrigger.StatusValue,
                UInteger.valueOf(DeadbandType.Absolute.getValue()), 1.0));
        item.setDataValueListener((i, value) -> received.add(value));
        subscription.addMonitoredItem(item);
        subscription.synchronizeMonitoredItems();
        try {
            assertThat(received.poll(5, TimeUnit.SECONDS)).as("initial notification").isNotNull();

            BUS.publish(TEMP, TagValue.good(21.9f, Instant.now()));
            // Longer than the item's spacing (at most 50 ms here), so the next change is not merged with this one.
            Thread.sleep(300);
            BUS.publish(TEMP, TagValue.good(23.0f, Instant.now()));

            DataValue next = received.poll(5, TimeUnit.SECONDS);
            assertThat(next).as("notification after a change beyond the deadband").isNotNull();
            assertThat(next.getValue().value()).as("the change within the deadband was filtered").isEqualTo(23.0f);
        } finally {
            BUS.publish(TEMP, TagValue.good(21.5f, GOOD_READ));
            subscription.delete();
        }
    }

    @Test
    void subscription_burstOfChangesWithinOneSamplingInterval_deliversTheLatestNotEveryOne() throws Exception {
        List<DataValue> received = new CopyOnWriteArrayList<>();
        OpcUaSubscription subscription = new OpcUaSubscription(client, 50.0);
        subscription.create();
        OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(Server.node(client, TEMP.toString()));
        item.setSamplingInterval(2000.0);
        item.setQueueSize(UInteger.valueOf(100));
        item.setDataValueListener((i, value) -> received.add(value));
        subscription.addMonitoredItem(item);
        subscription.synchronizeMonitoredItems();
        try {
            assertThat(item.getRevisedSamplingInterval()).hasValue(2000.0);
            awaitCount(received, 1);

            for (int i = 1; i <= 20; i++) {
                BUS.publish(TEMP, TagValue.good(30f + i, Instant.now()));
            }
            for (int i = 0; i < 100 && received.stream().noneMatch(v -> Float.valueOf(50f).equals(v.getValue().value())); i++) {
                Thread.sleep(100);
            }

            assertThat(received).as("the latest value of the burst arrives").last()
                    .satisfies(v -> assertThat(v.getValue().value()).isEqualTo(50f));
            // 20 changes handed over at least 2 s apart: the initial value, at most one of the burst at once
            // (none here, the initial value was just delivered), then the latest.
            assertThat(received).as("notifications: %s", received).hasSizeLessThanOrEqualTo(3);
        } finally {
            BUS.publish(TEMP, TagValue.good(21.5f, GOOD_READ));
            subscription.delete();
        }
    }

    private static void awaitCount(List<?> list, int count) throws InterruptedException {
        for (int i = 0; i < 50 && list.size() < count; i++) {
            Thread.sleep(100);
        }
        assertThat(list).hasSizeGreaterThanOrEqualTo(count);
    }

    @Test
    void onCatalogChanged_deviceAddedThenRemoved_nodesFollowWithoutRestart() throws Exception {
        TagPath flow = new TagPath("pump2", "flow");
        assertThat(read("pump2/flow").getStatusCode().getValue()).isEqualTo(StatusCodes.Bad_NodeIdUnknown);

        BUS.addDevice(new DeviceState("pump2", DeviceState.Status.CONNECTED, null, GOOD_READ, 1, 0, 1, 1.0),
                Map.of(new TagInfo(flow, DataType.FLOAT64, false, "m³/h", null, false, null, null, 0, "fast", 100),
                        TagValue.good(3.5, GOOD_READ)));
        awaitValue("pump2/flow", v -> v.getStatusCode().isGood());

        assertThat(read("pump2/flow").getValue().value()).isEqualTo(3.5);
        assertThat(read("pump2/_status/State").getValue().value()).isEqualTo("connected");

        BUS.removeDevice("pump2");
        awaitValue("pump2/flow", v -> v.getStatusCode().getValue() == StatusCodes.Bad_NodeIdUnknown);

        assertThat(read("pump2/_status/State").getStatusCode().getValue()).isEqualTo(StatusCodes.Bad_NodeIdUnknown);
        assertThat(read("press1/temp").getStatusCode().isGood()).as("the other device is untouched").isTrue();
    }

    private DataValue read(String path) throws Exception {
        return client.readValue(0, TimestampsToReturn.Both, Server.node(client, path));
    }

    /** Catalogue and state changes are applied on the server's executor: wait (bounded) until they show. */
    private void awaitValue(String path, Predicate<DataValue> condition) throws Exception {
        DataValue last = null;
        for (int i = 0; i < 50; i++) {
            last = read(path);
            if (condition.test(last)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + " never met the condition; last " + last);
    }
}
