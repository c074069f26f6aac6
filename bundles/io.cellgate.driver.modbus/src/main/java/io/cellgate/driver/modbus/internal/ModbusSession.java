package io.cellgate.driver.modbus.internal;

import io.cellgate.api.config.DeviceConfig;
import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.api.driver.DeviceSession;
import io.cellgate.api.driver.SessionStats;
import io.cellgate.api.driver.WriteOutcome;
import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.QualityReason;
import io.cellgate.api.tag.TagValue;
import io.cellgate.driver.modbus.internal.ExchangeFailure.Kind;
import io.cellgate.modbus.ModbusRequest;
import io.cellgate.modbus.ReadBlock;
import io.cellgate.modbus.ReadPlanner;
import io.cellgate.modbus.RegisterCodec;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Modbus device (one unit id on a channel). Runs on the callers' threads; pipelines up to
 * {@code maxOutstanding} requests, paces them, retries, and puts the unit on a short backoff after it
 * stops answering so that it costs other units on the line nothing.
 */
final class ModbusSession implements DeviceSession {
    private static final Logger LOG = LoggerFactory.getLogger(ModbusSession.class);
    static final long UNIT_BACKOFF_INITIAL_MILLIS = 1_000;
    static final long UNIT_BACKOFF_CAP_MILLIS = 30_000;

    private final DeviceConfig device;
    private final Map<String, TagDefinition> tags;
    private final Map<String, List<ReadBlock>> plans;
    private final Channel channel;
    private final Runnable release;
    private final SouthboundAllowlist allowlist;
    private final Refusals refusals;
    private final Counters counters = new Counters();
    private final Pacer pacer;
    private final Semaphore inFlight;
    private final int maxOutstanding;
    private final Backoff unitBackoff = new Backoff(UNIT_BACKOFF_INITIAL_MILLIS, UNIT_BACKOFF_CAP_MILLIS);
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile boolean closed;

    /** Where the session reports what its allowlist refused (the driver audits it). */
    interface Refusals {
        void refused(DeviceConfig device, String resource, String reason);
    }

    ModbusSession(DeviceConfig device, Map<String, TagDefinition> tags, Map<String, List<ReadBlock>> plans,
            Channel channel, boolean pipelining, Runnable release, Refusals refusals) {
        this.device = device;
        this.allowlist = new SouthboundAllowlist(device.unitId(), tags.values());
        this.refusals = refusals;
        this.tags = tags;
        this.plans = plans;
        this.channel = channel;
        this.release = release;
        this.pacer = new Pacer(device.minGapMillis());
        this.maxOutstanding = pipelining ? device.maxOutstanding() : 1;
        this.inFlight = new Semaphore(maxOutstanding, true);
    }

    @Override
    public Map<String, TagValue> poll(String pollGroup) {
        List<ReadBlock> plan = plans.get(pollGroup);
        if (plan == null) {
            throw new IllegalArgumentException("device " + device.id() + " has no poll group '" + pollGroup + "'");
        }
        Map<String, TagValue> out = new LinkedHashMap<>();
        String unavailable = unavailable();
        if (unavailable != null) {
            plan.forEach(b -> bad(b, out, QualityReason.COMM_FAILURE, unavailable, Instant.now()));
            return out;
        }
        long started = System.nanoTime();
        long deadline = started + budgetNanos(plan.size());
        List<Object> results = execute(plan, deadline);
        counters.pollTook(System.nanoTime() - started);
        for (int i = 0; i < plan.size(); i++) {
            ReadBlock block = plan.get(i);
            if (results.get(i) instanceof ExchangeFailure f) {
                bad(block, out, f.kind().reason, f.getMessage(), Instant.now());
            } else {
                Answer a = (Answer) results.get(i);
                for (TagDefinition t : block.tags()) {
                    out.put(t.name(), decode(t, a.values, block.indexOf(t), a.arrived));
                }
            }
        }
        return out;
    }

    private record Answer(int[] values, Instant arrived) {
    }

    /** Why the device cannot be asked right now (connection or unit backing off), or null. */
    private String unavailable() {
        if (closed) {
            return "session closed";
        }
        long reconnect = channel.reconnectDelayMillis();
        if (reconnect > 0) {
            return "connection failed; reconnecting in " + reconnect + " ms";
        }
        long unit = unitBackoff.remainingMillis();
        if (unit > 0) {
            return "unit " + device.unitId() + " not answering; next try in " + unit + " ms";
        }
        return null;
    }

    private long budgetNanos(int requests) {
        return TimeUnit.MILLISECONDS.toNanos(device.timeoutMillis() * (device.retries() + 1L)
                + device.minGapMillis() * (long) requests * (device.retries() + 1L));
    }

