package io.cellgate.sparkplug;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A Sparkplug B topic: {@code spBv1.0/<group>/<type>/<edge node>[/<device>]}, or {@code spBv1.0/STATE/<host id>}.
 *
 * @param type       message type
 * @param groupId    group id, null for STATE
 * @param edgeNodeId edge node id, null for STATE
 * @param deviceId   device id for device-level types, else null
 * @param hostId     host application id for STATE, else null
 */
public record SparkplugTopic(MessageType type, String groupId, String edgeNodeId, String deviceId, String hostId) {

    /** The Sparkplug B namespace, first level of every topic. */
    public static final String NAMESPACE = "spBv1.0";

    public SparkplugTopic {
        Objects.requireNonNull(type, "type");
        if (type == MessageType.STATE) {
            requireValidId("host id", hostId);
            if (groupId != null || edgeNodeId != null || deviceId != null) {
                throw new IllegalArgumentException("a STATE topic has only a host id");
            }
        } else {
            requireValidId("group id", groupId);
            requireValidId("edge node id", edgeNodeId);
            if (type.isDeviceLevel()) {
                requireValidId("device id", deviceId);
            } else if (deviceId != null) {
                throw new IllegalArgumentException(type + " is a node-level message and has no device id, got '"
                        + deviceId + "'");
            }
            if (hostId != null) {
                throw new IllegalArgumentException("only STATE topics have a host id");
            }
        }
    }

    /** A node-level topic (NBIRTH, NDEATH, NDATA, NCMD). */
    public static SparkplugTopic node(MessageType type, String groupId, String edgeNodeId) {
        if (type.isDeviceLevel() || type == MessageType.STATE) {
            throw new IllegalArgumentException(type + " is not a node-level message type");
        }
        return new SparkplugTopic(type, groupId, edgeNodeId, null, null);
    }

    /** A device-level topic (DBIRTH, DDEATH, DDATA, DCMD). */
    public static SparkplugTopic device(MessageType type, String groupId, String edgeNodeId, String deviceId) {
        if (!type.isDeviceLevel()) {
            throw new IllegalArgumentException(type + " is not a device-level message type");
        }
        return new SparkplugTopic(type, groupId, edgeNodeId, deviceId, null);
    }

    /** The STATE topic of a host application: {@code spBv1.0/STATE/<host id>}. */
    public static SparkplugTopic state(String hostId) {
        return new SparkplugTopic(MessageType.STATE, null, null, null, hostId);
    }

    /** The MQTT topic string. */
    public String format() {
        if (type == MessageType.STATE) {
            return NAMESPACE + "/STATE/" + hostId;
        }
        String base = NAMESPACE + "/" + groupId + "/" + type + "/" + edgeNodeId;
        return deviceId == null ? base : base + "/" + deviceId;
    }

    @Override
    public String toString() {
        return format();
    }

    /**
     * Parses a topic received from the broker.
     *
     * @throws IllegalArgumentException naming the part that is wrong (namespace, message type, an id, the level count)
     */
    public static SparkplugTopic parse(String topic) {
        if (topic == null) {
            throw new IllegalArgumentException("topic is null");
        }
        String[] parts = topic.split("/", -1);
        if (!NAMESPACE.equals(parts[0])) {
            throw new IllegalArgumentException("topic '" + topic + "': namespace must be '" + NAMESPACE + "', got '"
                    + parts[0] + "'");
        }
        if (parts.length == 3 && "STATE".equals(parts[1])) {
            return at(topic, () -> state(parts[2]));
        }
        if (parts.length < 4 || parts.length > 5) {
            throw new IllegalArgumentException("topic '" + topic + "': expected " + NAMESPACE
                    + "/<group>/<type>/<edge node>[/<device>] or " + NAMESPACE + "/STATE/<host id>, got "
                    + parts.length + " levels");
        }
        MessageType type;
        try {
            type = MessageType.valueOf(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("topic '" + topic + "': unknown message type '" + parts[2] + "'");
        }
        if (type == MessageType.STATE) {
            throw new IllegalArgumentException("topic '" + topic + "': STATE topics are " + NAMESPACE + "/STATE/<host id>");
        }
        if (type.isDeviceLevel() != (parts.length == 5)) {
            throw new IllegalArgumentException("topic '" + topic + "': " + type
                    + (type.isDeviceLevel() ? " needs a device id" : " must not have a device id"));
        }
        return at(topic, () -> new SparkplugTopic(type, parts[1], parts[3], parts.length == 5 ? parts[4] : null, null));
    }

    private static SparkplugTopic at(String topic, java.util.function.Supplier<SparkplugTopic> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("topic '" + topic + "': " + e.getMessage(), e);
        }
    }

    /**
     * Checks a Sparkplug id (group, edge node, device, host): not empty, valid UTF-16 (so valid UTF-8 on the
     * wire), none of {@code + / #}, no control characters (our own rule: they break logs and tools).
     *
     * @param what which id, used in the message (e.g. "device id")
     * @throws IllegalArgumentException naming what is wrong and where
     */
    public static void requireValidId(String what, String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '+' || c == '/' || c == '#') {
                throw new IllegalArgumentException(what + " '" + id + "' contains the reserved character '" + c
                        + "' at index " + i);
            }
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException(what + " contains the control character U+"
                        + String.format("%04X", (int) c) + " at index " + i);
            }
        }
        try {
            StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(java.nio.CharBuffer.wrap(id));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " '" + id + "' is not valid Unicode (unpaired surrogate)");
        }
    }
}
