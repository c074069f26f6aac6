package io.cellgate.policy.internal;

import io.cellgate.api.policy.AccessPolicy;
import io.cellgate.api.policy.AccessRequest;
import io.cellgate.api.policy.Action;
import io.cellgate.api.policy.Context;
import io.cellgate.api.policy.Resource;
import io.cellgate.api.policy.Subject;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.write.WriteAccessCheck;
import io.cellgate.api.write.WriteRequest;
import io.cellgate.identity.Identity;
import io.cellgate.identity.UserAdmin;
import io.cellgate.identity.UserInfo;
import java.util.Optional;
import java.util.function.Function;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The write service's access check: every write is a {@link Action#WRITE} decision of the access policy, for
 * the known, enabled identity behind the request (an unknown or disabled one is denied). Ranked above the
 * identity bundle's table check (-10), so it is the one the write service uses while it is registered.
 */
@Component(service = WriteAccessCheck.class, property = "service.ranking:Integer=" + PolicyWriteCheck.RANKING)
public final class PolicyWriteCheck implements WriteAccessCheck {

    static final int RANKING = 100;

    private final AccessPolicy policy;
    private final Function<String, Optional<UserInfo>> users;

    @Activate
    public PolicyWriteCheck(@Reference(name = "policy") AccessPolicy policy,
            @Reference(name = "users") UserAdmin users) {
        this(policy, users::user);
    }

    PolicyWriteCheck(AccessPolicy policy, Function<String, Optional<UserInfo>> users) {
        this.policy = policy;
        this.users = users;
    }

    @Override
    public Decision check(WriteRequest request, TagInfo tag) {
        try {
            Optional<UserInfo> user = users.apply(request.identity());
            if (user.isEmpty() || !user.get().enabled()) {
                return new Decision(false, null, "identity '" + request.identity() + "' is not an enabled user");
            }
            UserInfo u = user.get();
            Subject subject = new Subject(u.name(),
                    u.kind() == Identity.Kind.USER ? Subject.Kind.HUMAN : Subject.Kind.APPLICATION, u.roles());
            Resource resource = tag == null ? Resource.tag(request.path().toString())
                    : Resource.tag(tag.path().toString(), tag.writable(), tag.min(), tag.max());
            Context context = new Context(request.channel(), request.source(), request.endpoint(),
                    request.securityMode(), request.value(), null);
            io.cellgate.api.policy.Decision d = policy.decide(new AccessRequest(subject, Action.WRITE, resource,
                    context));
            return new Decision(d.allowed(), d.ruleId(), d.explain());
        } catch (RuntimeException e) {
            return new Decision(false, null, "the access check failed (" + e + "); denied, fail closed");
        }
    }
}