    /** Reads the blocks (pipelined, with retries); one Answer or ExchangeFailure per block. */
    private List<Object> execute(List<ReadBlock> blocks, long pollDeadline) {
        Object[] results = new Object[blocks.size()];
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            todo.add(i);
        }
        for (int attempt = 0; attempt <= device.retries() && !todo.isEmpty(); attempt++) {
            Deque<Object[]> window = new ArrayDeque<>();
            boolean unanswered = false;
            for (int i : todo) {
                if (window.size() >= maxOutstanding) {
                    unanswered |= settleTimedOut(window.removeFirst(), results);
                }
                if (unanswered) {
                    // The unit did not answer: the rest of this attempt would only keep the line busy.
                    results[i] = new ExchangeFailure(Kind.TIMEOUT, "unit " + device.unitId()
                            + ": not sent, an earlier request of this poll got no answer");
                    continue;
                }
                Call call = new Call(device.unitId(), blocks.get(i).request(), counters, pacer);
                window.addLast(new Object[] {i, call, start(call, pollDeadline)});
            }
            while (!window.isEmpty()) {
                settle(window.removeFirst(), results);
            }
            List<Integer> again = new ArrayList<>();
            boolean silent = false;
            for (int i : todo) {
                if (results[i] instanceof ExchangeFailure f && f.kind().retryable) {
                    again.add(i);
                    silent |= f.kind() == Kind.TIMEOUT;
                }
            }
            todo = again;
            if (System.nanoTime() >= pollDeadline) {
                break;
            }
            if (silent && attempt == device.retries()) {
                break;
            }
        }
        boolean timedOut = false;
        boolean answered = false;
        for (Object r : results) {
            if (r instanceof ExchangeFailure f) {
                timedOut |= f.kind() == Kind.TIMEOUT;
            } else {
                answered = true;
            }
        }
        if (timedOut && !answered) {
            unitBackoff.failed();
            LOG.debug("Device {} unit {} not answering; skipping it for {} ms", device.id(), device.unitId(),
                    unitBackoff.remainingMillis());
        } else if (answered) {
            unitBackoff.succeeded();
        }
        return List.of(results);
    }

    /** Sends a call within the in-flight limit; returns the deadline to await it with, or a failure. */
    private Object start(Call call, long pollDeadline) {
        String refusal = allowlist.refusal(call.unitId, call.request);
        if (refusal != null) {
            // Checked here, the one way to a channel, so that no request of any origin is sent unchecked.
            return refuse(device.id() + "/" + call.request.address(), refusal);
        }
        long deadline = Math.min(pollDeadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(device.timeoutMillis()));
        call.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(device.timeoutMillis());
        call.budgetEndNanos = pollDeadline;
        try {
            if (!inFlight.tryAcquire(Math.max(0, pollDeadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return new ExchangeFailure(Kind.TIMEOUT, "unit " + device.unitId() + ": " + maxOutstanding
                        + " requests already in flight until the deadline");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ExchangeFailure(Kind.COMM, "interrupted");
        }
        try {
            channel.send(call, pollDeadline);
            // The response timeout counts from the moment the request went out (after pacing).
            long sent = call.sentNanos != 0 ? call.sentNanos : System.nanoTime();
            return Math.min(pollDeadline, Math.max(deadline, sent + TimeUnit.MILLISECONDS.toNanos(device.timeoutMillis())));
        } catch (ExchangeFailure f) {
            inFlight.release();
            return counted(f);
        }
    }

    /** Settles a call; true when it timed out (no answer at all). */
    private boolean settleTimedOut(Object[] entry, Object[] results) {
        settle(entry, results);
        return results[(Integer) entry[0]] instanceof ExchangeFailure f && f.kind() == Kind.TIMEOUT;
    }

    private void settle(Object[] entry, Object[] results) {
        int index = (Integer) entry[0];
        Call call = (Call) entry[1];
        if (entry[2] instanceof ExchangeFailure f) {
            results[index] = f;
            return;
        }
        try {
            int[] values = channel.await(call, (Long) entry[2]);
            results[index] = new Answer(values, call.arrived != null ? call.arrived : Instant.now());
        } catch (ExchangeFailure f) {
            results[index] = counted(f);
        } finally {
            inFlight.release();
        }
    }

    /** Counts what no call settled: a connection that could not be opened (the call was never sent). */
    private ExchangeFailure counted(ExchangeFailure f) {
        if (f.kind() == Kind.CONNECT_FAILED) {
            counters.error(SessionStats.ERROR_CONNECT);
        }
        return f;
    }

    private ExchangeFailure refuse(String resource, String reason) {
        counters.error(SessionStats.ERROR_REFUSED);
        String where = "unit " + device.unitId() + " of " + device.endpoint().channelKey();
        refusals.refused(device, resource, reason + " (" + where + ")");
        return new ExchangeFailure(Kind.REFUSED, "refused by the southbound allowlist: " + reason);
    }

    /** One request, outside the poll plan (writes and their read-backs); package-private for the allowlist tests. */
    int[] exchange(ModbusRequest request) throws ExchangeFailure {
        String why = unavailable();
        if (why != null) {
            throw new ExchangeFailure(Kind.UNAVAILABLE, why);
        }
        long pollDeadline = System.nanoTime() + budgetNanos(1);
        Call call = new Call(device.unitId(), request, counters, pacer);
        Object[] entry = {0, call, start(call, pollDeadline)};
        Object[] result = new Object[1];
        settle(entry, result);
        if (result[0] instanceof ExchangeFailure f) {
            throw f;
        }
        return ((Answer) result[0]).values;
    }

    private TagValue decode(TagDefinition t, int[] values, int index, Instant arrived) {
        try {
            return TagValue.good(RegisterCodec.decode(t, values, index), arrived);
        } catch (RuntimeException e) {
            return TagValue.bad(QualityReason.CONFIG_ERROR, e.getMessage(), arrived);
        }
    }

    private static void bad(ReadBlock block, Map<String, TagValue> out, QualityReason reason, String detail, Instant at) {
        for (TagDefinition t : block.tags()) {
            out.put(t.name(), TagValue.bad(reason, detail, at));
        }
    }

    @Override
    public WriteOutcome write(String tagName, Object value) {
        TagDefinition t = tags.get(tagName);
        if (t == null) {
            return WriteOutcome.failed(refuse(device.id() + "/" + tagName, "write to tag '" + tagName
                    + "', which the device profile does not declare").getMessage());
        }
        if (t.access() != io.cellgate.api.config.Access.READ_WRITE || !t.area().isWritable()) {
            return WriteOutcome.failed(refuse(device.id() + "/" + t.address(), "write to tag '" + tagName + "' ("
                    + t.area().name().toLowerCase().replace('_', ' ') + " " + t.address()
                    + "), which the device profile does not declare writable").getMessage());
        }
        writeLock.lock(); // read-modify-write of BIT tags must not interleave with another write
        try {
            ModbusRequest request;
            if (t.area() == RegisterArea.COIL) {
                int[] regs = RegisterCodec.encode(t, value);
                request = ModbusRequest.writeSingleCoil(t.address(), regs[0] != 0);
            } else if (t.dataType() == DataType.BIT) {
                if (!(value instanceof Boolean b)) {
                    return WriteOutcome.failed("tag " + tagName + ": expected a Boolean, got " + value);
                }
                int current = exchange(ModbusRequest.read(RegisterArea.HOLDING_REGISTER, t.address(), 1))[0];
                request = ModbusRequest.writeSingleRegister(t.address(), RegisterCodec.applyBit(t, current, b));
            } else {
                int[] regs = RegisterCodec.encode(t, value);
                request = regs.length == 1 && t.dataType() != DataType.STRING
                        ? ModbusRequest.writeSingleRegister(t.address(), regs[0])
                        : ModbusRequest.writeMultipleRegisters(t.address(), regs);
            }
            exchange(request);
            return WriteOutcome.ok(readBack(t));
        } catch (IllegalArgumentException e) {
            return WriteOutcome.failed(e.getMessage());
        } catch (ExchangeFailure f) {
            return WriteOutcome.failed(f.getMessage());
        } finally {
            writeLock.unlock();
        }
    }

    private TagValue readBack(TagDefinition t) {
        try {
            int[] values = exchange(ModbusRequest.read(t.area(), t.address(), t.quantity()));
            return decode(t, values, 0, Instant.now());
        } catch (ExchangeFailure f) {
            return TagValue.bad(f.kind().reason, f.getMessage(), Instant.now());
        }
    }

    @Override
    public int requestsPerPoll(String pollGroup) {
        List<ReadBlock> plan = plans.get(pollGroup);
        if (plan == null) {
            throw new IllegalArgumentException("device " + device.id() + " has no poll group '" + pollGroup + "'");
        }
        return plan.size();
    }

    /** The read plan of a group (for tests and diagnostics). */
    List<ReadBlock> plan(String pollGroup) {
        return plans.get(pollGroup);
    }

    @Override
    public SessionStats stats() {
        return counters.snapshot();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            release.run();
        }
    }

    static Map<String, List<ReadBlock>> planGroups(DeviceConfig device, List<TagDefinition> tags) {
        Map<String, List<ReadBlock>> plans = new LinkedHashMap<>();
        for (var group : device.pollGroups()) {
            List<TagDefinition> members = tags.stream()
                    .filter(t -> device.pollGroupOf(t).map(g -> g.name().equals(group.name())).orElse(false)).toList();
            plans.put(group.name(), members.isEmpty() ? List.of()
                    : ReadPlanner.plan(members, device.maxGap(), device.maxRegistersPerRead()));
        }
        return plans;
    }
}
