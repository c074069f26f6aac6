package io.cellgate.identity.internal;

import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.write.WriteAccessCheck;
import io.cellgate.api.write.WriteRequest;
import io.cellgate.identity.AccessTable;
import io.cellgate.identity.Identity;
import io.cellgate.identity.Permission;
import io.cellgate.identity.UserAdmin;
import io.cellgate.identity.UserInfo;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write service's access check until the zero-trust policy engine arrives: a write is allowed only
 * for a known, enabled identity one of whose roles a rule of the cell's {@code access:} table grants
 * WRITE on the tag. Everything else is denied (default deny); an unreadable table denies everything.
 * Ranked low, so that the policy engine (or a test's check) takes precedence when it is registered.
 */
@Component(service = WriteAccessCheck.class, configurationPid = AccessTableWriteCheck.CELL_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = "service.ranking:Integer=-10")
public final class AccessTableWriteCheck implements WriteAccessCheck {

    /** The cell configuration, which carries {@code access.rules} (written by the configuration loader). */
    static final String CELL_PID = "cellgate.cell";
    static final String ACCESS_RULES = "access.rules";
    private static final Logger LOG = LoggerFactory.getLogger(AccessTableWriteCheck.class);

    private final UserAdmin users;
    private volatile AccessTable table = AccessTable.DENY_ALL;

    @Activate
    public AccessTableWriteCheck(@Reference UserAdmin users, Map<String, Object> properties) {
        this.users = users;
        apply(properties);
    }

    @Modified
    void apply(Map<String, Object> properties) {
        try {
            table = AccessTable.fromProperty(properties.get(ACCESS_RULES));
        } catch (RuntimeException e) {
            table = AccessTable.DENY_ALL;
            LOG.error("access.rules of the cell cannot be read; every write is denied: {}", e.getMessage());
        }
    }

    @Override
    public Decision check(WriteRequest request, TagInfo tag) {
        Optional<UserInfo> user = users.user(request.identity());
        if (user.isEmpty() || !user.get().enabled()) {
            return new Decision(false, null, "identity '" + request.identity() + "' is not an enabled user");
        }
        UserInfo u = user.get();
        Identity identity = new Identity(u.name(), u.roles(), u.kind());
        return table.allowingRule(identity, Permission.WRITE, tag.path())
                .map(rule -> new Decision(true, rule.toString(), "allowed by the cell's access table"))
                .orElseGet(() -> new Decision(false, null, "no access rule lets " + u.roles() + " write " + tag.path()));
    }
}
