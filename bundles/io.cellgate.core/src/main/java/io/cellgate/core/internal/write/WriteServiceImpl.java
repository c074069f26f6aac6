package io.cellgate.core.internal.write;

import io.cellgate.api.driver.DeviceSession;
import io.cellgate.api.driver.WriteOutcome;
import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.write.WriteAccessCheck;
import io.cellgate.api.write.WriteAccessCheck.Decision;
import io.cellgate.api.write.WriteRequest;
import io.cellgate.api.write.WriteResult;
import io.cellgate.api.write.WriteResult.Status;
import io.cellgate.api.write.WriteService;
import io.cellgate.core.internal.bus.TagBusProducer;
import io.cellgate.core.internal.device.DeviceRegistry;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one path to {@link DeviceSession#write}. Checks, in order: the tag exists, is writable, the value
 * has the tag's type and is within its limits, the device is enabled and open, the {@link WriteAccessCheck}
 * allows it (none registered, or one that throws, means DENIED: fail closed), the audit sink can record it
 * ({@link AuditSink#writable()}: otherwise DENIED, fail closed); then writes and reads back,
 * and puts the read-back on the bus. Runs on the caller's thread; the driver session serialises
 * the write with the device's polls.
 */
@Component(service = WriteService.class)
public final class WriteServiceImpl implements WriteService {

    private static final Logger LOG = LoggerFactory.getLogger(WriteServiceImpl.class);
    static final String AUDIT_FAILING = "the audit trail cannot be written: writes are refused until it can (fail closed)";

    private final TagBusProducer bus;
    private final DeviceRegistry devices;
    private final AtomicReference<WriteAccessCheck> accessCheck = new AtomicReference<>();
    private final AtomicReference<AuditSink> auditSink = new AtomicReference<>();

    @Activate
    public WriteServiceImpl(@Reference(name = "bus") TagBusProducer bus,
            @Reference(name = "devices") DeviceRegistry devices) {
        this.bus = bus;
        this.devices = devices;
    }

    /** Greedy: a better-ranked policy replaces the current one without a restart. */
    @Reference(name = "accessCheck", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setAccessCheck(WriteAccessCheck check) {
        accessCheck.set(check);
    }

    public void unsetAccessCheck(WriteAccessCheck check) {
        accessCheck.compareAndSet(check, null);
    }

    /** Greedy: the hash-chained trail (ranked higher) replaces the core's log sink when it arrives. */
    @Reference(name = "auditSink", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setAuditSink(AuditSink sink) {
        auditSink.set(sink);
    }

    public void unsetAuditSink(AuditSink sink) {
        auditSink.compareAndSet(sink, null);
    }

    @Override
    public WriteResult write(WriteRequest request) {
        LOG.info("Write requested: identity={} channel={} source={} path={} value={}", safe(request.identity()),
                safe(request.channel()), safe(request.source()), request.path(), safe(request.value()));
        Decision[] decision = new Decision[1];
        WriteResult result;
        try {
            result = check(request, decision);
        } catch (RuntimeException e) {
            LOG.error("Write to {} failed unexpectedly", request.path(), e);
            result = new WriteResult(Status.FAILED, "internal error: " + e, null);
        }
        audit(request, decision[0], result);
        return result;
    }

    private WriteResult check(WriteRequest request, Decision[] decision) {
        TagInfo tag = bus.info(request.path()).orElse(null);
        if (tag == null) {
            return refuse(Status.UNKNOWN_TAG, "tag " + request.path() + " is not configured");
        }
        if (!tag.writable()) {
            return refuse(Status.INVALID, "tag " + request.path() + " is read-only");
        }
        String invalid = validateValue(tag, request.value());
        if (invalid != null) {
            return refuse(Status.INVALID, "tag " + request.path() + ": " + invalid);
        }
        String deviceId = request.path().device();
        DeviceRegistry.Entry device = devices.device(deviceId).orElse(null);
        if (device == null) {
            return refuse(Status.FAILED, "device '" + deviceId + "' is not running");
        }
        if (!device.enabled()) {
            return refuse(Status.FAILED, "device '" + deviceId + "' is disabled");
        }
        DeviceSession session = device.session();
        if (session == null) {
            return refuse(Status.FAILED, "device '" + deviceId + "' is not open: " + device.error());
        }
        WriteAccessCheck check = accessCheck.get();
        if (check == null) {
            return refuse(Status.DENIED, "no write access policy is installed (writes are denied)");
        }
        Decision d;
        try {
            d = check.check(request, tag);
        } catch (RuntimeException e) {
            LOG.warn("Write access check {} threw; denying the write to {}", check, request.path(), e);
            return refuse(Status.DENIED, "access check failed: " + e.getClass().getSimpleName());
        }
        decision[0] = d;
        if (d == null) {
            return refuse(Status.DENIED, "access check gave no decision");
        }
        if (!d.allowed()) {
            return refuse(Status.DENIED, d.reason() != null ? d.reason() : "denied by rule " + d.rule());
        }
        // Audited before done: a write that could not be recorded does not happen (asked last, so that the
        // refusal names the trail and not an earlier problem; recording the refusal retries the trail).
        AuditSink sink = auditSink.get();
        if (sink == null || !sink.writable()) {
            return refuse(Status.DENIED, AUDIT_FAILING);
        }
        WriteOutcome outcome;
        try {
            outcome = session.write(request.path().tag(), request.value());
        } catch (RuntimeException e) {
            LOG.warn("Driver threw writing {}", request.path(), e);
            return refuse(Status.FAILED, "driver error: " + e);
        }
        if (outcome == null) {
            return refuse(Status.FAILED, "driver returned no outcome");
        }
        if (!outcome.success()) {
            return refuse(Status.FAILED, outcome.error() != null ? outcome.error() : "device did not accept the write");
        }
        if (outcome.readBack() != null) {
            bus.update(request.path(), outcome.readBack());
        }
        return new WriteResult(Status.OK, null, outcome.readBack());
    }

    /** Type and limits; null when the value fits. */
    static String validateValue(TagInfo tag, Object value) {
        if (value == null) {
            return "value is missing";
        }
        DataType type = tag.dataType();
        switch (type) {
            case BOOL, BIT -> {
                return value instanceof Boolean ? null : "expected a Boolean for " + type + ", got " + describe(value);
            }
            case STRING -> {
                return value instanceof String ? null : "expected a String for " + type + ", got " + describe(value);
            }
            default -> {
                // numeric, below
            }
        }
        if (!(value instanceof Number n)) {
            return "expected a Number for " + type + ", got " + describe(value);
        }
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "value " + value + " is not a finite number";
        }
        if (!tag.scaled() && type != DataType.FLOAT32 && type != DataType.FLOAT64) {
            if (d != Math.rint(d)) {
                return "value " + value + " is not an integer, as " + type + " requires";
            }
            String range = integerRange(type, n);
            if (range != null) {
                return range;
            }
        }
        if (tag.min() != null && d < tag.min()) {
            return "value " + value + " below min " + format(tag.min());
        }
        if (tag.max() != null && d > tag.max()) {
            return "value " + value + " above max " + format(tag.max());
        }
        return null;
    }

    private static String integerRange(DataType type, Number n) {
        BigDecimal v = n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
                ? BigDecimal.valueOf(n.longValue()) : new BigDecimal(n.toString());
        long lo;
        long hi;
        switch (type) {
            case INT16 -> { lo = Short.MIN_VALUE; hi = Short.MAX_VALUE; }
            case UINT16 -> { lo = 0; hi = 0xFFFF; }
            case INT32 -> { lo = Integer.MIN_VALUE; hi = Integer.MAX_VALUE; }
            case UINT32 -> { lo = 0; hi = 0xFFFF_FFFFL; }
            default -> { lo = Long.MIN_VALUE; hi = Long.MAX_VALUE; }
        }
        if (v.compareTo(BigDecimal.valueOf(lo)) < 0 || v.compareTo(BigDecimal.valueOf(hi)) > 0) {
            return "value " + n + " does not fit " + type + " (" + lo + ".." + hi + ")";
        }
        return null;
    }

    private static String describe(Object value) {
        return value.getClass().getSimpleName() + " " + safe(value);
    }

    /** 100.0 prints as 100, 0.5 as 0.5. */
    static String format(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static WriteResult refuse(Status status, String message) {
        return new WriteResult(status, message, null);
    }

    /** The audit record of a write: every attempt ends here exactly once. */
    private void audit(WriteRequest request, Decision decision, WriteResult result) {
        String resource = request.path() + " = " + safe(request.value());
        AuditEvent.Result outcome = switch (result.status()) {
            case OK -> AuditEvent.Result.SUCCESS;
            case DENIED -> AuditEvent.Result.DENIED;
            default -> AuditEvent.Result.FAILED;
        };
        String reason = result.ok() ? "read back " + (result.readBack() == null ? null : safe(result.readBack().value()))
                : result.status() + ": " + safe(result.message());
        AuditEvent event = new AuditEvent(Instant.now(), request.identity(), request.source(),
                "write." + request.channel(), resource, outcome, reason, decision == null ? null : decision.rule());
        AuditSink sink = auditSink.get();
        if (sink == null || !sink.record(event)) {
            // After a device write only if the trail failed between the check and this record (a race of a few ms).
            LOG.error("{}write {} NOT AUDITED (the audit trail failed): identity={} path={} reason={}",
                    result.ok() ? "DONE BUT " : "", result.status(), safe(request.identity()), request.path(), reason);
        }
    }

    /** Strips control characters so a crafted identity or value cannot forge log lines. */
    private static String safe(Object o) {
        if (o == null) {
            return null;
        }
        String s = String.valueOf(o);
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                if (b == null) {
                    b = new StringBuilder(s.length()).append(s, 0, i);
                }
                b.append('?');
            } else if (b != null) {
                b.append(c);
            }
        }
        String out = b == null ? s : b.toString();
        return out.length() > 200 ? out.substring(0, 200) + "..." : out;
    }
}
