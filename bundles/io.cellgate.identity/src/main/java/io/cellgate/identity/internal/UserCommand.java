package io.cellgate.identity.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.audit.preflight.AuditPreflight;
import io.cellgate.api.cli.CliCommand;
import io.cellgate.api.cli.CliContext;
import io.cellgate.identity.Identity;
import io.cellgate.identity.PasswordRejectedException;
import io.cellgate.identity.Roles;
import io.cellgate.identity.UserInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cellgate user ...}: user administration at the gateway's console, on {@code <state>/identity/users.yaml}.
 * Whoever can run it as the account that owns the state directory can read and replace that file anyway, so the
 * console is the authority here (audited as {@code console:<account>}); no login is asked. Passwords are never
 * taken from the command line: they are read without echo (or from standard input) or generated, and a generated
 * one is printed once and never logged. A running gateway loads the changed file before its next login.
 */
@Component(service = CliCommand.class, property = CliCommand.NAME + "=" + UserCommand.NAME)
public final class UserCommand implements CliCommand {

    static final String NAME = "user";
    private static final Logger AUDIT_LOG = LoggerFactory.getLogger("cellgate.audit");

    static final String TEXT = """
            usage: cellgate user COMMAND [ARGS] [--state DIR]   (works on DIR/identity/users.yaml)
              list                              users and applications: roles, enabled, password state
              add NAME --roles R1,R2 [--generate]
                                                a new user; the password is read without echo (or one line
                                                from standard input), or with --generate made up and printed
                                                once as a one-time password
              passwd NAME                       set NAME's password (read like add)
              reset-password NAME               a new generated one-time password, printed once; it must be
                                                changed at the next login (a lost admin password)
              disable NAME | enable NAME        a disabled user cannot log in
              roles NAME [R1,R2]                show or replace NAME's roles
            roles: %s
            Run it as the account that owns the state directory (the Debian package's cellgate wrapper does).
            A change is refused (nothing changed, exit status 1) when its audit record cannot be written.
            exit status: 0 done, 1 refused or failed, 2 usage error""".formatted(String.join(", ", Roles.ALL));

    private final IdentitySettings settings;
    private final Clock clock;
    private final SecureRandom random;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditSink audit;

    public UserCommand() {
        this(IdentitySettings.defaults(), Clock.systemUTC(), new SecureRandom(), null);
    }

    UserCommand(IdentitySettings settings, Clock clock, SecureRandom random, AuditSink audit) {
        this.settings = settings;
        this.clock = clock;
        this.random = random;
        this.audit = audit;
    }

    @Override
    public String summary() {
        return "users and passwords (list, add, passwd, reset-password, disable, enable, roles)";
    }

    @Override
    public String usage() {
        return TEXT;
    }

