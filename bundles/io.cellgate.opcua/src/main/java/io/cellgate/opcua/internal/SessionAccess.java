package io.cellgate.opcua.internal;

import io.cellgate.api.policy.AccessPolicy;
import io.cellgate.api.policy.AccessRequest;
import io.cellgate.api.policy.Action;
import io.cellgate.api.policy.Context;
import io.cellgate.api.policy.Decision;
import io.cellgate.api.policy.Resource;
import io.cellgate.api.policy.Subject;
import io.cellgate.api.tag.TagPath;
import io.cellgate.identity.Identity;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.milo.opcua.sdk.server.Session;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;

/**
 * Every OPC UA access as a question to the gateway's one {@link AccessPolicy}: the session's identity (name,
 * roles, person or application), channel {@code opcua}, the client's address, the endpoint URL and the message
 * security mode of the session. A session without an identity is denied; any failure denies (fail closed).
 */
final class SessionAccess {

    static final String CHANNEL = "opcua";

    private final AccessPolicy policy;

    SessionAccess(AccessPolicy policy) {
        this.policy = policy;
    }

    /** The decision for an access that happens now (a read served, a write let through): rate tokens are taken. */
    Decision decide(Session session, Action action, TagPath tag) {
        return ask(session, action, tag, false);
    }

    /**
     * The decision for what the session is shown (browse results, UserAccessLevel, whether an item receives
     * values): no rate token is taken, so showing a tag never uses up a write's allowance.
     */
    Decision preview(Session session, Action action, TagPath tag) {
        return ask(session, action, tag, true);
    }

    boolean shows(Session session, Action action, TagPath tag) {
        return preview(session, action, tag).allowed();
    }

    /** As {@link #shows(Session, Action, TagPath)} for a path that is not a tag's ({@code <device>/_status}). */
    boolean shows(Session session, Action action, String path) {
        return ask(session, action, path, true).allowed();
    }

    private Decision ask(Session session, Action action, TagPath tag, boolean preview) {
        return ask(session, action, tag.toString(), preview);
    }

    private Decision ask(Session session, Action action, String path, boolean preview) {
        Optional<Identity> identity = SessionIdentities.of(session);
        if (identity.isEmpty()) {
            return Decision.deny("the session has no identity", 0);
        }
        try {
            AccessRequest request = new AccessRequest(subject(identity.get()), action, Resource.tag(path),
                    context(session, null));
            return preview ? policy.preview(request) : policy.decide(request);
        } catch (RuntimeException e) {
            return Decision.deny("the access policy failed (" + e + "); denied, fail closed", 0);
        }
    }

    static Subject subject(Identity identity) {
        return new Subject(identity.name(), identity.kind() == Identity.Kind.USER ? Subject.Kind.HUMAN
                : Subject.Kind.APPLICATION, identity.roles());
    }

    /** The circumstances of the session's requests; unknown parts are null (a condition on them fails). */
    static Context context(Session session, Object value) {
        return new Context(CHANNEL, source(session), endpointUrl(session), securityMode(session), value, null);
    }

    static String source(Session session) {
        InetAddress address = session == null ? null : session.getClientAddress();
        return address == null ? null : address.getHostAddress();
    }

    static String endpointUrl(Session session) {
        EndpointDescription endpoint = session == null ? null : session.getEndpoint();
        return endpoint == null ? null : endpoint.getEndpointUrl();
    }

    /** {@code none}, {@code sign} or {@code signandencrypt}, as policy rules write it; null when unknown. */
    static String securityMode(Session session) {
        EndpointDescription endpoint = session == null ? null : session.getEndpoint();
        MessageSecurityMode mode = endpoint == null ? null : endpoint.getSecurityMode();
        if (mode == null || mode == MessageSecurityMode.Invalid) {
            return null;
        }
        return mode.name().toLowerCase(Locale.ROOT);
    }
}
