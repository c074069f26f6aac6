package io.cellgate.opcua.internal;

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
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
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
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.structured.EUInformation;
import org.eclipse.milo.opcua.stack.core.types.structured.Range;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cell as an address space: {@code Objects/<cell>/<device>/<tag>}, built from the tag bus catalogue.
 * Reads are served from the node's last value (set from the bus, never a device request); Milo's
 * {@link SubscriptionModel} samples the nodes for monitored items, honouring sampling intervals and
 * deadband filters. Writes go through the {@link WriteService} with the session's identity.
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
    private final Executor catalogExecutor;
    private final SubscriptionModel subscriptionModel;
    private final Map<TagPath, UaVariableNode> variables = new ConcurrentHashMap<>();
    private final Map<String, DeviceNodes> devices = new ConcurrentHashMap<>();
    private UaFolderNode cellFolder;
    private Subscription subscription;

    CellNamespace(OpcUaServer server, String cellId, TagBus bus, WriteService writes) {
        super(server, NAMESPACE_URI);
        this.cellId = cellId;
        this.bus = bus;
        this.writes = writes;
        this.catalogExecutor = server.getConfig().getExecutor();
        this.subscriptionModel = new SubscriptionModel(server, this);
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
                    node.setValue(ValueMapping.toDataValue(tag, value));
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
            getNodeManager().addNode(folder);
            cellFolder.addOrganizes(folder);
            UaObjectNode status = UaObjectNode.builder(getNodeContext())
                    .setNodeId(newNodeId(id + "/" + STATUS))
                    .setBrowseName(newQualifiedName(STATUS))
                    .setDisplayName(LocalizedText.english(STATUS))
                    .setDescription(LocalizedText.english("Communication state of device " + device))
                    .setTypeDefinition(NodeIds.BaseObjectType)
                    .build();
            getNodeManager().addNode(status);
            folder.addComponent(status);
            var nodes = new DeviceNodes(folder,
                    statusVariable(status, id, "State", NodeIds.String, "connected, failing, disabled or starting"),
                    statusVariable(status, id, "LastError", NodeIds.String, "Last communication error, empty if none"),
                    statusVariable(status, id, "LastGoodRead", NodeIds.DateTime, "When a poll last succeeded"));
            return nodes;
        });
    }

    private UaVariableNode statusVariable(UaObjectNode status, String id, String name, NodeId type, String description) {
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
                .setMinimumSamplingInterval((double) tag.pollIntervalMillis());
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
            node.getFilterChain().addLast(new WriteThroughFilter(tag));
        }
        getNodeManager().addNode(node);
        deviceFolder.addOrganizes(node);
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
            Object raw = ((DataValue) value).value().value();
            Object converted;
            try {
                converted = ValueMapping.fromUa(tag, raw);
            } catch (IllegalArgumentException e) {
                throw new UaException(StatusCodes.Bad_TypeMismatch, e.getMessage());
            }
            WriteResult result = writes.write(new WriteRequest(identity(session), CHANNEL, source(session),
                    tag.path(), converted));
            switch (result.status()) {
                case OK -> {
                    if (result.readBack() != null) {
                        ctx.setAttribute(AttributeId.Value, ValueMapping.toDataValue(tag, result.readBack()));
                    }
                }
                case DENIED -> throw new UaException(StatusCodes.Bad_UserAccessDenied, result.message());
                case INVALID -> throw new UaException(StatusCodes.Bad_OutOfRange, result.message());
                case UNKNOWN_TAG -> throw new UaException(StatusCodes.Bad_NodeIdUnknown, result.message());
                case FAILED -> throw new UaException(StatusCodes.Bad_DeviceFailure, result.message());
            }
        }
    }

    static String identity(Session session) {
        Identity identity = session.getIdentity();
        if (identity instanceof Identity.UsernameIdentity u) {
            return u.getUsername();
        }
        if (identity instanceof Identity.X509UserIdentity x) {
            return x.getCertificate().getSubjectX500Principal().getName();
        }
        return "anonymous";
    }

    private static String source(Session session) {
        InetAddress address = session.getClientAddress();
        return address == null ? null : address.getHostAddress();
    }

    @Override
    public void onDataItemsCreated(List<DataItem> items) {
        subscriptionModel.onDataItemsCreated(items);
    }

    @Override
    public void onDataItemsModified(List<DataItem> items) {
        subscriptionModel.onDataItemsModified(items);
    }

    @Override
    public void onDataItemsDeleted(List<DataItem> items) {
        subscriptionModel.onDataItemsDeleted(items);
    }

    @Override
    public void onMonitoringModeChanged(List<MonitoredItem> items) {
        subscriptionModel.onMonitoringModeChanged(items);
    }
}