    @Override
    public int run(CliContext c) {
        List<String> args = new ArrayList<>(c.args());
        if (args.contains("--help") || args.contains("-h")) {
            c.out().println(TEXT);
            return OK;
        }
        if (args.isEmpty()) {
            return usage(c, "user: a command is missing");
        }
        String command = args.remove(0);
        boolean generate = args.remove("--generate");
        String roles = option(args, "--roles");
        if (roles == null && args.contains("--roles")) {
            return usage(c, command + ": --roles needs a list of roles, e.g. --roles Operator,Observer");
        }
        Optional<String> unknown = args.stream().filter(a -> a.startsWith("-")).findFirst();
        if (unknown.isPresent()) {
            return usage(c, command + ": unknown option '" + unknown.get() + "'"
                    + (unknown.get().startsWith("--pass") ? " (passwords are never given on the command line)" : ""));
        }
        int names = switch (command) {
            case "list" -> 0;
            case "add", "passwd", "reset-password", "disable", "enable" -> 1;
            case "roles" -> args.size() == 2 ? 2 : 1;
            default -> -1;
        };
        if (names < 0) {
            return usage(c, "user: unknown command '" + command + "'");
        }
        if (args.size() != names) {
            return usage(c, command + (names == 0 ? ": takes no arguments" : ": needs a user name")
                    + (args.size() > names ? ", got " + args : ""));
        }
        if (command.equals("add") && roles == null) {
            return usage(c, "add: --roles is missing, e.g. --roles Operator,Observer");
        }
        if ((roles != null && !command.equals("add")) || (generate && !command.equals("add"))) {
            return usage(c, command + ": --roles and --generate belong to add");
        }
        Set<String> roleSet;
        try {
            roleSet = roles(command.equals("roles") && names == 2 ? args.get(1) : roles);
        } catch (IllegalArgumentException e) {
            return usage(c, command + ": " + e.getMessage());
        }
        if (!Files.isDirectory(c.stateDir())) {
            c.err().println("error: the state directory " + c.stateDir() + " does not exist (--state DIR; the Debian "
                    + "package keeps it in /var/lib/cellgate)");
            return FAILED;
        }
        Path dir = c.stateDir().resolve(IdentityComponent.SUBDIR);
        // the invocation's sink (the audit inbox the running gateway imports into its trail), else the bound one
        AuditSink sink = c.audit().orElse(audit);
        boolean changes = !command.equals("list") && !(command.equals("roles") && names == 1);
        if (changes) {
            try {
                AuditPreflight.check(sink); // before a password is asked or anything is changed
            } catch (IOException e) {
                c.err().println("error: " + e.getMessage() + ": the change is refused, nothing was changed (fail "
                        + "closed)");
                return FAILED;
            }
        }
        List<AuditEvent> unrecorded = new ArrayList<>();
        int status = execute(c, command, args, names, roleSet, generate, dir, e -> {
            boolean recorded = record(sink, e);
            if (!recorded) {
                unrecorded.add(e);
            }
            return recorded;
        });
        for (AuditEvent e : unrecorded) {
            // the inbox failed after the check (a race): the outcome stands, and must not pass unnoticed
            c.err().println("error: AUDIT RECORD MISSING: " + e.action() + " " + LocalIdentities.printable(e.resource())
                    + " " + e.result() + (e.result() == AuditEvent.Result.SUCCESS
                            ? ": the change HAS BEEN MADE but is not in the audit trail"
                            : ": nothing was changed, but the refusal is not in the audit trail")
                    + " (see AUDIT EVENT NOT RECORDED above); tell the security officer");
            status = FAILED;
        }
        return status;
    }

    private int execute(CliContext c, String command, List<String> args, int names, Set<String> roleSet,
            boolean generate, Path dir, AuditSink sink) {
        try {
            LocalIdentities ids = LocalIdentities.forCommandLine(dir, settings, sink, clock, random,
                    System.getProperty("user.name", "unknown"));
            String name = names > 0 ? args.get(0) : null;
            return switch (command) {
                case "list" -> list(ids, c.out());
                case "add" -> add(ids, c, name, roleSet, generate);
                case "passwd" -> passwd(ids, c, name);
                case "reset-password" -> reset(ids, c.out(), name);
                case "disable", "enable" -> {
                    ids.setEnabled(ids.consoleActor(), name, command.equals("enable"));
                    c.out().println("user '" + name + "' " + command + "d");
                    yield OK;
                }
                default -> roles(ids, c.out(), name, roleSet, names == 2);
            };
        } catch (IOException | UncheckedIOException e) {
            c.err().println("error: " + e.getMessage());
            return FAILED;
        } catch (IllegalArgumentException | IllegalStateException | SecurityException e) {
            // PasswordRejectedException is an IllegalArgumentException: its message names the rule.
            c.err().println("error: " + e.getMessage().replaceFirst("^name: ", "") + " (in " + dir.resolve(UserStore.FILE)
                    + ")");
            return FAILED;
        }
    }

    private static int list(LocalIdentities ids, PrintStream out) {
        List<UserInfo> users = ids.users();
        if (users.isEmpty()) {
            out.println("no users in " + ids.file() + " (the gateway creates 'admin' at its first start)");
            return OK;
        }
        out.println(String.format("%-24s %-11s %-8s %-13s %s", "NAME", "KIND", "ENABLED", "PASSWORD", "ROLES"));
        for (UserInfo u : users) {
            String password = !u.hasPassword() ? "none" : u.mustChangePassword() ? "must change" : "set";
            out.println(String.format("%-24s %-11s %-8s %-13s %s%s", u.name(), u.kind().name().toLowerCase(Locale.ROOT),
                    u.enabled() ? "yes" : "no", password, String.join(",", u.roles().stream().sorted().toList()),
                    u.certificates().isEmpty() ? "" : "  certificates: " + u.certificates()));
        }
        return OK;
    }

