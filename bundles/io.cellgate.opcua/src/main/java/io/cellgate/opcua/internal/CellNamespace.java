package io.cellgate.opcua.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.bus.Subscription;
import io.cellgate.api.bus.TagBus;
import io.cellgate.api.bus.TagListener;
import io.cellgate.api.tag.QualityReason;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.api.write.WriteRequest;
import io.cellgate.api.write.WriteResult;
import io.cellgate.api.write.WriteService;
import io.cellgate.api.policy.Action;
import io.cellgate.api.policy.Decision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.Lifecycle;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.Session;
import org.eclipse.milo.opcua.sdk.server.identity.Identity;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.model.variables.AnalogItemType;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaObjectNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.nodes.filters.AttributeFilter;
import org.eclipse.milo.opcua.sdk.server.nodes.filters.AttributeFilterContext;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.structured.EUInformation;
import org.eclipse.milo.opcua.stack.core.types.structured.PermissionType;
import org.eclipse.milo.opcua.stack.core.types.structured.Range;
import org.eclipse.milo.opcua.stack.core.types.structured.RolePermissionType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cell as an address space: {@code Objects/<cell>/<device>/<tag>}, built from the tag bus catalogue.
 * Reads are served from the node's last value (set from the bus, never a device request). Monitored items
 * of tag values are fed by the bus as changes arrive ({@link PushedItems}: the revised sampling interval
 * spaces them, Milo's item applies the deadband filter); other items (status variables, index ranges) are
 * sampled by Milo's {@link SubscriptionModel}. Writes go through the {@link WriteService} with the session's identity.
 *
 * <p>Every permission is a question to the gateway's access policy ({@link SessionAccess}), per session identity,
 * endpoint and security mode, on every request (a changed policy applies at once): tags and devices a session
 * may not browse are left out of browse results (their
 * UserRolePermissions have no Browse bit); UserAccessLevel shows CurrentRead/CurrentWrite only when the
 * identity may read/write, so Milo refuses Read, CreateMonitoredItems and Write with Bad_UserAccessDenied
 * before any of our code runs ({@link ServiceGuards} audits refused writes and refuses monitored items without
 * the subscribe permission); a value delivered or read without permission is Bad_UserAccessDenied.
 */
final class CellNamespace extends ManagedNamespaceWithLifecycle {

    static final String NAMESPACE_URI = "urn:cellgate:cell";
    static final String CHANNEL = "opcua";
    /** Browse name of each device's status object; a leading underscore keeps it apart from tag names. */
    static final String STATUS = "_status";
    private static final Logger LOG = LoggerFactory.getLogger(CellNamespace.class);

    private final String cellId;
    private final TagBus bus;
    private final WriteService writes;
    private final SessionAccess access;
    /** What the decisions depend on besides the request: a change means pushed items are decided again. */
    private final java.util.function.Supplier<Object> permissionEpoch;
    private final AuditSink audit;
    private final Executor catalogExecutor;
    private final SubscriptionModel subscriptionModel;
    private final Map<TagPath, UaVariableNode> variables = new ConcurrentHashMap<>();
    private final Map<String, DeviceNodes> devices = new ConcurrentHashMap<>();
    private final Map<NodeId, TagPath> tagsByNode = new ConcurrentHashMap<>();
    /** Monitored items refused for want of the subscribe permission: never sampled. */
    private final Set<DataItem> refusedItems = ConcurrentHashMap.newKeySet();
    /** Monitored items of tag values: fed by the tag bus as changes arrive. */
    private final PushedItems pushed;
    private UaFolderNode cellFolder;
    private Subscription subscription;
    /** Counts a write the policy refused (health). */
    private final Runnable denied;

    CellNamespace(OpcUaServer server, String cellId, TagBus bus, WriteService writes, SessionAccess access,
            java.util.function.Supplier<Object> permissionEpoch, AuditSink audit, Runnable denied) {
        super(server, NAMESPACE_URI);
        this.denied = denied;
        this.cellId = cellId;
        this.bus = bus;
        this.writes = writes;
        this.access = access;
        this.permissionEpoch = permissionEpoch;
        this.audit = audit;
        this.catalogExecutor = server.getConfig().getExecutor();
        this.subscriptionModel = new SubscriptionModel(server, this);
        // A session's identity is fixed (sessions of changed users are closed), so the decision only changes with the
        // policy or with time (windows): the epoch covers both.
        this.pushed = new PushedItems(server.getScheduledExecutorService(), this::mayReceive, permissionEpoch, DENIED);
        getLifecycleManager().addLifecycle(subscriptionModel);
        getLifecycleManager().addLifecycle(new Lifecycle() {
            @Override
            public void startup() {
                build();
            }

            @Override
            public void shutdown() {
                if (subscription != null) {
                    subscription.close();
                }
                pushed.clear();
            }
        });
    }

    /** The NodeId of a tag's variable. */
    NodeId nodeId(TagPath path) {
        return newNodeId(cellId + "/" + path);
    }

    private void build() {
        cellFolder = new UaFolderNode(getNodeContext(), newNodeId(cellId), newQualifiedName(cellId),
                LocalizedText.english(cellId));
        getNodeManager().addNode(cellFolder);
        cellFolder.addReference(new Reference(cellFolder.getNodeId(), NodeIds.Organizes,
                NodeIds.ObjectsFolder.expanded(), false));
        // Subscribe first, then read the picture: a change between the two is applied twice, never lost.
        subscription = bus.subscribe(new TagListener() {
            @Override
            public void onValue(TagInfo tag, TagValue value) {
                UaVariableNode node = variables.get(tag.path());
                if (node != null) {
                    DataValue dv = ValueMapping.toDataValue(tag, value);
                    // The node keeps the last value for reads; monitored items get the change now.
                    node.setValue(dv);
                    pushed.publish(node.getNodeId(), dv);
                }
            }

            @Override
            public void onCatalogChanged(String deviceId) {
                catalogExecutor.execute(() -> rebuildDevice(deviceId));
            }

            @Override
            public void onDeviceState(DeviceState state) {
                // Re-read on the executor: tasks may run out of order, the bus always has the latest state.
                catalogExecutor.execute(() -> refreshDeviceState(state.deviceId()));
            }
        });
        for (DeviceState state : bus.devices()) {
            refreshDeviceState(state.deviceId());
        }
        for (TagInfo tag : bus.tags()) {
            addTag(tag);
        }
    }

    /** A device's folder and its {@code _status} object (State, LastError, LastGoodRead). */
    private record DeviceNodes(UaFolderNode folder, UaVariableNode state, UaVariableNode lastError,
            UaVariableNode lastGoodRead) {
    }

    private synchronized DeviceNodes device(String deviceId) {
        return devices.computeIfAbsent(deviceId, device -> {
            String id = cellId + "/" + device;
            var folder = new UaFolderNode(getNodeContext(), newNodeId(id), newQualifiedName(device),
                    LocalizedText.english(device));
            folder.getFilterChain().addLast(new DeviceFilter(device, false));
            getNodeManager().addNode(folder);
            cellFolder.addOrganizes(folder);
            UaObjectNode status = UaObjectNode.builder(getNodeContext())
                    .setNodeId(newNodeId(id + "/" + STATUS))
                    .setBrowseName(newQualifiedName(STATUS))
                    .setDisplayName(LocalizedText.english(STATUS))
                    .setDescription(LocalizedText.english("Communication state of device " + device))
                    .setTypeDefinition(NodeIds.BaseObjectType)
                    .build();
            status.getFilterChain().addLast(new DeviceFilter(device, false));
            getNodeManager().addNode(status);
            folder.addComponent(status);
            var nodes = new DeviceNodes(folder,
                    statusVariable(status, device, id, "State", NodeIds.String, "connected, failing, disabled or starting"),
                    statusVariable(status, device, id, "LastError", NodeIds.String, "Last communication error, empty if none"),
                    statusVariable(status, device, id, "LastGoodRead", NodeIds.DateTime, "When a poll last succeeded"));
            return nodes;
        });
    }

    private UaVariableNode statusVariable(UaObjectNode status, String device, String id, String name, NodeId type,
            String description) {
        var access = AccessLevel.toValue(AccessLevel.READ_ONLY);
        UaVariableNode node = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                .setNodeId(newNodeId(id + "/" + STATUS + "/" + name))
                .setBrowseName(newQualifiedName(name))
                .setDisplayName(LocalizedText.english(name))
                .setDescription(LocalizedText.english(description))
                .setDataType(type)
                .setTypeDefinition(NodeIds.BaseDataVariableType)
                .setAccessLevel(access)
                .setUserAccessLevel(access)
                .build();
        node.setValue(new DataValue(Variant.NULL_VALUE, new StatusCode(StatusCodes.Bad_WaitingForInitialData),
                null, DateTime.now()));
        node.getFilterChain().addLast(new DeviceFilter(device, true));
        getNodeManager().addNode(node);
        status.addComponent(node);
        return node;
    }

    private synchronized void refreshDeviceState(String deviceId) {
        Optional<DeviceState> current = bus.device(deviceId);
        if (current.isEmpty()) {
            return;
        }
        DeviceState state = current.get();
        DeviceNodes nodes = device(deviceId);
        DateTime now = DateTime.now();
        nodes.state().setValue(new DataValue(new Variant(state.status().name().toLowerCase(Locale.ROOT)),
                StatusCode.GOOD, now, now));
        nodes.lastError().setValue(new DataValue(new Variant(state.lastError() == null ? "" : state.lastError()),
                StatusCode.GOOD, now, now));
        nodes.lastGoodRead().setValue(new DataValue(
                state.lastGoodRead() == null ? Variant.NULL_VALUE : new Variant(new DateTime(state.lastGoodRead())),
                StatusCode.GOOD, now, now));
    }

    private synchronized void rebuildDevice(String deviceId) {
        variables.keySet().removeIf(path -> {
            if (path.device().equals(deviceId)) {
                tagsByNode.remove(nodeId(path));
                getNodeManager().removeNode(nodeId(path)).ifPresent(UaNode::delete);
                return true;
            }
            return false;
        });
        bus.tags().stream().filter(t -> t.path().device().equals(deviceId)).forEach(this::addTag);
        if (bus.device(deviceId).isEmpty() && variables.keySet().stream().noneMatch(p -> p.device().equals(deviceId))) {
            DeviceNodes nodes = devices.remove(deviceId);
            if (nodes != null) {
                // Deletes the _status object and its variables too (HasComponent children).
                nodes.folder().delete();
            }
        } else {
            refreshDeviceState(deviceId);
        }
    }

    private synchronized void addTag(TagInfo tag) {
        UaFolderNode deviceFolder = device(tag.path().device()).folder();
        var access = AccessLevel.toValue(tag.writable() ? AccessLevel.READ_WRITE : AccessLevel.READ_ONLY);
        var builder = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                .setNodeId(nodeId(tag.path()))
                .setBrowseName(newQualifiedName(tag.path().tag()))
                .setDisplayName(LocalizedText.english(tag.path().tag()))
                .setDataType(ValueMapping.dataType(tag))
                .setTypeDefinition(NodeIds.BaseDataVariableType)
                .setAccessLevel(access)
                .setUserAccessLevel(access)
                .setMinimumSamplingInterval((double) minimumSamplingInterval(tag.pollIntervalMillis()));
        if (tag.description() != null) {
            builder.setDescription(LocalizedText.english(tag.description()));
        }
        UaVariableNode node = builder.build();
        if (tag.unit() != null) {
            node.setEngineeringUnits(new EUInformation(null, -1, LocalizedText.english(tag.unit()),
                    LocalizedText.english(tag.unit())));
        }
        if (tag.min() != null && tag.max() != null) {
            node.setProperty(AnalogItemType.EU_RANGE, new Range(tag.min(), tag.max()));
        }
        TagValue value = bus.value(tag.path()).orElse(
                TagValue.bad(QualityReason.WAITING_FOR_INITIAL_DATA, null, Instant.now()));
        node.setValue(ValueMapping.toDataValue(tag, value));
        if (tag.writable()) {
            // First: a write ends here (it goes to the write service); reads pass on to the access filter.
            node.getFilterChain().addLast(new WriteThroughFilter(tag));
        }
        node.getFilterChain().addLast(new TagAccessFilter(tag.path()));
        getNodeManager().addNode(node);
        deviceFolder.addOrganizes(node);
        tagsByNode.put(node.getNodeId(), tag.path());
        variables.put(tag.path(), node);
    }

    /** A client's write of the Value attribute goes to the write service; the node shows the value read back. */
    private final class WriteThroughFilter implements AttributeFilter {
        private final TagInfo tag;

        WriteThroughFilter(TagInfo tag) {
            this.tag = tag;
        }

        @Override
        public void writeAttribute(AttributeFilterContext ctx, AttributeId attributeId, Object value)
                throws UaException {
            if (attributeId != AttributeId.Value) {
                throw new UaException(StatusCodes.Bad_NotWritable);
            }
            Session session = ctx.getSession().orElseThrow(() -> new UaException(StatusCodes.Bad_UserAccessDenied));
            // Milo has already refused writes the UserAccessLevel does not allow; asked again here (the policy may
            // have changed in between) to name the deciding rule in the audit. A preview: the write service's own
            // decision below is the one that takes a rate-limit token.
            var identity = SessionIdentities.of(session);
            String who = identity.map(io.cellgate.identity.Identity::name).orElse("unknown");
            Decision decision = access.preview(session, Action.WRITE, tag.path());
            if (!decision.allowed()) {
                audit(who, session, tag.path(), AuditEvent.Result.DENIED, decision.explain(), decision.ruleId());
                throw new UaException(StatusCodes.Bad_UserAccessDenied);
            }
            if (!audit(who, session, tag.path(), AuditEvent.Result.SUCCESS, decision.explain(), decision.ruleId())) {
                // Fail closed: a write whose permission cannot be recorded does not happen.
                LOG.error("OPC UA write of {} by '{}' refused: the audit sink could not record it", tag.path(), who);
                throw new UaException(StatusCodes.Bad_UserAccessDenied);
            }
            Object raw = ((DataValue) value).value().value();
            Object converted;
            try {
                converted = ValueMapping.fromUa(tag, raw);
            } catch (IllegalArgumentException e) {
                throw new UaException(StatusCodes.Bad_TypeMismatch, e.getMessage());
            }
            WriteResult result = writes.write(new WriteRequest(who, CHANNEL, SessionAccess.source(session),
                    tag.path(), converted, SessionAccess.endpointUrl(session), SessionAccess.securityMode(session)));
            switch (result.status()) {
                case OK -> {
                    if (result.readBack() != null) {
                        ctx.setAttribute(AttributeId.Value, ValueMapping.toDataValue(tag, result.readBack()));
                    }
                }
                case DENIED -> {
                    // The write service's decision (e.g. a rate limit spent meanwhile) differs from the preview.
                    audit(who, session, tag.path(), AuditEvent.Result.DENIED, result.message(), null);
                    throw new UaException(StatusCodes.Bad_UserAccessDenied, result.message());
                }
                case INVALID -> throw new UaException(StatusCodes.Bad_OutOfRange, result.message());
                case UNKNOWN_TAG -> throw new UaException(StatusCodes.Bad_NodeIdUnknown, result.message());
                case FAILED -> throw new UaException(StatusCodes.Bad_DeviceFailure, result.message());
            }
        }
    }

    private boolean audit(String who, Session session, TagPath path, AuditEvent.Result result, String reason,
            String rule) {
        if (result == AuditEvent.Result.DENIED) {
            denied.run();
        }
        try {
            return audit.record(new AuditEvent(Instant.now(), who, SessionAccess.source(session), "opcua.write", path.toString(), result,
                    reason, rule));
        } catch (RuntimeException e) {
            LOG.error("audit sink failed: {}", e.toString());
            return false;
        }
    }

    /** The tag behind a variable node of this namespace. */
    Optional<TagPath> tagOf(NodeId node) {
        return Optional.ofNullable(tagsByNode.get(node));
    }

    /** Whether the tag may be written at all (its profile). */
    boolean writable(TagPath tag) {
        return bus.info(tag).map(TagInfo::writable).orElse(false);
    }

    /** Records a decision about a write of {@code tag} by the session's identity. */
    void audit(Session session, TagPath tag, AuditEvent.Result result, String reason, String rule) {
        String who = SessionIdentities.of(session).map(io.cellgate.identity.Identity::name).orElse("unknown");
        audit(who, session, tag, result, reason, rule);
    }

    /** What the policy says about {@code action} on {@code tag} for the session, without taking a rate token. */
    Decision preview(Session session, Action action, TagPath tag) {
        return access.preview(session, action, tag);
    }

    /** Whether the session is shown {@code action} on {@code tag} (a preview: no rate token is taken). */
    boolean allows(Session session, Action action, TagPath tag) {
        return access.shows(session, action, tag);
    }

    /**
     * Whether the session may {@code action} {@code <device>/_status} or some tag of {@code device}: the device's
     * folder and {@code _status} go with its tags, and a rule on {@code *}{@code /*} shows every device, also one
     * without tags (a disabled device).
     */
    private boolean allowsDevice(Session session, Action action, String device) {
        if (SessionIdentities.of(session).isEmpty()) {
            return false;
        }
        if (access.shows(session, action, device + "/" + STATUS)) {
            return true;
        }
        for (TagPath tag : variables.keySet()) {
            if (tag.device().equals(device) && access.shows(session, action, tag)) {
                return true;
            }
        }
        return false;
    }

    private static final RolePermissionType[] NO_ROLE_PERMISSIONS = new RolePermissionType[0];

    /** What Milo checks for Browse: one entry with the Browse bit, or none. */
    private static RolePermissionType[] browse(boolean allowed) {
        return allowed ? new RolePermissionType[] {new RolePermissionType(NodeIds.WellKnownRole_AuthenticatedUser,
                PermissionType.of(PermissionType.Field.Browse, PermissionType.Field.Read))} : NO_ROLE_PERMISSIONS;
    }

    private static UByte userAccessLevel(Object base, boolean read, boolean write) {
        Set<AccessLevel> levels = base instanceof UByte b ? AccessLevel.fromValue(b) : Set.of();
        java.util.EnumSet<AccessLevel> result = java.util.EnumSet.noneOf(AccessLevel.class);
        if (read && levels.contains(AccessLevel.CurrentRead)) {
            result.add(AccessLevel.CurrentRead);
        }
        if (write && levels.contains(AccessLevel.CurrentWrite)) {
            result.add(AccessLevel.CurrentWrite);
        }
        return AccessLevel.toValue(result);
    }

    private static final DataValue DENIED = new DataValue(new StatusCode(StatusCodes.Bad_UserAccessDenied));

    /** Per-session view of a tag variable: browse, UserAccessLevel (read, write), and the value itself. */
    private final class TagAccessFilter implements AttributeFilter {
        private final TagPath path;

        TagAccessFilter(TagPath path) {
            this.path = path;
        }

        @Override
        public Object getAttribute(AttributeFilterContext ctx, AttributeId attributeId) {
            Session session = ctx.getSession().orElse(null);
            if (session == null) {
                return ctx.getAttribute(attributeId); // internal: the server itself
            }
            return switch (attributeId) {
                case UserRolePermissions -> browse(allows(session, Action.BROWSE, path));
                case UserAccessLevel -> userAccessLevel(ctx.getAttribute(attributeId),
                        allows(session, Action.READ, path), allows(session, Action.WRITE, path));
                // The value is served: a real decision (a read rule's rate limit counts it).
                case Value -> access.decide(session, Action.READ, path).allowed() ? ctx.getAttribute(attributeId)
                        : DENIED;
                default -> ctx.getAttribute(attributeId);
            };
        }
    }

    /** A device folder, its _status object and status variables: visible/readable when a rule names the device. */
    private final class DeviceFilter implements AttributeFilter {
        private final String device;
        private final boolean variable;

        DeviceFilter(String device, boolean variable) {
            this.device = device;
            this.variable = variable;
        }

        @Override
        public Object getAttribute(AttributeFilterContext ctx, AttributeId attributeId) {
            Session session = ctx.getSession().orElse(null);
            if (session == null) {
                return ctx.getAttribute(attributeId);
            }
            if (attributeId == AttributeId.UserRolePermissions) {
                return browse(allowsDevice(session, Action.BROWSE, device));
            }
            if (variable && attributeId == AttributeId.UserAccessLevel) {
                return userAccessLevel(ctx.getAttribute(attributeId), allowsDevice(session, Action.READ, device),
                        false);
            }
            if (variable && attributeId == AttributeId.Value) {
                return allowsDevice(session, Action.READ, device) ? ctx.getAttribute(attributeId) : DENIED;
            }
            return ctx.getAttribute(attributeId);
        }
    }

    @Override
    public void onDataItemsCreated(List<DataItem> items) {
        List<DataItem> sampled = new ArrayList<>();
        for (DataItem item : items) {
            TagPath tag = tagsByNode.get(item.getReadValueId().getNodeId());
            if (tag != null && !allows(item.getSession(), Action.SUBSCRIBE, tag)) {
                // Refused at creation by ServiceGuards; this catches a policy changed in between: the item
                // exists but only ever says no.
                refusedItems.add(item);
                item.setValue(DENIED);
            } else if (tag != null && isPlainValue(item)) {
                pushed.add(item, () -> currentValue(item));
            } else {
                sampled.add(item);
            }
        }
        subscriptionModel.onDataItemsCreated(sampled);
    }

    @Override
    public void onDataItemsModified(List<DataItem> items) {
        items.stream().filter(pushed::contains).forEach(i -> pushed.refresh(i, currentValue(i)));
        subscriptionModel.onDataItemsModified(items.stream().filter(this::isSampled).toList());
    }

    @Override
    public void onDataItemsDeleted(List<DataItem> items) {
        List<DataItem> sampled = new ArrayList<>();
        for (DataItem item : items) {
            if (pushed.contains(item)) {
                pushed.remove(item);
            } else if (!refusedItems.remove(item)) {
                sampled.add(item);
            }
        }
        subscriptionModel.onDataItemsDeleted(sampled);
    }

    @Override
    public void onMonitoringModeChanged(List<MonitoredItem> items) {
        List<MonitoredItem> sampled = new ArrayList<>();
        for (MonitoredItem item : items) {
            if (item instanceof DataItem d && pushed.contains(d)) {
                pushed.refresh(d, currentValue(d));
            } else if (!(item instanceof DataItem d && refusedItems.contains(d))) {
                sampled.add(item);
            }
        }
        subscriptionModel.onMonitoringModeChanged(sampled);
    }

    private boolean isSampled(DataItem item) {
        return !refusedItems.contains(item) && !pushed.contains(item);
    }

    /** The Value attribute as a whole (no index range, default encoding): what the tag bus pushes. */
    private static boolean isPlainValue(DataItem item) {
        var rv = item.getReadValueId();
        return AttributeId.Value.isEqual(rv.getAttributeId())
                && (rv.getIndexRange() == null || rv.getIndexRange().isEmpty())
                && (rv.getDataEncoding() == null || rv.getDataEncoding().isNull());
    }

    /** The node's last value (from the tag bus), or null when the node is gone. */
    private DataValue currentValue(DataItem item) {
        TagPath tag = tagsByNode.get(item.getReadValueId().getNodeId());
        UaVariableNode node = tag == null ? null : variables.get(tag);
        return node == null ? null : node.getValue();
    }

    /** Whether the item's session may receive the tag's values: read and subscribe permission. */
    private boolean mayReceive(DataItem item) {
        TagPath tag = tagsByNode.get(item.getReadValueId().getNodeId());
        Session session = item.getSession();
        return tag != null && allows(session, Action.READ, tag) && allows(session, Action.SUBSCRIBE, tag);
    }

    /** Monitored items fed by the tag bus (for tests and diagnostics). */
    int pushedItemCount() {
        return pushed.size();
    }

    /**
     * The smallest sampling interval granted. Tag values are pushed, so the interval only spaces the values
     * handed to an item (a change arrives at once unless the previous one was handed over less than an
     * interval ago); sampled items (status variables, index ranges) read memory. Bounded below at 50 ms so
     * that a client cannot make the server spin.
     */
    static long minimumSamplingInterval(long pollIntervalMillis) {
        return Math.max(50, Math.min(pollIntervalMillis, pollIntervalMillis / 4));
    }
}
