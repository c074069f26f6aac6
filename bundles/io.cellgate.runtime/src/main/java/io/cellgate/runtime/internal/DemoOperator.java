package io.cellgate.runtime.internal;

import io.cellgate.identity.Roles;
import io.cellgate.identity.UserAdmin;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

/**
 * The demo's OPC UA user {@code operator} (roles Operator and Observer), created in the identity bundle when
 * {@code --demo} writes the {@code cellgate.demo} configuration. Its generated password is printed once on the
 * console at the first demo start (never logged); only the identity bundle's hash is kept.
 */
@Component(configurationPid = RuntimeKeys.DEMO_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = {})
public final class DemoOperator {

    static final String USER = "operator";
    static final Set<String> ROLES = Set.of(Roles.OPERATOR, Roles.OBSERVER);

    @Activate
    public DemoOperator(@Reference UserAdmin users) {
        ensure(users, System.out);
    }

    /** Creates the user if it does not exist and prints its password; does nothing when it exists. */
    static void ensure(UserAdmin users, PrintStream console) {
        users.ensureUser(USER, ROLES).ifPresent(password -> {
            try {
                console.println("""

                        ======================================================================
                         Demo OPC UA user (roles Operator, Observer), shown only this once:
                           user:     %s
                           password: %s
                        ======================================================================
                        """.formatted(USER, new String(password)));
            } finally {
                Arrays.fill(password, '\0');
            }
        });
    }
}