    private int add(LocalIdentities ids, CliContext c, String name, Set<String> roles, boolean generate) {
        if (generate) {
            char[] password = LocalIdentities.generated(random);
            try {
                ids.createUser(ids.consoleActor(), name, roles, password);
                ids.setPassword(ids.consoleActor(), name, password, true);
                printOnce(c.out(), name, password);
            } finally {
                Arrays.fill(password, '\0');
            }
            return OK;
        }
        Optional<char[]> password = readPassword(c, name);
        if (password.isEmpty()) {
            return FAILED;
        }
        try {
            ids.createUser(ids.consoleActor(), name, roles, password.get());
        } finally {
            Arrays.fill(password.get(), '\0');
        }
        c.out().println("user '" + name + "' created with roles " + String.join(",", roles));
        return OK;
    }

    private int passwd(LocalIdentities ids, CliContext c, String name) {
        if (ids.user(name).isEmpty()) {
            throw new IllegalArgumentException("there is no user '" + LocalIdentities.printable(name) + "'");
        }
        Optional<char[]> password = readPassword(c, name);
        if (password.isEmpty()) {
            return FAILED;
        }
        try {
            ids.setPassword(ids.consoleActor(), name, password.get(), false);
        } finally {
            Arrays.fill(password.get(), '\0');
        }
        c.out().println("password of '" + name + "' changed");
        return OK;
    }

    private static int reset(LocalIdentities ids, PrintStream out, String name) {
        char[] password = ids.resetPassword(ids.consoleActor(), name);
        try {
            printOnce(out, ids.user(name).map(UserInfo::name).orElse(name), password);
            if (ids.user(name).map(u -> !u.enabled()).orElse(false)) {
                out.println("note: '" + name + "' is disabled; enable it with: cellgate user enable " + name);
            }
        } finally {
            Arrays.fill(password, '\0');
        }
        return OK;
    }

    private static int roles(LocalIdentities ids, PrintStream out, String name, Set<String> roles, boolean set) {
        if (set) {
            ids.setRoles(ids.consoleActor(), name, roles);
        }
        UserInfo u = ids.user(name).orElseThrow(() -> new IllegalArgumentException("there is no user '"
                + LocalIdentities.printable(name) + "'"));
        out.println(u.name() + ": " + String.join(",", u.roles().stream().sorted().toList()));
        return OK;
    }

    /** To the terminal only: the audit trail records that a password was set, never the password. */
    private static void printOnce(PrintStream out, String name, char[] password) {
        out.println("One-time password for '" + name + "' (shown only this once; it must be changed at the next login):");
        out.print("  ");
        out.println(password);
        out.flush();
    }

    private Optional<char[]> readPassword(CliContext c, String name) {
        Optional<char[]> first = c.readSecret("New password for '" + name + "': ");
        if (first.isEmpty()) {
            c.err().println("error: no password given (standard input ended); use --generate with add, or "
                    + "reset-password, for a generated one");
            return Optional.empty();
        }
        if (c.interactive()) {
            Optional<char[]> again = c.readSecret("Repeat the password: ");
            boolean same = again.isPresent() && Arrays.equals(first.get(), again.get());
            again.ifPresent(a -> Arrays.fill(a, '\0'));
            if (!same) {
                Arrays.fill(first.get(), '\0');
                c.err().println("error: the two passwords differ; nothing was changed");
                return Optional.empty();
            }
        }
        return first;
    }

    /** Role names ignoring case, as the documentation spells them; null for none given. */
    static Set<String> roles(String list) {
        if (list == null) {
            return Set.of();
        }
        Set<String> roles = new LinkedHashSet<>();
        for (String r : list.split(",")) {
            String role = r.trim();
            if (role.isEmpty()) {
                continue;
            }
            roles.add(Roles.ALL.stream().filter(known -> known.equalsIgnoreCase(role)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown role '" + role + "': use one of "
                            + String.join(", ", Roles.ALL))));
        }
        return roles;
    }

    private static String option(List<String> args, String name) {
        int i = args.indexOf(name);
        if (i < 0 || i + 1 >= args.size() || args.get(i + 1).startsWith("-")) {
            return null;
        }
        String value = args.get(i + 1);
        args.remove(i + 1);
        args.remove(i);
        return value;
    }

    private static int usage(CliContext c, String message) {
        c.err().println(message + "\n" + TEXT);
        return USAGE;
    }

    /** The given sink (the inbox, or the one registered); without one the core's log format. */
    private static boolean record(AuditSink sink, AuditEvent e) {
        if (sink != null) {
            return sink.record(e);
        }
        AUDIT_LOG.info("{} {} identity={} source={} resource={} reason={} rule={}", e.action(), e.result(),
                LocalIdentities.printable(e.identity()), e.source(), LocalIdentities.printable(e.resource()),
                e.reason() == null ? null : LocalIdentities.printable(e.reason()), e.rule());
        return true;
    }
}
