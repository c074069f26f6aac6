package io.cellgate.driver.modbus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.config.Access;
import io.cellgate.api.config.DeviceConfig;
import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.Endpoint;
import io.cellgate.api.config.PollGroup;
import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.api.driver.DeviceSession;
import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.TagValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pacing of one device as the server sees it: the minimum gap between its requests (a lower bound on
 * the spacing of arrivals, never a duration) and the number of its requests in flight at once.
 */
class ModbusDriverPacingTest {

    private static final int BLOCKS = 6;
    private static final long MIN_GAP_MILLIS = 80;
    /** Arrivals are stamped by the server's reader thread; its wake-up jitter may shorten a measured gap. */
    private static final long ARRIVAL_JITTER_MILLIS = 20;

    private FakeModbusTcpServer server;
    private ModbusDriver driver;

    @BeforeEach
    void start() throws Exception {
        server = new FakeModbusTcpServer(0);
        for (int i = 0; i < BLOCKS; i++) {
            server.registers[100 * i] = 1000 + i;
        }
        driver = new ModbusDriver();
    }

    @AfterEach
    void stop() throws Exception {
        driver.deactivate();
        server.close();
    }

    /** Six INT16 tags 100 registers apart: with a max gap of 2, six read blocks. */
    static DeviceProfile sixBlocks() {
        return blocks(BLOCKS);
    }

