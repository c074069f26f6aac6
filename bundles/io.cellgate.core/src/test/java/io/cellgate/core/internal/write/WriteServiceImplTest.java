package io.cellgate.core.internal.write;

import static io.cellgate.core.internal.testing.Fakes.await;
import static io.cellgate.core.internal.testing.Fakes.device;
import static io.cellgate.core.internal.testing.Fakes.profile;
import static io.cellgate.core.internal.testing.Fakes.profiles;
import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.driver.WriteOutcome;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.api.write.WriteAccessCheck;
import io.cellgate.api.write.WriteAccessCheck.Decision;
import io.cellgate.api.write.WriteRequest;
import io.cellgate.api.write.WriteResult;
import io.cellgate.api.write.WriteResult.Status;
import io.cellgate.core.internal.bus.TagBusImpl;
import io.cellgate.core.internal.device.DevicePoller;
import io.cellgate.core.internal.device.DeviceRegistry;
import io.cellgate.core.internal.poll.PollScheduler;
import io.cellgate.core.internal.testing.Fakes.FakeDriver;
import io.cellgate.core.internal.testing.Fakes.FakeSession;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WriteServiceImplTest {

    private static final WriteAccessCheck ALLOW_ALL = (r, t) -> new Decision(true, "test-allow", "allowed");

    private final TagBusImpl bus = new TagBusImpl();
    private final DeviceRegistry registry = new DeviceRegistry();
    private final PollScheduler scheduler = new PollScheduler(1, 4);
    private final FakeDriver driver = new FakeDriver();
    private final WriteServiceImpl service = new WriteServiceImpl(bus, registry);
    private DevicePoller press;
    private FakeSession session;

    /** The audit sink: records every write; {@code writable} false stands for a failing trail. */
    private final java.util.List<io.cellgate.api.audit.AuditEvent> audited = new java.util.ArrayList<>();
    private volatile boolean trailWritable = true;

    @BeforeEach
    void setUp() {
        service.setAuditSink(new io.cellgate.api.audit.AuditSink() {
            @Override
            public boolean record(io.cellgate.api.audit.AuditEvent event) {
                audited.add(event);
                return trailWritable;
            }

            @Override
            public boolean writable() {
                return trailWritable;
            }
        });
        press = new DevicePoller("press", bus, profiles(profile()), scheduler, registry);
        // long interval: one poll at start, so poll results do not race with read-backs
        press.apply(device("press", true, 60_000), driver);
        session = driver.session("press");
        await("first poll", () -> bus.value(new TagPath("press", "setpoint")).orElseThrow().isGood()
                && bus.value(new TagPath("press", "label")).orElseThrow().isGood());
    }

    @AfterEach
    void tearDown() {
        press.close();
        scheduler.close();
    }

    private static WriteRequest req(String tag, Object value) {
        return new WriteRequest("alice", "opcua", "10.0.0.5:50123", TagPath.parse(tag), value);
    }

    @Test
    void write_auditTrailFailing_deniedNothingSentAndRefusalRecorded() {
        service.setAccessCheck(ALLOW_ALL);
        trailWritable = false;

        WriteResult r = service.write(req("press/setpoint", 42));

        assertThat(r.status()).isEqualTo(Status.DENIED);
        assertThat(r.message()).isEqualTo(WriteServiceImpl.AUDIT_FAILING);
        assertThat(session.writes).isEmpty();
        // the refusal is still offered to the trail: that attempt is what reopens it once the cause is fixed
        assertThat(audited).singleElement().satisfies(e -> assertThat(e.result())
                .isEqualTo(io.cellgate.api.audit.AuditEvent.Result.DENIED));

        trailWritable = true;
        assertThat(service.write(req("press/setpoint", 42)).status()).isEqualTo(Status.OK);
        assertThat(session.writes).hasSize(1);
    }

    @Test
    void write_noAuditSink_deniedFailClosed() {
        WriteServiceImpl bare = new WriteServiceImpl(bus, registry);
        bare.setAccessCheck(ALLOW_ALL);

        WriteResult r = bare.write(req("press/setpoint", 42));

        assertThat(r.status()).isEqualTo(Status.DENIED);
        assertThat(session.writes).isEmpty();
    }

    @Test
    void write_unknownTag_unknownTag() {
        service.setAccessCheck(ALLOW_ALL);
        WriteResult r = service.write(req("press/nope", 1));

        assertThat(r.status()).isEqualTo(Status.UNKNOWN_TAG);
        assertThat(r.message()).contains("press/nope");
    }

    @Test
    void write_readOnlyTag_invalid() {
        service.setAccessCheck(ALLOW_ALL);
        WriteResult r = service.write(req("press/temperature", 1.0));

        assertThat(r.status()).isEqualTo(Status.INVALID);
        assertThat(r.message()).contains("read-only");
        assertThat(session.writes).isEmpty();
    }

    @Test
    void write_wrongTypes_invalidNamingExpectedType() {
        service.setAccessCheck(ALLOW_ALL);

        assertThat(service.write(req("press/setpoint", "50")).message()).contains("expected a Number");
        assertThat(service.write(req("press/run", 1)).message()).contains("expected a Boolean");
        assertThat(service.write(req("press/label", 5)).message()).contains("expected a String");
        assertThat(service.write(req("press/setpoint", 2.5)).message()).contains("not an integer");
        assertThat(service.write(req("press/setpoint", Double.NaN)).message()).contains("not a finite number");
        assertThat(service.write(req("press/setpoint", null)).status()).isEqualTo(Status.INVALID);
        assertThat(session.writes).isEmpty();
    }

    @Test
    void write_outsideLimits_invalidWithLimit() {
        service.setAccessCheck(ALLOW_ALL);

        WriteResult above = service.write(req("press/setpoint", 120));
        WriteResult below = service.write(req("press/setpoint", -1));

        assertThat(above.status()).isEqualTo(Status.INVALID);
        assertThat(above.message()).endsWith("value 120 above max 100");
        assertThat(below.message()).endsWith("value -1 below min 0");
        assertThat(session.writes).isEmpty();
    }

    @Test
    void write_noAccessCheckRegistered_deniedFailClosed() {
        WriteResult r = service.write(req("press/setpoint", 50));

        assertThat(r.status()).isEqualTo(Status.DENIED);
        assertThat(session.writes).isEmpty();
    }

    @Test
    void write_accessCheckUnbound_deniedAgain() {
        service.setAccessCheck(ALLOW_ALL);
        service.unsetAccessCheck(ALLOW_ALL);

        assertThat(service.write(req("press/setpoint", 50)).status()).isEqualTo(Status.DENIED);
    }

    @Test
    void write_accessCheckDenies_deniedWithReason() {
        service.setAccessCheck((r, t) -> new Decision(false, "no-writes-at-night", "outside shift hours"));

        WriteResult r = service.write(req("press/setpoint", 50));

        assertThat(r.status()).isEqualTo(Status.DENIED);
        assertThat(r.message()).isEqualTo("outside shift hours");
        assertThat(session.writes).isEmpty();
    }

    @Test
    void write_accessCheckThrows_denied() {
        service.setAccessCheck((r, t) -> {
            throw new IllegalStateException("policy store unavailable");
        });

        WriteResult r = service.write(req("press/setpoint", 50));

        assertThat(r.status()).isEqualTo(Status.DENIED);
        assertThat(session.writes).isEmpty();
    }

    @Test
    void write_accessCheckSeesRequestAndTag_afterValidation() {
        AtomicInteger calls = new AtomicInteger();
        service.setAccessCheck((r, t) -> {
            calls.incrementAndGet();
            assertThat(t.path()).isEqualTo(r.path());
            return new Decision(true, "r", null);
        });

        service.write(req("press/setpoint", 120)); // invalid: never reaches the check
        service.write(req("press/setpoint", 50));

        assertThat(calls).hasValue(1);
    }

    @Test
    void write_allowed_okWithReadBackOnBus() {
        service.setAccessCheck(ALLOW_ALL);
        session.writeOutcome = WriteOutcome.ok(TagValue.good((short) 49, Instant.now()));

        WriteResult r = service.write(req("press/setpoint", 50));

        assertThat(r.status()).isEqualTo(Status.OK);
        assertThat(r.readBack().value()).isEqualTo((short) 49);
        assertThat(session.writes).hasSize(1);
        assertThat(session.writes.get(0)).containsExactly("setpoint", 50);
        assertThat(bus.value(new TagPath("press", "setpoint")).orElseThrow().value()).isEqualTo((short) 49);
    }

    @Test
    void write_driverFails_failedWithDriverError() {
        service.setAccessCheck(ALLOW_ALL);
        session.writeOutcome = WriteOutcome.failed("device exception 0x02 illegal data address");

        WriteResult r = service.write(req("press/run", true));

        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.message()).isEqualTo("device exception 0x02 illegal data address");
    }

    @Test
    void write_disabledDevice_failed() {
        service.setAccessCheck(ALLOW_ALL);
        press.apply(device("press", false, 60_000), driver);

        WriteResult r = service.write(req("press/setpoint", 50));

        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.message()).contains("disabled");
    }

    @Test
    void write_deviceNotOpen_failedWithConfigError() {
        service.setAccessCheck(ALLOW_ALL);
        driver.configError = "device 'press': unit id 300 out of range";
        press.apply(device("press", true, 60_000), driver);

        WriteResult r = service.write(req("press/setpoint", 50));

        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.message()).contains("unit id 300");
    }

    @Test
    void format_integralAndFractional() {
        assertThat(WriteServiceImpl.format(100.0)).isEqualTo("100");
        assertThat(WriteServiceImpl.format(0.5)).isEqualTo("0.5");
    }
}
