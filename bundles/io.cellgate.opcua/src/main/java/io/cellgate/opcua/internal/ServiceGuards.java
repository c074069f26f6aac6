package io.cellgate.opcua.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.policy.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.Session;
import org.eclipse.milo.opcua.sdk.server.servicesets.AttributeServiceSet;
import org.eclipse.milo.opcua.sdk.server.servicesets.MonitoredItemServiceSet;
import org.eclipse.milo.opcua.sdk.server.servicesets.impl.AccessController.AccessResult;
import org.eclipse.milo.opcua.sdk.server.servicesets.impl.DefaultAttributeServiceSet;
import org.eclipse.milo.opcua.sdk.server.servicesets.impl.DefaultMonitoredItemServiceSet;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.structured.CreateMonitoredItemsRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.CreateMonitoredItemsResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.DeleteMonitoredItemsRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.DeleteMonitoredItemsResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryUpdateRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryUpdateResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.ModifyMonitoredItemsRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.ModifyMonitoredItemsResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoredItemCreateRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoredItemCreateResult;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.SetMonitoringModeRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.SetMonitoringModeResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.SetTriggeringRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.SetTriggeringResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.WriteRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.WriteResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.WriteValue;
import org.eclipse.milo.opcua.stack.transport.server.ServiceRequestContext;

/**
 * Checks of ours in front of two of Milo's service sets, for what Milo decides before any namespace code runs:
 * <ul>
 *   <li>Write: Milo refuses a write the session's UserAccessLevel does not allow (Bad_UserAccessDenied) without
 *   calling the namespace; such refusals of tag writes are audited here like the ones the namespace decides.</li>
 *   <li>CreateMonitoredItems: Milo checks only read access; an item on a tag the session may read but not
 *   subscribe to is refused here with Bad_UserAccessDenied, so it is never created.</li>
 * </ul>
 */
final class ServiceGuards {

    private ServiceGuards() {
    }

    /** Replaces the attribute and monitored-item service sets of the session endpoint {@code path}. */
    static void install(OpcUaServer server, String path, CellNamespace namespace) {
        server.addServiceSet(path, new GuardedAttributes(server, namespace));
        server.addServiceSet(path, new GuardedMonitoredItems(server, namespace));
    }

    private static Optional<Session> session(OpcUaServer server, ServiceRequestContext context,
            org.eclipse.milo.opcua.stack.core.types.structured.RequestHeader header) {
        try {
            return Optional.of(server.getSessionManager().getSession(context, header));
        } catch (UaException e) {
            return Optional.empty(); // Milo's own service set answers with the session error
        }
    }

    private static final class GuardedAttributes implements AttributeServiceSet {
        private final OpcUaServer server;
        private final CellNamespace namespace;
        private final AttributeServiceSet milo;

        GuardedAttributes(OpcUaServer server, CellNamespace namespace) {
            this.server = server;
            this.namespace = namespace;
            this.milo = new DefaultAttributeServiceSet(server);
        }

        @Override
        public ReadResponse onRead(ServiceRequestContext context, ReadRequest request) throws UaException {
            return milo.onRead(context, request);
        }

        @Override
        public HistoryReadResponse onHistoryRead(ServiceRequestContext context, HistoryReadRequest request)
                throws UaException {
            return milo.onHistoryRead(context, request);
        }

        @Override
        public HistoryUpdateResponse onHistoryUpdate(ServiceRequestContext context, HistoryUpdateRequest request)
                throws UaException {
            return milo.onHistoryUpdate(context, request);
        }

        @Override
        public WriteResponse onWrite(ServiceRequestContext context, WriteRequest request) throws UaException {
            Optional<Session> session = session(server, context, request.getRequestHeader());
            WriteValue[] values = request.getNodesToWrite();
            if (session.isEmpty() || values == null || values.length == 0) {
                return milo.onWrite(context, request);
            }
            // The same check Milo makes next: what it refuses here never reaches the namespace's audit.
            List<WriteValue> tagWrites = new ArrayList<>();
            for (WriteValue v : values) {
                if (namespace.tagOf(v.getNodeId()).isPresent()) {
                    tagWrites.add(v);
                }
            }
            Map<WriteValue, AccessResult> access = tagWrites.isEmpty() ? Map.of()
                    : server.getAccessController().checkWriteAccess(session.get(), tagWrites);
            WriteResponse response = milo.onWrite(context, request);
            StatusCode[] results = response.getResults();
            for (int i = 0; i < values.length && results != null && i < results.length; i++) {
                AccessResult decided = access.get(values[i]);
                if (decided != null && decided.isDenied() && results[i].isBad()) {
                    TagPath tag = namespace.tagOf(values[i].getNodeId()).orElseThrow();
                    Decision policy = namespace.preview(session.get(), io.cellgate.api.policy.Action.WRITE, tag);
                    namespace.audit(session.get(), tag, AuditEvent.Result.DENIED,
                            reason(tag, values[i], results[i], policy), policy.allowed() ? null : policy.ruleId());
                }
            }
            return response;
        }

