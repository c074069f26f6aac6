package io.cellgate.sparkplug;

import com.google.protobuf.InvalidProtocolBufferException;
import io.cellgate.api.tag.Quality;
import io.cellgate.api.tag.QualityReason;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.sparkplug.internal.AliasRegistry;
import io.cellgate.sparkplug.internal.Sizes;
import io.cellgate.sparkplug.proto.SparkplugB.DataType;
import io.cellgate.sparkplug.proto.SparkplugB.Payload;
import io.cellgate.sparkplug.proto.SparkplugB.Payload.Metric;
import io.cellgate.sparkplug.proto.SparkplugB.Payload.PropertySet;
import io.cellgate.sparkplug.proto.SparkplugB.Payload.PropertyValue;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Sparkplug B 3.0 protocol state of one edge node, without a transport: builds every message the edge
 * node publishes (NDEATH Will, NBIRTH, DBIRTH, NDATA, DDATA, DDEATH, historical replays) and decodes the
 * commands it receives (NCMD, DCMD).
 *
 * <ul>
 * <li><b>seq</b>: NBIRTH carries 0; every later NBIRTH/DBIRTH/NDATA/DDATA/DDEATH of the session the next
 * number, 255 wrapping to 0, with no gaps as long as every built message is published in build order.</li>
 * <li><b>bdSeq</b>: given by the caller (see {@link BdSeqFile}); the Will and the NBIRTH of one MQTT session
 * must carry the same value, a rebirth within the session repeats it.</li>
 * <li><b>aliases</b>: every metric except {@code bdSeq} and {@code Node Control/Rebirth} (which the
 * specification forbids to alias) gets an alias derived from its name (see {@link #alias}), the same after
 * a restart, unique within the edge node. DATA messages carry aliases only, no names and no datatypes.</li>
 * </ul>
 *
 * <p>Not thread-safe: one publishing thread (or a lock) owns an instance, and publishes what it builds in
 * the order built. Build methods validate first and change no state when they throw.
 */
public final class EdgeNodeProtocol {

    /** Name of the birth/death sequence metric (Int64) in NBIRTH and NDEATH. */
    public static final String BD_SEQ = "bdSeq";
    /** Name of the rebirth request metric (Boolean, false in NBIRTH, true in an NCMD). */
    public static final String REBIRTH = "Node Control/Rebirth";
    /** No size limit. */
    public static final int NO_LIMIT = Integer.MAX_VALUE;

    private static final Logger LOG = LoggerFactory.getLogger(EdgeNodeProtocol.class);

    /** A metric announced in a birth. deviceId null for node metrics; info null for node metrics. */
    private record MetricDef(String deviceId, String name, long alias, DataType type, TagInfo info) {
        String key() {
            return aliasKey(deviceId, name);
        }
    }

    private final String groupId;
    private final String edgeNodeId;
    private final Clock clock;
    private final AliasRegistry aliases = new AliasRegistry();
    private final Map<String, MetricDef> nodeMetrics = new HashMap<>();
    private final Map<String, Map<String, MetricDef>> deviceMetrics = new HashMap<>();
    private final Map<Long, MetricDef> byAlias = new HashMap<>();
    /** Last quality code published live per alias: DATA carries Quality only when it is or was not Good. */
    private final Map<Long, Integer> lastQuality = new HashMap<>();
    private final Set<String> bornDevices = new HashSet<>();
    private boolean nodeBorn;
    private int seq = -1;

    public EdgeNodeProtocol(String groupId, String edgeNodeId) {
        this(groupId, edgeNodeId, Clock.systemUTC());
    }

    /** @param clock gives the payload timestamps (a fixed clock in tests) */
    public EdgeNodeProtocol(String groupId, String edgeNodeId, Clock clock) {
        SparkplugTopic.requireValidId("group id", groupId);
        SparkplugTopic.requireValidId("edge node id", edgeNodeId);
        this.groupId = groupId;
        this.edgeNodeId = edgeNodeId;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public String groupId() {
        return groupId;
    }

    public String edgeNodeId() {
        return edgeNodeId;
    }

    /** A node-level topic of this edge node. */
    public SparkplugTopic nodeTopic(MessageType type) {
        return SparkplugTopic.node(type, groupId, edgeNodeId);
    }

    /** A device-level topic of this edge node. */
    public SparkplugTopic deviceTopic(MessageType type, String deviceId) {
        return SparkplugTopic.device(type, groupId, edgeNodeId, deviceId);
    }

    /** The seq of the last message built in this session, -1 before the first NBIRTH. */
    public int lastSeq() {
        return seq;
    }

    /** True between an NBIRTH and {@link #endSession()}. */
    public boolean isBorn() {
        return nodeBorn;
    }

    /** True when the device has a DBIRTH in this session and no DDEATH since. */
    public boolean isDeviceBorn(String deviceId) {
        return bornDevices.contains(deviceId);
    }

    /** The devices with a current DBIRTH. */
    public Set<String> bornDevices() {
        return Set.copyOf(bornDevices);
    }

    /**
     * The alias of a metric announced in a birth of this session or an earlier one: of a node metric when
     * {@code deviceId} is null, else of the device's tag. Empty when the metric was never announced.
     */
    public OptionalLong alias(String deviceId, String metricName) {
        MetricDef def = deviceId == null ? nodeMetrics.get(metricName)
                : deviceMetrics.getOrDefault(deviceId, Map.of()).get(metricName);
        return def == null ? OptionalLong.empty() : OptionalLong.of(def.alias());
    }

    /**
     * Ends the session (connection lost or closed): no DATA may be built until the next NBIRTH. Aliases and
     * metric definitions are kept, so stored DATA payloads can be replayed with {@link #replayHistorical}.
     */
    public void endSession() {
        nodeBorn = false;
        bornDevices.clear();
        lastQuality.clear();
        seq = -1;
    }

    // ---------------------------------------------------------------- node birth and death

    /**
     * The NDEATH payload: the Will of the MQTT CONNECT (QoS 1, not retained), also published before a clean
     * disconnect. Carries only the payload timestamp and the bdSeq metric, no seq. Changes no state.
     */
    public SparkplugMessage ndeath(long bdSeq) {
        requireBdSeq(bdSeq);
        Payload p = Payload.newBuilder().setTimestamp(clock.millis())
                .addMetrics(bdSeqMetric(bdSeq).setTimestamp(clock.millis())).build();
        return new SparkplugMessage(nodeTopic(MessageType.NDEATH), p.toByteArray(), -1);
    }

    /** {@link #nbirth(long, List, int)} without a size limit. */
    public SparkplugMessage nbirth(long bdSeq, List<NodeMetric> metrics) {
        return nbirth(bdSeq, metrics, NO_LIMIT);
    }

    /**
     * Starts a session (or a rebirth): the NBIRTH with seq 0, {@code bdSeq} (the Will's value),
     * {@code Node Control/Rebirth = false} and every node metric with name, alias, datatype, timestamp and value.
     * Every device needs a new DBIRTH afterwards.
     *
     * @param maxPayloadBytes payload limit; a birth cannot be split (a second NBIRTH would replace the first)
     * @throws PayloadTooLargeException when the NBIRTH exceeds the limit
     * @throws IllegalArgumentException on duplicate or reserved names, or a value that does not fit its type
     */
    public SparkplugMessage nbirth(long bdSeq, List<NodeMetric> metrics, int maxPayloadBytes) {
        requireBdSeq(bdSeq);
        long now = clock.millis();
        Map<String, NodeMetric> byName = new LinkedHashMap<>();
        for (NodeMetric m : metrics) {
            if (BD_SEQ.equals(m.name()) || REBIRTH.equals(m.name())) {
                throw new IllegalArgumentException("node metric name '" + m.name() + "' is reserved");
            }
            if (byName.put(m.name(), m) != null) {
                throw new IllegalArgumentException("node metric '" + m.name() + "' is listed twice");
            }
            SparkplugTypes.javaType(m.type());
        }
        Payload.Builder p = Payload.newBuilder().setTimestamp(now).setSeq(0);
        p.addMetrics(bdSeqMetric(bdSeq).setTimestamp(now));
        p.addMetrics(Metric.newBuilder().setName(REBIRTH).setTimestamp(now)
                .setDatatype(DataType.Boolean_VALUE).setBooleanValue(false));
        Map<String, MetricDef> defs = new LinkedHashMap<>();
        for (NodeMetric m : byName.values()) {
            long alias = peekAlias(null, m.name());
            Metric.Builder b = Metric.newBuilder().setName(m.name()).setAlias(alias)
                    .setTimestamp(m.timestamp().toEpochMilli()).setDatatype(m.type().getNumber());
            encodeOrFail(b, m.type(), m.value(), "node metric '" + m.name() + "'");
            p.addMetrics(b);
            defs.put(m.name(), new MetricDef(null, m.name(), alias, m.type(), null));
        }
        byte[] bytes = p.build().toByteArray();
        if (bytes.length > maxPayloadBytes) {
            throw new PayloadTooLargeException("NBIRTH with " + p.getMetricsCount() + " metrics", bytes.length,
                    maxPayloadBytes);
        }
        replaceDefinitions(null, defs);
        nodeBorn = true;
        bornDevices.clear();
        lastQuality.clear();
        seq = 0;
        return new SparkplugMessage(nodeTopic(MessageType.NBIRTH), bytes, 0);
    }

    // ---------------------------------------------------------------- device birth and death

    /** {@link #dbirth(String, Collection, Map, int)} without a size limit. */
    public SparkplugMessage dbirth(String deviceId, Collection<TagInfo> tags, Map<TagPath, TagValue> values) {
        return dbirth(deviceId, tags, values, NO_LIMIT);
    }

    /**
     * The DBIRTH of a device: every tag as a metric with name (the tag name), alias, datatype, timestamp
     * (source time), value and properties (Quality, qualityReason, engUnit, engLow, engHigh, documentation,
     * readOnly). A tag without a value is published null with Quality BAD (WAITING_FOR_INITIAL_DATA); a Bad
     * value is published null (the last known value is never presented as current).
     *
     * @param tags   the device's tags, all with {@code path().device()} equal to {@code deviceId}
     * @param values current values by path; missing entries count as not yet read
     * @throws IllegalStateException    before the NBIRTH of the session
     * @throws PayloadTooLargeException when the DBIRTH exceeds the limit (a birth cannot be split)
     */
    public SparkplugMessage dbirth(String deviceId, Collection<TagInfo> tags, Map<TagPath, TagValue> values,
            int maxPayloadBytes) {
        requireBorn("DBIRTH");
        SparkplugTopic topic = deviceTopic(MessageType.DBIRTH, deviceId);
        long now = clock.millis();
        Payload.Builder p = Payload.newBuilder().setTimestamp(now);
        Map<String, MetricDef> defs = new LinkedHashMap<>();
        Map<Long, Integer> qualities = new HashMap<>();
        for (TagInfo info : tags) {
            if (!info.path().device().equals(deviceId)) {
                throw new IllegalArgumentException("tag " + info.path() + " does not belong to device '" + deviceId + "'");
            }
            String name = info.path().tag();
            DataType type = SparkplugTypes.of(info);
            MetricDef def = new MetricDef(deviceId, name, peekAlias(deviceId, name), type, info);
            if (defs.put(name, def) != null) {
                throw new IllegalArgumentException("tag " + info.path() + " is listed twice");
            }
            TagValue value = values.get(info.path());
            if (value == null) {
                value = TagValue.bad(QualityReason.WAITING_FOR_INITIAL_DATA, null, clock.instant());
            }
            Metric.Builder b = Metric.newBuilder().setName(name).setAlias(def.alias())
                    .setDatatype(type.getNumber());
            int quality = setValue(b, def, value);
            PropertySet.Builder props = qualityProperties(value, quality);
            if (info.unit() != null) {
                addProperty(props, SparkplugProperties.ENG_UNIT, DataType.String, info.unit());
            }
            if (info.min() != null) {
                addProperty(props, SparkplugProperties.ENG_LOW, DataType.Double, info.min());
            }
            if (info.max() != null) {
                addProperty(props, SparkplugProperties.ENG_HIGH, DataType.Double, info.max());
            }
            if (info.description() != null) {
                addProperty(props, SparkplugProperties.DOCUMENTATION, DataType.String, info.description());
            }
            addProperty(props, SparkplugProperties.READ_ONLY, DataType.Boolean, !info.writable());
            p.addMetrics(b.setProperties(props));
            qualities.put(def.alias(), quality);
        }
        int nextSeq = (seq + 1) & 0xFF;
        byte[] bytes = p.setSeq(nextSeq).build().toByteArray();
        if (bytes.length > maxPayloadBytes) {
            throw new PayloadTooLargeException("DBIRTH of device '" + deviceId + "' with " + p.getMetricsCount()
                    + " metrics", bytes.length, maxPayloadBytes);
        }
        replaceDefinitions(deviceId, defs);
        bornDevices.add(deviceId);
        lastQuality.putAll(qualities);
        seq = nextSeq;
        return new SparkplugMessage(topic, bytes, nextSeq);
    }

    /**
     * The DDEATH of a device (it stopped answering, or was removed): payload timestamp and seq, no metrics.
     * DDATA for the device is refused until its next DBIRTH.
     *
     * @throws IllegalStateException when the device has no DBIRTH in this session
     */
    public SparkplugMessage ddeath(String deviceId) {
        requireBorn("DDEATH");
        SparkplugTopic topic = deviceTopic(MessageType.DDEATH, deviceId);
        if (!bornDevices.contains(deviceId)) {
            throw new IllegalStateException("DDEATH of device '" + deviceId + "': it has no DBIRTH in this session");
        }
        bornDevices.remove(deviceId);
        seq = (seq + 1) & 0xFF;
        Payload p = Payload.newBuilder().setTimestamp(clock.millis()).setSeq(seq).build();
        return new SparkplugMessage(topic, p.toByteArray(), seq);
    }

    // ---------------------------------------------------------------- data

    /** {@link #ddata(String, List, boolean, int)}: live, without a size limit, as one message (none if empty). */
    public List<SparkplugMessage> ddata(String deviceId, List<TagSample> samples) {
        return ddata(deviceId, samples, false, NO_LIMIT);
    }

    /**
     * DDATA by exception: each sample as a metric with alias, timestamp (source time) and value, no name, no
     * datatype. Quality (and qualityReason) are included when not Good, and once more when a value turns Good
     * again. Historical samples get {@code is_historical=true}, keep their original timestamps and don't
     * change the live quality tracking.
     *
     * @param samples         in chronological order (the order the specification requires for live data)
     * @param maxPayloadBytes each returned payload stays within this; samples are split in order over several
     *                        DDATA, each with the next seq
     * @return the messages to publish, in order; empty when there are no samples
     * @throws IllegalStateException    when the device has no DBIRTH in this session
     * @throws IllegalArgumentException for a tag that was not in the device's DBIRTH (send a new DBIRTH)
     * @throws PayloadTooLargeException when a single sample does not fit the limit
     */
    public List<SparkplugMessage> ddata(String deviceId, List<TagSample> samples, boolean historical,
            int maxPayloadBytes) {
        requireBorn("DDATA");
        SparkplugTopic topic = deviceTopic(MessageType.DDATA, deviceId);
        if (!bornDevices.contains(deviceId)) {
            throw new IllegalStateException("DDATA of device '" + deviceId + "': it has no DBIRTH in this session");
        }
        Map<String, MetricDef> defs = deviceMetrics.getOrDefault(deviceId, Map.of());
        Map<Long, Integer> qualities = new HashMap<>();
        List<Metric> metrics = new ArrayList<>(samples.size());
        for (TagSample s : samples) {
            MetricDef def = s.path().device().equals(deviceId) ? defs.get(s.path().tag()) : null;
            if (def == null) {
                throw new IllegalArgumentException("tag " + s.path() + " is not in the DBIRTH of device '" + deviceId
                        + "': send a new DBIRTH first");
            }
            Metric.Builder b = Metric.newBuilder().setAlias(def.alias());
            int quality = setValue(b, def, s.value());
            int previous = qualities.getOrDefault(def.alias(),
                    lastQuality.getOrDefault(def.alias(), SparkplugProperties.QUALITY_GOOD));
            if (historical) {
                b.setIsHistorical(true);
                if (quality != SparkplugProperties.QUALITY_GOOD) {
                    b.setProperties(qualityProperties(s.value(), quality));
                }
            } else {
                if (quality != SparkplugProperties.QUALITY_GOOD || previous != SparkplugProperties.QUALITY_GOOD) {
                    b.setProperties(qualityProperties(s.value(), quality));
                }
                qualities.put(def.alias(), quality);
            }
            metrics.add(b.build());
        }
        List<SparkplugMessage> out = split(topic, metrics, maxPayloadBytes);
        lastQuality.putAll(qualities);
        return out;
    }

    /** {@link #ndata(List, boolean, int)}: live, without a size limit. */
    public List<SparkplugMessage> ndata(List<NodeMetric> metrics) {
        return ndata(metrics, false, NO_LIMIT);
    }

    /**
     * NDATA by exception for node metrics announced in the NBIRTH: alias, timestamp and value only.
     *
     * @throws IllegalArgumentException for a metric not in the NBIRTH, or of another type than announced
     */
    public List<SparkplugMessage> ndata(List<NodeMetric> metrics, boolean historical, int maxPayloadBytes) {
        requireBorn("NDATA");
        List<Metric> built = new ArrayList<>(metrics.size());
        for (NodeMetric m : metrics) {
            MetricDef def = nodeMetrics.get(m.name());
            if (def == null) {
                throw new IllegalArgumentException("node metric '" + m.name() + "' is not in the NBIRTH: rebirth first");
            }
            if (def.type() != m.type()) {
                throw new IllegalArgumentException("node metric '" + m.name() + "' was born as " + def.type()
                        + ", not " + m.type());
            }
            Metric.Builder b = Metric.newBuilder().setAlias(def.alias()).setTimestamp(m.timestamp().toEpochMilli());
            encodeOrFail(b, m.type(), m.value(), "node metric '" + m.name() + "'");
            if (historical) {
                b.setIsHistorical(true);
            }
            built.add(b.build());
        }
        return split(nodeTopic(MessageType.NDATA), built, maxPayloadBytes);
    }

    /**
     * Re-publishes a stored NDATA/DDATA payload (built in an earlier session, e.g. kept by the outbox during an
     * outage) in the current session: every metric flagged {@code is_historical=true} with its original
     * timestamp (the payload's timestamp when the metric had none), new seq numbers, split to the limit.
     * Aliases are stable across sessions and restarts, so stored payloads stay meaningful.
     *
     * @throws IllegalArgumentException when the topic is not NDATA/DDATA of this edge node, the payload is not
     *                                  a Sparkplug payload, or a metric's alias is not (or no longer) announced
     * @throws IllegalStateException    before the NBIRTH, or for a device without a DBIRTH in this session
     */
    public List<SparkplugMessage> replayHistorical(SparkplugTopic topic, byte[] storedPayload, int maxPayloadBytes) {
        requireBorn("a historical replay");
        if ((topic.type() != MessageType.NDATA && topic.type() != MessageType.DDATA)
                || !groupId.equals(topic.groupId()) || !edgeNodeId.equals(topic.edgeNodeId())) {
            throw new IllegalArgumentException("only NDATA/DDATA of " + groupId + "/" + edgeNodeId
                    + " can be replayed, got " + topic);
        }
        String deviceId = topic.deviceId();
        if (deviceId != null && !bornDevices.contains(deviceId)) {
            throw new IllegalStateException("replay to device '" + deviceId + "': it has no DBIRTH in this session");
        }
        Payload stored;
        try {
            stored = Payload.parseFrom(storedPayload);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("stored payload for " + topic + " is not a Sparkplug B payload: "
                    + e.getMessage(), e);
        }
        List<Metric> metrics = new ArrayList<>(stored.getMetricsCount());
        for (Metric m : stored.getMetricsList()) {
            MetricDef def = m.hasAlias() ? byAlias.get(m.getAlias()) : null;
            if (def == null || !Objects.equals(def.deviceId(), deviceId)) {
                throw new IllegalArgumentException("stored payload for " + topic + ": alias "
                        + Long.toUnsignedString(m.getAlias()) + " is not a metric of "
                        + (deviceId == null ? "the node" : "device '" + deviceId + "'"));
            }
            Metric.Builder b = m.toBuilder().setIsHistorical(true);
            if (!m.hasTimestamp()) {
                b.setTimestamp(stored.getTimestamp());
            }
            metrics.add(b.build());
        }
        return split(topic, metrics, maxPayloadBytes);
    }

    // ---------------------------------------------------------------- commands

    /**
     * Decodes an NCMD. {@code Node Control/Rebirth = true} (by name; it has no alias) sets
     * {@link DecodedCommands#rebirth()}; node metrics are read-only, so any other metric is refused.
     * Never throws on bad input.
     */
    public DecodedCommands decodeNodeCommand(byte[] payload) {
        Payload p;
        try {
            p = parse(payload);
        } catch (InvalidProtocolBufferException e) {
            return DecodedCommands.malformed("NCMD payload is not a Sparkplug B payload: " + e.getMessage());
        }
        boolean rebirth = false;
        List<CommandError> errors = new ArrayList<>();
        for (int i = 0; i < p.getMetricsCount(); i++) {
            Metric m = p.getMetrics(i);
            if (m.hasName() && REBIRTH.equals(m.getName())) {
                String id = REBIRTH;
                if (m.hasAlias()) {
                    errors.add(new CommandError(id, CommandError.Kind.NAME_ALIAS_MISMATCH, REBIRTH
                            + " has no alias, got alias " + Long.toUnsignedString(m.getAlias())));
                } else if (m.hasDatatype() && m.getDatatype() != DataType.Boolean_VALUE) {
                    errors.add(new CommandError(id, CommandError.Kind.WRONG_DATATYPE, "datatype must be Boolean ("
                            + DataType.Boolean_VALUE + "), got " + typeName(m.getDatatype())));
                } else if (m.getIsNull() || m.getValueCase() == Metric.ValueCase.VALUE_NOT_SET) {
                    errors.add(new CommandError(id, CommandError.Kind.NULL_VALUE, "no value"));
                } else if (m.getValueCase() != Metric.ValueCase.BOOLEAN_VALUE) {
                    errors.add(new CommandError(id, CommandError.Kind.WRONG_DATATYPE, "needs boolean_value, got "
                            + SparkplugTypes.fieldName(m.getValueCase())));
                } else if (!m.getBooleanValue()) {
                    errors.add(new CommandError(id, CommandError.Kind.INVALID_REBIRTH, "a rebirth request must be true"));
                } else {
                    rebirth = true;
                }
                continue;
            }
            Object resolved = resolve(nodeMetrics, null, m, i);
            if (resolved instanceof CommandError e) {
                errors.add(e);
            } else {
                MetricDef def = (MetricDef) resolved;
                errors.add(new CommandError(label(m, i), CommandError.Kind.NOT_WRITABLE,
                        "node metric '" + def.name() + "' is read-only"));
            }
        }
        return new DecodedCommands(rebirth, List.of(), errors);
    }

    /**
     * Decodes a DCMD addressed to a device: each metric, by name or alias, becomes a write of the tag with the
     * value converted to the tag's Java type, or an error naming the metric (unknown name/alias, read-only,
     * wrong datatype, null, out of range, not finite). Never throws on bad input.
     */
    public DecodedCommands decodeDeviceCommand(String deviceId, byte[] payload) {
        if (deviceId == null || !bornDevices.contains(deviceId)) {
            return new DecodedCommands(false, List.of(), List.of(new CommandError("payload",
                    CommandError.Kind.UNKNOWN_DEVICE, "device '" + deviceId + "' has no DBIRTH in this session")));
        }
        Payload p;
        try {
            p = parse(payload);
        } catch (InvalidProtocolBufferException e) {
            return DecodedCommands.malformed("DCMD payload for device '" + deviceId
                    + "' is not a Sparkplug B payload: " + e.getMessage());
        }
        Map<String, MetricDef> defs = deviceMetrics.getOrDefault(deviceId, Map.of());
        List<CommandWrite> writes = new ArrayList<>();
        List<CommandError> errors = new ArrayList<>();
        for (int i = 0; i < p.getMetricsCount(); i++) {
            Metric m = p.getMetrics(i);
            Object resolved = resolve(defs, deviceId, m, i);
            if (resolved instanceof CommandError e) {
                errors.add(e);
                continue;
            }
            MetricDef def = (MetricDef) resolved;
            Object value = writeValue(def, m, label(m, i), errors);
            if (value != null) {
                writes.add(new CommandWrite(def.info().path(), value, label(m, i)));
            }
        }
        return new DecodedCommands(false, writes, errors);
    }

    private static Payload parse(byte[] payload) throws InvalidProtocolBufferException {
        if (payload == null) {
            throw new InvalidProtocolBufferException("no payload");
        }
        return Payload.parseFrom(payload);
    }

    /** The definition a command metric addresses, or the error. */
    private Object resolve(Map<String, MetricDef> defs, String deviceId, Metric m, int index) {
        String id = label(m, index);
        if (!m.hasName() && !m.hasAlias()) {
            return new CommandError(id, CommandError.Kind.NO_METRIC_ID, "metric has neither name nor alias");
        }
        MetricDef byName = null;
        if (m.hasName()) {
            byName = defs.get(m.getName());
            if (byName == null) {
                return new CommandError(id, CommandError.Kind.UNKNOWN_NAME, "no metric named '" + m.getName() + "' on "
                        + scope(deviceId));
            }
        }
        MetricDef aliased = null;
        if (m.hasAlias()) {
            aliased = byAlias.get(m.getAlias());
            if (aliased == null || !Objects.equals(aliased.deviceId(), deviceId)) {
                return new CommandError(id, CommandError.Kind.UNKNOWN_ALIAS, "no metric with alias "
                        + Long.toUnsignedString(m.getAlias()) + " on " + scope(deviceId));
            }
        }
        if (byName != null && aliased != null && byName != aliased) {
            return new CommandError(id, CommandError.Kind.NAME_ALIAS_MISMATCH, "name '" + m.getName()
                    + "' has alias " + byName.alias() + ", but alias " + Long.toUnsignedString(m.getAlias())
                    + " is '" + aliased.name() + "'");
        }
        return byName != null ? byName : aliased;
    }

    /** The value to write, or null after adding the error. */
    private static Object writeValue(MetricDef def, Metric m, String id, List<CommandError> errors) {
        if (!def.info().writable()) {
            errors.add(new CommandError(id, CommandError.Kind.NOT_WRITABLE, "tag " + def.info().path() + " is read-only"));
            return null;
        }
        if (m.hasDatatype() && m.getDatatype() != def.type().getNumber()) {
            errors.add(new CommandError(id, CommandError.Kind.WRONG_DATATYPE, "tag " + def.info().path() + " is "
                    + def.type() + " (" + def.type().getNumber() + "), the command says " + typeName(m.getDatatype())));
            return null;
        }
        if (m.getIsNull() || m.getValueCase() == Metric.ValueCase.VALUE_NOT_SET) {
            errors.add(new CommandError(id, CommandError.Kind.NULL_VALUE, "no value for tag " + def.info().path()));
            return null;
        }
        if (m.getValueCase() != SparkplugTypes.valueCase(def.type())) {
            errors.add(new CommandError(id, CommandError.Kind.WRONG_DATATYPE, "tag " + def.info().path() + " is "
                    + def.type() + " and needs " + SparkplugTypes.fieldName(SparkplugTypes.valueCase(def.type()))
                    + ", got " + SparkplugTypes.fieldName(m.getValueCase())));
            return null;
        }
        Object value;
        try {
            value = SparkplugTypes.toTagValue(def.info(), SparkplugTypes.decode(m, def.type()));
        } catch (IllegalArgumentException e) {
            errors.add(new CommandError(id, CommandError.Kind.OUT_OF_RANGE, "tag " + def.info().path() + ": "
                    + e.getMessage()));
            return null;
        }
        if ((value instanceof Double d && !Double.isFinite(d)) || (value instanceof Float f && !Float.isFinite(f))) {
            errors.add(new CommandError(id, CommandError.Kind.OUT_OF_RANGE, "tag " + def.info().path() + ": "
                    + value + " is not a finite number"));
            return null;
        }
        return value;
    }

    private static String label(Metric m, int index) {
        if (m.hasName()) {
            return m.getName();
        }
        return m.hasAlias() ? "alias " + Long.toUnsignedString(m.getAlias()) : "metric #" + index;
    }

    private static String scope(String deviceId) {
        return deviceId == null ? "the edge node" : "device '" + deviceId + "'";
    }

    private static String typeName(int number) {
        DataType t = DataType.forNumber(number);
        return t == null ? "unknown datatype " + Integer.toUnsignedString(number) : t + " (" + number + ")";
    }

    // ---------------------------------------------------------------- helpers

    /** The key an alias is derived from: node metrics and device tags live in one alias space per edge node. */
    private static String aliasKey(String deviceId, String name) {
        return deviceId == null ? "node\0" + name : "device\0" + deviceId + "\0" + name;
    }

    private long peekAlias(String deviceId, String name) {
        MetricDef known = deviceId == null ? nodeMetrics.get(name)
                : deviceMetrics.getOrDefault(deviceId, Map.of()).get(name);
        return known != null ? known.alias() : aliases.assign(aliasKey(deviceId, name));
    }

    /** Installs the definitions of a birth: names that disappeared lose their alias. */
    private void replaceDefinitions(String deviceId, Map<String, MetricDef> defs) {
        Map<String, MetricDef> old = deviceId == null ? nodeMetrics : deviceMetrics.getOrDefault(deviceId, Map.of());
        for (MetricDef d : old.values()) {
            if (!defs.containsKey(d.name())) {
                aliases.release(d.key());
                byAlias.remove(d.alias());
                lastQuality.remove(d.alias());
            }
        }
        for (MetricDef d : defs.values()) {
            byAlias.put(d.alias(), d);
        }
        if (deviceId == null) {
            nodeMetrics.clear();
            nodeMetrics.putAll(defs);
        } else {
            deviceMetrics.put(deviceId, new HashMap<>(defs));
        }
    }

    /** Sets timestamp and value (or is_null) of a tag metric; returns the quality code to publish. */
    private int setValue(Metric.Builder b, MetricDef def, TagValue value) {
        b.setTimestamp(value.sourceTime().toEpochMilli());
        int quality = SparkplugProperties.qualityCode(value.quality());
        if (value.quality() == Quality.BAD || value.value() == null) {
            b.setIsNull(true);
            return quality;
        }
        try {
            SparkplugTypes.encode(b, def.type(), value.value());
        } catch (IllegalArgumentException e) {
            // A value the tag's type cannot carry is a bug upstream; publish it as Bad rather than fail the batch.
            LOG.warn("tag {}: value {} cannot be published as {}: {}", def.info().path(), value.value(), def.type(),
                    e.getMessage());
            b.clearValue().setIsNull(true);
            return SparkplugProperties.QUALITY_BAD;
        }
        return quality;
    }

    private static PropertySet.Builder qualityProperties(TagValue value, int quality) {
        PropertySet.Builder props = PropertySet.newBuilder();
        addProperty(props, SparkplugProperties.QUALITY, DataType.Int32, quality);
        if (quality != SparkplugProperties.QUALITY_GOOD) {
            QualityReason reason = value.reason() == QualityReason.NONE ? QualityReason.CONFIG_ERROR : value.reason();
            addProperty(props, SparkplugProperties.QUALITY_REASON, DataType.String, reason.name());
        }
        return props;
    }

    private static void addProperty(PropertySet.Builder props, String key, DataType type, Object value) {
        PropertyValue.Builder v = PropertyValue.newBuilder().setType(type.getNumber());
        switch (type) {
            case Int32 -> v.setIntValue((Integer) value);
            case Double -> v.setDoubleValue((Double) value);
            case Boolean -> v.setBooleanValue((Boolean) value);
            case String -> v.setStringValue((String) value);
            default -> throw new IllegalArgumentException("property type " + type);
        }
        props.addKeys(key).addValues(v);
    }

    private static Metric.Builder bdSeqMetric(long bdSeq) {
        return Metric.newBuilder().setName(BD_SEQ).setDatatype(DataType.Int64_VALUE).setLongValue(bdSeq);
    }

    private static void encodeOrFail(Metric.Builder b, DataType type, Object value, String what) {
        try {
            SparkplugTypes.encode(b, type, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    private static void requireBdSeq(long bdSeq) {
        if (bdSeq < 0 || bdSeq > 255) {
            throw new IllegalArgumentException("bdSeq must be 0..255, got " + bdSeq);
        }
    }

    private void requireBorn(String what) {
        if (!nodeBorn) {
            throw new IllegalStateException(what + " before the NBIRTH of the session");
        }
    }

    /**
     * Splits metrics in order into payloads within the limit and numbers them with the next seqs. Validates
     * everything before taking a seq, so a failure leaves the sequence untouched.
     */
    private List<SparkplugMessage> split(SparkplugTopic topic, List<Metric> metrics, int maxPayloadBytes) {
        List<List<Metric>> chunks = new ArrayList<>();
        List<Metric> current = new ArrayList<>();
        int size = Sizes.PAYLOAD_HEADER_MAX;
        for (Metric m : metrics) {
            int add = Sizes.metricInPayload(m.getSerializedSize());
            if (Sizes.PAYLOAD_HEADER_MAX + add > maxPayloadBytes) {
                throw new PayloadTooLargeException("one metric of " + topic + " (alias " + m.getAlias() + ")",
                        Sizes.PAYLOAD_HEADER_MAX + add, maxPayloadBytes);
            }
            if (size + add > maxPayloadBytes && !current.isEmpty()) {
                chunks.add(current);
                current = new ArrayList<>();
                size = Sizes.PAYLOAD_HEADER_MAX;
            }
            current.add(m);
            size += add;
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        long now = clock.millis();
        List<SparkplugMessage> out = new ArrayList<>(chunks.size());
        for (List<Metric> chunk : chunks) {
            seq = (seq + 1) & 0xFF;
            byte[] bytes = Payload.newBuilder().setTimestamp(now).setSeq(seq).addAllMetrics(chunk).build().toByteArray();
            out.add(new SparkplugMessage(topic, bytes, seq));
        }
        return out;
    }
}
