package io.cellgate.driver.modbus.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.config.Access;
import io.cellgate.api.config.DeviceConfig;
import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.Endpoint;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.api.driver.DeviceDriver;
import io.cellgate.api.driver.DeviceSession;
import io.cellgate.api.driver.DriverConfigException;
import io.cellgate.api.driver.DriverStatistics;
import io.cellgate.api.driver.SessionStats;
import io.cellgate.api.tag.DataType;
import io.cellgate.modbus.Modbus;
import io.cellgate.modbus.ReadBlock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Modbus TCP, RTU and RTU over TCP. Usable as a DS component or constructed directly
 * ({@code new ModbusDriver()}); devices sharing an endpoint channel key share one connection.
 */
@Component(service = {DeviceDriver.class, DriverStatistics.class}, property = {
    DeviceDriver.PROTOCOL_PROPERTY + "=" + Endpoint.MODBUS_TCP,
    DeviceDriver.PROTOCOL_PROPERTY + "=" + Endpoint.MODBUS_RTU,
    DeviceDriver.PROTOCOL_PROPERTY + "=" + Endpoint.MODBUS_RTU_OVER_TCP})
public class ModbusDriver implements DeviceDriver, DriverStatistics {
    private static final Logger LOG = LoggerFactory.getLogger(ModbusDriver.class);

    /** First reconnect delay after a connection failure; doubles up to {@link #RECONNECT_CAP_MILLIS}. */
    static final long RECONNECT_INITIAL_MILLIS = 250;
    static final long RECONNECT_CAP_MILLIS = 30_000;

    private static final Set<String> PROTOCOLS = Set.of(Endpoint.MODBUS_TCP, Endpoint.MODBUS_RTU,
            Endpoint.MODBUS_RTU_OVER_TCP);

    /** The audit action of every request or write the southbound allowlist refused. */
    public static final String AUDIT_ACTION = "southbound.refused";

    private final Map<String, Shared> channels = new HashMap<>();
    /** The newest open session of each device (the core briefly holds two while it replaces one). */
    private final Map<String, ModbusSession> sessions = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicReference<AuditSink> auditSink = new AtomicReference<>();

    private static final class Shared {
        final Channel channel;
        final Endpoint endpoint;
        /**
         * Unit id -> the device using it and its open sessions. Two devices on one unit would take each
         * other's answers (RTU) and writes; one device may briefly hold two sessions while the core
         * replaces a session after a configuration change (the old one is closed after its last poll).
         */
        final Map<Integer, UnitUse> units = new HashMap<>();

        Shared(Channel channel, Endpoint endpoint) {
            this.channel = channel;
            this.endpoint = endpoint;
        }
    }

    private static final class UnitUse {
        final String deviceId;
        int sessions;

        UnitUse(String deviceId) {
            this.deviceId = deviceId;
        }
    }

    public ModbusDriver() {
        // usable without a DS runtime
    }