    static DeviceProfile blocks(int count) {
        List<TagDefinition> tags = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tags.add(ModbusDriverTcpTest.tag("t" + i, RegisterArea.HOLDING_REGISTER, 100 * i, DataType.INT16, -1,
                    Access.READ_WRITE));
        }
        return new DeviceProfile("p", null, null, null, tags);
    }

    private DeviceConfig device(String id, int unit, long timeoutMillis, long minGapMillis, int maxOutstanding) {
        return new DeviceConfig(id, id, "p", true, new Endpoint(Endpoint.MODBUS_TCP, "127.0.0.1", server.port(),
                null, 0, null, 0, 0), unit, List.of(new PollGroup("fast", 1000)), timeoutMillis, 0, minGapMillis,
                maxOutstanding, 2, 125);
    }

    /** All six tags Good with the server's values. */
    private static void assertAllGood(DeviceSession s, Map<String, TagValue> values) {
        assertThat(s.requestsPerPoll("fast")).isEqualTo(BLOCKS);
        assertThat(values).hasSize(BLOCKS);
        for (int i = 0; i < BLOCKS; i++) {
            TagValue v = values.get("t" + i);
            assertThat(v.isGood()).as("t%d: %s", i, v).isTrue();
            assertThat(v.value()).isEqualTo((short) (1000 + i));
        }
    }

    @Test
    void poll_minGapWithPipelining_requestsArriveAtLeastTheGapApart() throws Exception {
        try (DeviceSession s = driver.open(device("d1", 1, 1000, MIN_GAP_MILLIS, 3), sixBlocks())) {
            assertAllGood(s, s.poll("fast"));
            // A write and its read-back, and the next poll, keep the gap to the requests before them.
            assertThat(s.write("t0", (short) 1000).success()).isTrue();
            assertAllGood(s, s.poll("fast"));
        }
        List<FakeModbusTcpServer.Request> received = new ArrayList<>(server.received);
        assertThat(received).hasSize(BLOCKS + 2 + BLOCKS);
        // Arrival times carry the fake server's own scheduling delay: a late read of one request shortens the next
        // gap by as much (seen in CI: 51 ms of 80 on a loaded machine). So each gap must be clearly more than none (a
        // request sent without waiting arrives within a millisecond or two), and all of them together at least
        // the gap each, less one delay.
        for (int i = 1; i < received.size(); i++) {
            long gapMillis = TimeUnit.NANOSECONDS.toMillis(
                    received.get(i).arrivedNanos() - received.get(i - 1).arrivedNanos());
            assertThat(gapMillis).as("gap before request %d (FC %d)", i, received.get(i).fc())
                    .isGreaterThanOrEqualTo(MIN_GAP_MILLIS / 2);
        }
        long spanMillis = TimeUnit.NANOSECONDS.toMillis(
                received.get(received.size() - 1).arrivedNanos() - received.get(0).arrivedNanos());
        assertThat(spanMillis).as("first to last of %d requests", received.size())
                .isGreaterThanOrEqualTo((received.size() - 1) * MIN_GAP_MILLIS - ARRIVAL_JITTER_MILLIS);
    }

    @Test
    void poll_unitWaitingOutItsGap_doesNotHoldUpAnotherUnitOfTheGateway() throws Exception {
        long longGapMillis = 1000;
        CountDownLatch pacedAsked = new CountDownLatch(1);
        server.script = (r, out) -> {
            if (r.unit() == 1) {
                pacedAsked.countDown();
            }
            return FakeModbusTcpServer.NORMAL;
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        // Two blocks, two in flight allowed: right after its first request the paced unit waits out its gap.
        try (DeviceSession paced = driver.open(device("paced", 1, 5000, longGapMillis, 2), blocks(2));
                DeviceSession free = driver.open(device("free", 2, 300, 0, 1), blocks(BLOCKS))) {
            Future<Map<String, TagValue>> pacedPoll = pool.submit(() -> paced.poll("fast"));
            assertThat(pacedAsked.await(5, TimeUnit.SECONDS)).isTrue();
            // Its timeout (300 ms) is far shorter than the other unit's gap: it fails if that gap blocks it.
            assertAllGood(free, free.poll("fast"));
            Map<String, TagValue> pacedValues = pacedPoll.get(10, TimeUnit.SECONDS);
            assertThat(pacedValues.values()).allMatch(TagValue::isGood);
        } finally {
            pool.shutdownNow();
        }
        List<Integer> order = server.received.stream().map(FakeModbusTcpServer.Request::unit).toList();
        // The other unit's requests all went out while the paced unit waited out its one-second gap.
        assertThat(order).containsExactly(1, 2, 2, 2, 2, 2, 2, 1);
        List<FakeModbusTcpServer.Request> unit1 = server.received.stream().filter(r -> r.unit() == 1).toList();
        assertThat(TimeUnit.NANOSECONDS.toMillis(unit1.get(1).arrivedNanos() - unit1.get(0).arrivedNanos()))
                .as("gap between the paced unit's requests")
                .isGreaterThanOrEqualTo(longGapMillis - ARRIVAL_JITTER_MILLIS);
    }

    @ParameterizedTest(name = "maxOutstanding {0}")
    @ValueSource(ints = {1, 3})
    void poll_maxOutstanding_neverMoreRequestsInFlightThanAllowed(int maxOutstanding) throws Exception {
        // The server waits for one request more than allowed (or 60 ms) before answering: a driver that
        // sends beyond its window while answers are pending is seen doing so.
        server.holdAnswers(maxOutstanding + 1, 60);
        try (DeviceSession s = driver.open(device("d1", 1, 2000, 0, maxOutstanding), sixBlocks())) {
            assertAllGood(s, s.poll("fast"));
            assertThat(s.write("t5", (short) 1005).success()).isTrue();
        }
        assertThat(server.received).hasSize(BLOCKS + 2);
        assertThat(server.maxInFlight(1)).isBetween(1, maxOutstanding);
    }

    @Test
    void poll_maxOutstanding3_pipelinesThreeRequests() throws Exception {
        // Answers wait until three requests are pending (2 s fallback so a driver that pipelines less
        // fails on the assertion, not on a timeout).
        server.holdAnswers(3, 2000);
        try (DeviceSession s = driver.open(device("d1", 1, 5000, 0, 3), sixBlocks())) {
            assertAllGood(s, s.poll("fast"));
        }
        assertThat(server.maxInFlight(1)).isEqualTo(3);
    }

    @Test
    void poll_maxOutstandingPerDevice_twoDevicesOnOneGatewayEachKeepTheirOwnLimit() throws Exception {
        server.holdAnswers(5, 60);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (DeviceSession a = driver.open(device("a", 1, 2000, 0, 2), sixBlocks());
                DeviceSession b = driver.open(device("b", 2, 2000, 0, 2), sixBlocks())) {
            Future<Map<String, TagValue>> pa = pool.submit(() -> a.poll("fast"));
            Future<Map<String, TagValue>> pb = pool.submit(() -> b.poll("fast"));
            assertAllGood(a, pa.get(10, TimeUnit.SECONDS));
            assertAllGood(b, pb.get(10, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.maxInFlight(1)).isBetween(1, 2);
        assertThat(server.maxInFlight(2)).isBetween(1, 2);
    }
}