        private String reason(TagPath tag, WriteValue value, StatusCode result, Decision policy) {
            String status = StatusCodes.lookup(result.getValue()).map(s -> s[0]).orElse(result.toString());
            if (!org.eclipse.milo.opcua.stack.core.AttributeId.Value.isEqual(value.getAttributeId())) {
                return "refused before the write path (" + status + "): attribute is not writable";
            }
            if (!namespace.writable(tag)) {
                return "refused before the write path (" + status + "): tag is read-only";
            }
            return "refused before the write path (" + status + "): "
                    + (policy.allowed() ? "access level" : policy.explain());
        }
    }

    private static final class GuardedMonitoredItems implements MonitoredItemServiceSet {
        private final OpcUaServer server;
        private final CellNamespace namespace;
        private final MonitoredItemServiceSet milo;

        GuardedMonitoredItems(OpcUaServer server, CellNamespace namespace) {
            this.server = server;
            this.namespace = namespace;
            this.milo = new DefaultMonitoredItemServiceSet(server);
        }

        @Override
        public CreateMonitoredItemsResponse onCreateMonitoredItems(ServiceRequestContext context,
                CreateMonitoredItemsRequest request) throws UaException {
            Optional<Session> session = session(server, context, request.getRequestHeader());
            MonitoredItemCreateRequest[] items = request.getItemsToCreate();
            if (session.isEmpty() || items == null || items.length == 0
                    || session.get().getSubscriptionManager().getSubscription(request.getSubscriptionId()) == null) {
                return milo.onCreateMonitoredItems(context, request);
            }
            boolean[] refused = new boolean[items.length];
            List<MonitoredItemCreateRequest> allowed = new ArrayList<>();
            for (int i = 0; i < items.length; i++) {
                Optional<TagPath> tag = namespace.tagOf(items[i].getItemToMonitor().getNodeId());
                refused[i] = tag.isPresent()
                        && !namespace.allows(session.get(), io.cellgate.api.policy.Action.SUBSCRIBE, tag.get());
                if (!refused[i]) {
                    allowed.add(items[i]);
                }
            }
            if (allowed.size() == items.length) {
                return milo.onCreateMonitoredItems(context, request);
            }
            MonitoredItemCreateResult[] created = new MonitoredItemCreateResult[0];
            CreateMonitoredItemsResponse response = null;
            if (!allowed.isEmpty()) {
                response = milo.onCreateMonitoredItems(context, new CreateMonitoredItemsRequest(
                        request.getRequestHeader(), request.getSubscriptionId(), request.getTimestampsToReturn(),
                        allowed.toArray(new MonitoredItemCreateRequest[0])));
                created = response.getResults();
            }
            MonitoredItemCreateResult denied = new MonitoredItemCreateResult(
                    new StatusCode(StatusCodes.Bad_UserAccessDenied), org.eclipse.milo.opcua.stack.core.types.builtin
                    .unsigned.UInteger.MIN, 0.0, org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger.MIN,
                    null);
            MonitoredItemCreateResult[] results = new MonitoredItemCreateResult[items.length];
            for (int i = 0, j = 0; i < items.length; i++) {
                results[i] = refused[i] ? denied : created[j++];
            }
            var header = response != null ? response.getResponseHeader()
                    : new org.eclipse.milo.opcua.stack.core.types.structured.ResponseHeader(
                            org.eclipse.milo.opcua.stack.core.types.builtin.DateTime.now(),
                            request.getRequestHeader().getRequestHandle(), StatusCode.GOOD, null, null, null);
            return new CreateMonitoredItemsResponse(header, results, new org.eclipse.milo.opcua.stack.core.types
                    .builtin.DiagnosticInfo[0]);
        }

        @Override
        public ModifyMonitoredItemsResponse onModifyMonitoredItems(ServiceRequestContext context,
                ModifyMonitoredItemsRequest request) throws UaException {
            return milo.onModifyMonitoredItems(context, request);
        }

        @Override
        public DeleteMonitoredItemsResponse onDeleteMonitoredItems(ServiceRequestContext context,
                DeleteMonitoredItemsRequest request) throws UaException {
            return milo.onDeleteMonitoredItems(context, request);
        }

        @Override
        public SetMonitoringModeResponse onSetMonitoringMode(ServiceRequestContext context,
                SetMonitoringModeRequest request) throws UaException {
            return milo.onSetMonitoringMode(context, request);
        }

        @Override
        public SetTriggeringResponse onSetTriggering(ServiceRequestContext context, SetTriggeringRequest request)
                throws UaException {
            return milo.onSetTriggering(context, request);
        }
    }
}
