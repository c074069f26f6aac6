package io.cellgate.opcua.internal;

import io.cellgate.identity.Identity;
import io.cellgate.identity.Roles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.milo.opcua.sdk.server.RoleMapper;
import org.eclipse.milo.opcua.sdk.server.Session;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/**
 * The gateway identity behind a Milo session. The identity validators attach it to Milo's identity as
 * user data at ActivateSession; every later check (browse, read, subscribe, write) reads it from there.
 */
final class SessionIdentities {

    /**
     * Sessions of the insecure anonymous override: they get the role Observer (what the access policy gives Observers),
     * never more.
     */
    static final Identity ANONYMOUS = new Identity("anonymous", Set.of(Roles.OBSERVER), Identity.Kind.APPLICATION);

    /** The OPC UA well-known roles (Part 18) that match ours; shown to clients through the session's roles. */
    private static final Map<String, NodeId> WELL_KNOWN = Map.of(
            Roles.OBSERVER, NodeIds.WellKnownRole_Observer,
            Roles.OPERATOR, NodeIds.WellKnownRole_Operator,
            Roles.ENGINEER, NodeIds.WellKnownRole_Engineer,
            Roles.SECURITY_ADMIN, NodeIds.WellKnownRole_SecurityAdmin);

    /**
     * Gives every session a (non-null) role list: Milo checks a node's UserRolePermissions, which the
     * namespace computes per session from the access policy, only for sessions that have roles.
     */
    static final RoleMapper ROLE_MAPPER = identity -> {
        List<NodeId> roles = new ArrayList<>();
        roles.add(NodeIds.WellKnownRole_AuthenticatedUser);
        Object data = identity == null ? null : identity.getUserData();
        if (data instanceof Identity id) {
            id.roles().stream().map(WELL_KNOWN::get).filter(r -> r != null).forEach(roles::add);
        }
        return roles;
    };

    private SessionIdentities() {
    }

    /** The session's identity; empty for a session without one (then nothing is allowed). */
    static Optional<Identity> of(Session session) {
        if (session == null || session.getIdentity() == null) {
            return Optional.empty();
        }
        Object data = session.getIdentity().getUserData();
        if (data instanceof Identity id) {
            return Optional.of(id);
        }
        if (session.getIdentity() instanceof org.eclipse.milo.opcua.sdk.server.identity.Identity.AnonymousIdentity) {
            return Optional.of(ANONYMOUS);
        }
        return Optional.empty();
    }
}
