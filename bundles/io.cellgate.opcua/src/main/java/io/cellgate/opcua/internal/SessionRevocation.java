package io.cellgate.opcua.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditSink;
import io.cellgate.identity.Identity;
import io.cellgate.identity.UserAdmin;
import io.cellgate.identity.UserInfo;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the open sessions of users who were disabled or removed, or whose roles changed, since the session was
 * activated: a session keeps the identity (and roles) it logged in with, so a change must end it. Run every few
 * seconds on Milo's scheduler; the client may log in again and then gets the user's current roles (or is refused).
 */
final class SessionRevocation implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionRevocation.class);

    private final OpcUaServer server;
    private final UserAdmin users;
    private final AuditSink audit;

    SessionRevocation(OpcUaServer server, UserAdmin users, AuditSink audit) {
        this.server = server;
        this.users = users;
        this.audit = audit;
    }

    @Override
    public void run() {
        try {
            for (Session session : server.getSessionManager().getAllSessions()) {
                Optional<Identity> identity = SessionIdentities.of(session);
                if (identity.isEmpty() || identity.get() == SessionIdentities.ANONYMOUS) {
                    continue; // not activated yet, or the insecure anonymous override (no user behind it)
                }
                String reason = revocationReason(identity.get(), users.user(identity.get().name()));
                if (reason != null) {
                    close(session, identity.get(), reason);
                }
            }
        } catch (RuntimeException e) {
            // Never let the periodic task die: the next run tries again.
            LOG.warn("OPC UA session re-check failed: {}", e.toString());
        }
    }

    /** Why a session of {@code identity} must end given the user's current state, or null when it may go on. */
    static String revocationReason(Identity identity, Optional<UserInfo> now) {
        if (now.isEmpty()) {
            return "user removed";
        }
        if (!now.get().enabled()) {
            return "user disabled";
        }
        if (!now.get().roles().equals(identity.roles())) {
            return "roles changed from " + identity.roles() + " to " + now.get().roles();
        }
        return null;
    }

    private void close(Session session, Identity identity, String reason) {
        LOG.info("OPC UA session of '{}' closed: {}", identity.name(), reason);
        InetAddress address = session.getClientAddress();
        try {
            audit.record(new AuditEvent(Instant.now(), identity.name(), address == null ? null : address.getHostAddress(),
                    "opcua.session.revoke", "session:" + session.getSessionId().toParseableString(),
                    AuditEvent.Result.SUCCESS, reason, null));
        } catch (RuntimeException e) {
            LOG.error("audit sink failed: {}", e.toString());
        }
        // Closed even when the audit failed: keeping a revoked session open is the worse outcome.
        server.getSessionManager().killSession(session.getSessionId(), true);
    }
}