    /**
     * Optional and greedy, as in the write service: a refusal happens whether or not it can be recorded (the
     * request is never sent either way), and the hash-chained trail replaces the core's log sink when it arrives.
     */
    @Reference(name = "auditSink", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setAuditSink(AuditSink sink) {
        auditSink.set(sink);
    }

    public void unsetAuditSink(AuditSink sink) {
        auditSink.compareAndSet(sink, null);
    }

    /** Records a refusal of the allowlist; the refusal stands whether or not the record succeeds. */
    void refused(DeviceConfig device, String resource, String reason) {
        LOG.warn("Southbound allowlist refused a request to device {}: {}", device.id(), reason);
        AuditSink sink = auditSink.get();
        boolean recorded = false;
        try {
            recorded = sink != null && sink.record(new AuditEvent(Instant.now(), "system", null, AUDIT_ACTION,
                    resource, AuditEvent.Result.DENIED, reason, "driver.modbus allowlist"));
        } catch (RuntimeException e) {
            LOG.error("Audit sink failed to record a southbound refusal", e);
        }
        if (!recorded) {
            LOG.error("Southbound refusal NOT AUDITED (no audit sink or it could not write): device {} {}: {}",
                    device.id(), resource, reason);
        }
    }

    @Override
    public Set<String> protocols() {
        return PROTOCOLS;
    }

    @Override
    public DeviceSession open(DeviceConfig device, DeviceProfile profile) throws DriverConfigException {
        validate(device, profile);
        Map<String, TagDefinition> tags = new LinkedHashMap<>();
        profile.tags().forEach(t -> tags.put(t.name(), t));
        Map<String, List<ReadBlock>> plans;
        try {
            plans = ModbusSession.planGroups(device, profile.tags());
        } catch (IllegalArgumentException e) {
            throw new DriverConfigException("device " + device.id() + ": " + e.getMessage());
        }
        Endpoint ep = device.endpoint();
        String key = ep.channelKey();
        Channel channel;
        Shared shared;
        synchronized (channels) {
            shared = channels.get(key);
            if (shared != null && !shared.endpoint.equals(ep)) {
                // New line settings (e.g. a baud rate change applied to every device of the line): the new
                // settings win. Sessions still on the old channel keep it until they are closed, which the
                // core does right after it has opened their replacements.
                LOG.info("Channel {}: settings changed from {} to {}; new sessions use a new channel", key,
                        shared.endpoint, ep);
                shared = null;
            }
            UnitUse use = shared == null ? null : shared.units.get(device.unitId());
            if (use != null && !use.deviceId.equals(device.id())) {
                throw new DriverConfigException("device " + device.id() + ": unit id " + device.unitId()
                        + " on channel " + key + " is already used by device " + use.deviceId);
            }
            if (shared == null) {
                shared = new Shared(newChannel(ep), ep);
                channels.put(key, shared);
            }
            shared.units.computeIfAbsent(device.unitId(), u -> new UnitUse(device.id())).sessions++;
            channel = shared.channel;
        }
        boolean pipelining = Endpoint.MODBUS_TCP.equals(ep.protocol());
        int unit = device.unitId();
        Shared owner = shared;
        ModbusSession[] self = new ModbusSession[1];
        self[0] = new ModbusSession(device, tags, plans, channel, pipelining, () -> {
            sessions.remove(device.id(), self[0]);
            release(key, owner, unit);
        }, this::refused);
        sessions.put(device.id(), self[0]);
        return self[0];
    }

    @Override
    public Map<String, SessionStats> sessions() {
        Map<String, SessionStats> out = new java.util.TreeMap<>();
        sessions.forEach((id, s) -> out.put(id, s.stats()));
        return out;
    }

    private static Channel newChannel(Endpoint ep) {
        Backoff backoff = new Backoff(RECONNECT_INITIAL_MILLIS, RECONNECT_CAP_MILLIS);
        return switch (ep.protocol()) {
            case Endpoint.MODBUS_TCP -> new TcpChannel(ep.host(), ep.port(), backoff);
            case Endpoint.MODBUS_RTU_OVER_TCP -> new RtuChannel(() -> new SocketLink(ep.host(), ep.port()), backoff);
            default -> new RtuChannel(() -> new SerialLink(ep.serialPort(), ep.baudRate(), ep.dataBits(),
                    ep.stopBits(), ep.parity()), backoff);
        };
    }

    private void release(String key, Shared shared, int unit) {
        synchronized (channels) {
            UnitUse use = shared.units.get(unit);
            if (use != null && --use.sessions == 0) {
                shared.units.remove(unit);
            }
            if (shared.units.isEmpty()) {
                channels.remove(key, shared);
                shared.channel.close();
            }
        }
    }

    /** Closes every channel; sessions still open then answer Bad. */
    @Deactivate
    public void deactivate() {
        synchronized (channels) {
            channels.values().forEach(s -> s.channel.close());
            channels.clear();
        }
        LOG.debug("Modbus driver stopped");
    }

    // ---- validation (no I/O)

    static void validate(DeviceConfig d, DeviceProfile profile) throws DriverConfigException {
        String dev = "device " + d.id();
        Endpoint ep = d.endpoint();
        if (ep == null || !PROTOCOLS.contains(ep.protocol())) {
            throw new DriverConfigException(dev + ": protocol " + (ep == null ? null : ep.protocol())
                    + " is not one of " + PROTOCOLS);
        }
        boolean serial = Endpoint.MODBUS_RTU.equals(ep.protocol());
        if (serial) {
            require(ep.serialPort() != null && !ep.serialPort().isBlank(), dev + ": serial port missing");
            require(ep.baudRate() > 0, dev + ": baud rate " + ep.baudRate() + " must be > 0");
            require(ep.dataBits() == 7 || ep.dataBits() == 8, dev + ": data bits " + ep.dataBits() + " must be 7 or 8");
            require(ep.stopBits() == 1 || ep.stopBits() == 2, dev + ": stop bits " + ep.stopBits() + " must be 1 or 2");
            require(Set.of("none", "even", "odd").contains(ep.parity()), dev + ": parity " + ep.parity()
                    + " must be none, even or odd");
        } else {
            require(ep.host() != null && !ep.host().isBlank(), dev + ": host missing");
            require(ep.port() >= 1 && ep.port() <= 65535, dev + ": port " + ep.port() + " outside 1..65535");
        }
        if (Endpoint.MODBUS_TCP.equals(ep.protocol())) {
            require(d.unitId() >= 0 && d.unitId() <= 255, dev + ": unit id " + d.unitId() + " outside 0..255");
        } else {
            // 0 is broadcast on a serial line: nobody answers it
            require(d.unitId() >= 1 && d.unitId() <= 247, dev + ": unit id " + d.unitId()
                    + " outside 1..247 (serial line)");
        }
        require(d.timeoutMillis() > 0, dev + ": timeout " + d.timeoutMillis() + " ms must be > 0");
        require(d.retries() >= 0, dev + ": retries " + d.retries() + " must be >= 0");
        require(d.minGapMillis() >= 0, dev + ": min gap " + d.minGapMillis() + " ms must be >= 0");
        require(d.maxOutstanding() >= 1, dev + ": max outstanding " + d.maxOutstanding() + " must be >= 1");
        require(d.maxGap() >= 0, dev + ": max gap " + d.maxGap() + " must be >= 0");
        require(d.maxRegistersPerRead() >= 1 && d.maxRegistersPerRead() <= Modbus.MAX_READ_REGISTERS,
                dev + ": max registers per read " + d.maxRegistersPerRead() + " outside 1..125");
        java.util.Set<String> names = new java.util.HashSet<>();
        for (TagDefinition t : profile.tags()) {
            String where = dev + ", tag " + t.name() + ": ";
            require(names.add(t.name()), where + "defined twice in profile " + profile.id());
            require(t.area() != null && t.dataType() != null, where + "area and data type are required");
            if (t.area().isBits()) {
                require(t.dataType() == DataType.BOOL, where + t.dataType() + " is not possible in " + t.area()
                        + " (only BOOL)");
            }
            if (t.dataType() == DataType.BIT) {
                require(t.bit() >= 0 && t.bit() <= 15, where + "bit " + t.bit() + " outside 0..15");
            }
            if (t.dataType() == DataType.STRING) {
                require(t.length() >= 1, where + "string length " + t.length() + " must be >= 1");
            }
            require(t.quantity() <= d.maxRegistersPerRead() || t.area().isBits(), where + t.quantity()
                    + " registers exceed the device's " + d.maxRegistersPerRead() + " per read");
            require(t.address() >= 0 && t.address() + t.quantity() - 1 <= 65535, where + "addresses " + t.address()
                    + ".." + (t.address() + t.quantity() - 1) + " outside 0..65535");
            require(t.byteOrder() != null && t.wordOrder() != null, where + "byte and word order are required");
            require(Double.isFinite(t.scale()) && t.scale() != 0 && Double.isFinite(t.offset()),
                    where + "scale " + t.scale() + " / offset " + t.offset() + " must be finite, scale non-zero");
            require(!t.isScaled() || t.dataType().isNumeric(), where + "scale/offset on a " + t.dataType() + " tag");
            require(d.pollGroupOf(t).isPresent(), where + "poll group '"
                    + t.pollGroup() + "' is not defined for the device (has " + d.pollGroups().stream()
                            .map(g -> g.name()).toList() + ")");
            if (t.access() == Access.READ_WRITE) {
                require(t.area().isWritable(), where + "read-write in " + t.area() + ", which is read-only");
                require(t.quantity() <= Modbus.MAX_WRITE_REGISTERS, where + t.quantity()
                        + " registers exceed one write of " + Modbus.MAX_WRITE_REGISTERS);
            }
        }
    }

    private static void require(boolean ok, String message) throws DriverConfigException {
        if (!ok) {
            throw new DriverConfigException(message);
        }
    }
}
