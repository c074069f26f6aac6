package io.cellgate.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.preflight.AuditPreflight;
import io.cellgate.api.cli.CliCommand;
import io.cellgate.api.cli.CliContext;
import io.cellgate.identity.AuthResult;
import io.cellgate.identity.Identity;
import io.cellgate.identity.Roles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class UserCommandTest {

    private static final String GOOD = "blue-tractor-on-the-hill";
    private static final Pattern ONE_TIME = Pattern.compile("shown only this once.*\\R\\s+(\\S+)");

    @TempDir
    Path state;

    private final List<AuditEvent> audit = new ArrayList<>();
    /** What the runtime hands this invocation as its sink (the audit inbox); empty: the command's bound sink. */
    private Optional<io.cellgate.api.audit.AuditSink> invocationAudit = Optional.empty();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Deque<String> input = new ArrayDeque<>();
    private boolean interactive;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private UserCommand command;
    /** The running gateway's users, on the same directory. */
    private LocalIdentities gateway;
    private String adminPassword;

    @BeforeEach
    void setUp() throws IOException {
        logs.start();
        root.addAppender(logs);
        root.setLevel(Level.DEBUG);
        command = new UserCommand(LocalIdentitiesTest.settings(1000), Clock.systemUTC(), new SecureRandom(), audit::add);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        gateway = new LocalIdentities(state.resolve("identity"), LocalIdentitiesTest.settings(1000), e -> true,
                Clock.systemUTC(), new PrintStream(console, true, StandardCharsets.UTF_8), new SecureRandom());
        Matcher m = Pattern.compile("One-time password: (\\S+)").matcher(console.toString(StandardCharsets.UTF_8));
        assertThat(m.find()).isTrue();
        adminPassword = m.group(1);
    }

    @AfterEach
    void tearDown() {
        root.detachAppender(logs);
    }

    private int run(String... args) {
        return run(state, args);
    }

    private int run(Path stateDir, String... args) {
        out.reset();
        err.reset();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        return command.run(new CliContext() {
            @Override
            public List<String> args() {
                return List.of(args);
            }

            @Override
            public Path stateDir() {
                return stateDir;
            }

            @Override
            public PrintStream out() {
                return o;
            }

            @Override
            public PrintStream err() {
                return e;
            }

            @Override
            public Optional<char[]> readSecret(String prompt) {
                String line = input.poll();
                return line == null ? Optional.empty() : Optional.of(line.toCharArray());
            }

            @Override
            public boolean interactive() {
                return interactive;
            }

            @Override
            public Optional<io.cellgate.api.audit.AuditSink> audit() {
                return invocationAudit;
            }
        });
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String oneTimePassword() {
        Matcher m = ONE_TIME.matcher(out());
        assertThat(m.find()).as(out()).isTrue();
        return m.group(1);
    }

    private String logText() {
        StringBuilder b = new StringBuilder();
        logs.list.forEach(e -> b.append(e.getFormattedMessage()).append('\n'));
        return b.toString();
    }

    @Test
    void resetPassword_runtimeOffersAnAuditInbox_recordedThereNotInTheBoundSink() {
        List<AuditEvent> inbox = new ArrayList<>();
        invocationAudit = Optional.of(inbox::add);

        assertThat(run("reset-password", "admin")).isEqualTo(CliCommand.OK);

        assertThat(inbox).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("user.password.reset");
            assertThat(e.resource()).isEqualTo("user:admin");
        });
        assertThat(audit).isEmpty();
    }

    /**
     * An inbox-like sink on the real file system: one line per record in {@code dir/events}, fsync aside. The tests
     * break it the way that also stops root (CI runs as root): a file where a directory belongs.
     */
    private record FileSink(Path dir) implements AuditPreflight {

        @Override
        public void preflight() throws IOException {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new IOException("the audit inbox " + dir + " cannot be written (" + e.getClass().getSimpleName()
                        + ")", e);
            }
        }

        @Override
        public boolean record(AuditEvent e) {
            try {
                Files.writeString(dir.resolve("events"), e.action() + " " + e.resource() + " " + e.result() + "\n",
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                return true;
            } catch (IOException x) {
                return false;
            }
        }

        String events() throws IOException {
            return Files.isRegularFile(dir.resolve("events")) ? Files.readString(dir.resolve("events")) : "";
        }
    }

    /** The inbox's place is taken by a file: every change is refused before anything is asked or changed. */
    private FileSink unwritableInbox() throws IOException {
        Path blocker = Files.writeString(state.resolve("inbox-blocker"), "a file, not a directory");
        FileSink sink = new FileSink(blocker.resolve("inbox"));
        invocationAudit = Optional.of(sink);
        return sink;
    }

    /** The inbox passes the check, then its records cannot be written: the race the check cannot close. */
    private void inboxFailingAfterTheCheck() throws IOException {
        FileSink inbox = new FileSink(state.resolve("inbox"));
        Files.createDirectories(inbox.dir().resolve("events")); // a directory where the records' file belongs
        invocationAudit = Optional.of(inbox);
    }

    @Test
    void add_auditInboxCannotBeWritten_refusedExit1NothingChangedNoPasswordAsked() throws IOException {
        FileSink inbox = unwritableInbox();
        input.add(GOOD);

        assertThat(run("add", "otto", "--roles", "Operator")).isEqualTo(CliCommand.FAILED);

        assertThat(err()).contains("error: the audit inbox " + inbox.dir() + " cannot be written (")
                .contains("the change is refused, nothing was changed (fail closed)");
        assertThat(input).containsExactly(GOOD);
        assertThat(gateway.authenticate("otto", GOOD.toCharArray(), "10.0.0.1:1").success()).isFalse();
        assertThat(run("list")).isEqualTo(CliCommand.OK);
        assertThat(out()).contains("admin").doesNotContain("otto");
        assertThat(audit).isEmpty();
    }

    @Test
    void everyChange_auditInboxCannotBeWritten_refusedAndTheUsersFileUntouched() throws IOException {
        unwritableInbox();
        Path file = state.resolve("identity").resolve(UserStore.FILE);
        byte[] before = Files.readAllBytes(file);
        input.add(GOOD);

        for (String[] change : List.of(new String[] {"add", "otto", "--roles", "Operator", "--generate"},
                new String[] {"passwd", "admin"}, new String[] {"reset-password", "admin"},
                new String[] {"disable", "admin"}, new String[] {"enable", "admin"},
                new String[] {"roles", "admin", "Observer"})) {
            assertThat(run(change)).as(String.join(" ", change)).isEqualTo(CliCommand.FAILED);
            assertThat(err()).as(String.join(" ", change)).contains("nothing was changed (fail closed)");
            assertThat(out()).as(String.join(" ", change)).isEmpty();
        }

        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(gateway.authenticate("admin", adminPassword.toCharArray(), "10.0.0.1:1").success()).isTrue();
    }

    @Test
    void readOnlyCommands_auditInboxCannotBeWritten_stillWork() throws IOException {
        unwritableInbox();

        assertThat(run("list")).isEqualTo(CliCommand.OK);
        assertThat(out()).contains("admin");
        assertThat(run("roles", "admin")).isEqualTo(CliCommand.OK);
        assertThat(out()).contains("admin: " + Roles.SECURITY_ADMIN);
        assertThat(err()).isEmpty();
    }

    @Test
    void add_auditInboxWritable_recordedThere() throws IOException {
        FileSink inbox = new FileSink(state.resolve("inbox"));
        invocationAudit = Optional.of(inbox);

        assertThat(run("add", "otto", "--roles", "Operator", "--generate")).as(err()).isEqualTo(CliCommand.OK);

        assertThat(inbox.events()).contains("user.create user:otto SUCCESS");
        assertThat(err()).isEmpty();
    }

    @Test
    void add_auditRecordFailsAfterTheCheck_exit1SayingTheChangeWasMade() throws IOException {
        inboxFailingAfterTheCheck();

        assertThat(run("add", "otto", "--roles", "Operator", "--generate")).isEqualTo(CliCommand.FAILED);

        assertThat(err()).contains("error: AUDIT RECORD MISSING: user.create user:otto SUCCESS: the change HAS BEEN "
                + "MADE but is not in the audit trail");
        assertThat(gateway.authenticate("otto", oneTimePassword().toCharArray(), "10.0.0.1:1").success()).isTrue();
    }

    @Test
    void add_existingNameAndItsAuditRecordFails_exit1SayingNothingWasChanged() throws IOException {
        inboxFailingAfterTheCheck();

        assertThat(run("add", "admin", "--roles", "Operator", "--generate")).isEqualTo(CliCommand.FAILED);

        assertThat(err()).contains("AUDIT RECORD MISSING: user.create user:admin FAILED: nothing was changed");
    }

    @Test
    void resetPassword_lostAdminPassword_oneTimePasswordPrintedOnceAuditedNeverLogged() {
        assertThat(run("reset-password", "admin")).isEqualTo(CliCommand.OK);
        String password = oneTimePassword();

        assertThat(password).hasSize(29).isNotEqualTo(adminPassword);
        assertThat(logText()).doesNotContain(password);
        assertThat(audit).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("user.password.reset");
            assertThat(e.identity()).startsWith("console:");
            assertThat(e.resource()).isEqualTo("user:admin");
            assertThat(e.result()).isEqualTo(AuditEvent.Result.SUCCESS);
            assertThat(e.toString()).doesNotContain(password);
        });
        // The running gateway loads the file at the next login: the old password is gone, the new one must change.
        assertThat(gateway.authenticate("admin", adminPassword.toCharArray(), "10.0.0.1:1").success()).isFalse();
        AuthResult r = gateway.authenticate("admin", password.toCharArray(), "10.0.0.1:1");
        assertThat(r.success()).isTrue();
        assertThat(r.mustChangePassword()).isTrue();
    }

    @Test
    void resetPassword_userLockedOutInTheGateway_lockLifted() {
        for (int i = 0; i < 5; i++) {
            gateway.authenticate("admin", "wrong password here".toCharArray(), "10.0.0." + i + ":1");
        }
        assertThat(gateway.authenticate("admin", adminPassword.toCharArray(), "10.0.1.1:1").success()).isFalse();

        assertThat(run("reset-password", "admin")).isEqualTo(CliCommand.OK);
        assertThat(gateway.authenticate("admin", oneTimePassword().toCharArray(), "10.0.1.1:1").success()).isTrue();
    }

    @Test
    void resetPassword_unknownUserOrApplication_failsNamingIt() {
        assertThat(run("reset-password", "nobody")).isEqualTo(CliCommand.FAILED);
        assertThat(err()).contains("there is no user 'nobody'").contains("users.yaml");
        gateway.createApplication(Identity.SYSTEM, "mes", Set.of(Roles.OBSERVER));
        assertThat(run("reset-password", "mes")).isEqualTo(CliCommand.FAILED);
        assertThat(err()).contains("'mes' is an application");
    }

    @Test
    void add_passwordFromStdin_gatewaySeesTheUser() {
        input.add(GOOD);
        assertThat(run("add", "otto", "--roles", "operator,Observer")).isEqualTo(CliCommand.OK);
        assertThat(out()).contains("user 'otto' created with roles Operator,Observer");

        AuthResult r = gateway.authenticate("otto", GOOD.toCharArray(), "10.0.0.1:1");
        assertThat(r.success()).isTrue();
        assertThat(r.identity().orElseThrow().roles()).containsExactlyInAnyOrder(Roles.OPERATOR, Roles.OBSERVER);
        assertThat(logText()).doesNotContain(GOOD);
    }

    @Test
    void add_interactiveConfirmationDiffers_nothingChanged() {
        interactive = true;
        input.add(GOOD);
        input.add(GOOD + "x");
        assertThat(run("add", "otto", "--roles", "Observer")).isEqualTo(CliCommand.FAILED);
        assertThat(err()).contains("the two passwords differ");
        assertThat(gateway.user("otto")).isEmpty();
    }

    @Test
    void add_weakOrMissingPassword_refusedWithTheRule() {
        input.add("short");
        assertThat(run("add", "otto", "--roles", "Observer")).isEqualTo(CliCommand.FAILED);
        assertThat(err()).contains("needs at least 12");
        assertThat(run("add", "otto", "--roles", "Observer")).isEqualTo(CliCommand.FAILED);
        assertThat(err()).contains("no password given");
        assertThat(gateway.user("otto")).isEmpty();
    }

    @Test
    void add_generate_oneTimePasswordThatMustChange() {
        assertThat(run("add", "eve", "--roles", "Auditor", "--generate")).isEqualTo(CliCommand.OK);
        AuthResult r = gateway.authenticate("eve", oneTimePassword().toCharArray(), "10.0.0.1:1");
        assertThat(r.success()).isTrue();
        assertThat(r.mustChangePassword()).isTrue();
    }

    @Test
    void add_existingName_fails() {
        input.add(GOOD);
        assertThat(run("add", "ADMIN", "--roles", "Observer")).isEqualTo(CliCommand.FAILED);
        assertThat(err()).contains("user 'admin' exists already");
    }

    @Test
    void passwd_setsPasswordWithoutChangeRequirement() {
        input.add(GOOD);
        assertThat(run("passwd", "admin")).isEqualTo(CliCommand.OK);
        AuthResult r = gateway.authenticate("admin", GOOD.toCharArray(), "10.0.0.1:1");
        assertThat(r.success()).isTrue();
        assertThat(r.mustChangePassword()).isFalse();
        assertThat(run("passwd", "nobody")).isEqualTo(CliCommand.FAILED);
    }

    @Test
    void disableEnable_gatewayRefusesThenAcceptsLogin() {
        gateway.createUser(Identity.SYSTEM, "otto", Set.of(Roles.OBSERVER), GOOD.toCharArray());
        assertThat(run("disable", "otto")).isEqualTo(CliCommand.OK);
        assertThat(gateway.authenticate("otto", GOOD.toCharArray(), "10.0.0.1:1").success()).isFalse();
        assertThat(run("enable", "otto")).isEqualTo(CliCommand.OK);
        assertThat(gateway.authenticate("otto", GOOD.toCharArray(), "10.0.0.2:1").success()).isTrue();
    }

    @Test
    void disable_lastAdmin_refused() {
        assertThat(run("disable", "admin")).isEqualTo(CliCommand.FAILED);
        assertThat(err()).contains("nobody could manage users");
        assertThat(gateway.user("admin").orElseThrow().enabled()).isTrue();
    }

    @Test
    void roles_showAndReplace() {
        gateway.createUser(Identity.SYSTEM, "otto", Set.of(Roles.OBSERVER), GOOD.toCharArray());
        assertThat(run("roles", "otto")).isEqualTo(CliCommand.OK);
        assertThat(out()).isEqualToIgnoringNewLines("otto: Observer");
        assertThat(run("roles", "otto", "Operator,Observer")).isEqualTo(CliCommand.OK);
        assertThat(gateway.user("otto").orElseThrow().roles()).containsExactlyInAnyOrder(Roles.OPERATOR, Roles.OBSERVER);
        assertThat(run("roles", "otto", "Superuser")).isEqualTo(CliCommand.USAGE);
        assertThat(err()).contains("unknown role 'Superuser'");
    }

    @Test
    void list_showsUsersWithoutHashes() {
        assertThat(run("list")).isEqualTo(CliCommand.OK);
        assertThat(out()).contains("admin").contains("must change").contains("SecurityAdmin").doesNotContain("$pbkdf2");
    }

    @Test
    void list_noUsersYet_saysSoAndCreatesNothing() throws IOException {
        Path empty = Files.createDirectory(state.resolve("other"));
        assertThat(run(empty, "list")).isEqualTo(CliCommand.OK);
        assertThat(out()).contains("no users in");
        assertThat(empty.resolve("identity/users.yaml")).doesNotExist();
    }

    @Test
    void run_usageErrors_exit2() {
        assertThat(run()).isEqualTo(CliCommand.USAGE);
        assertThat(run("frobnicate")).isEqualTo(CliCommand.USAGE);
        assertThat(err()).contains("unknown command 'frobnicate'");
        assertThat(run("add", "otto")).isEqualTo(CliCommand.USAGE);
        assertThat(err()).contains("--roles is missing");
        assertThat(run("add", "otto", "--roles", "Observer", "--password", "secret12345678")).isEqualTo(CliCommand.USAGE);
        assertThat(err()).contains("never given on the command line");
        assertThat(run("reset-password")).isEqualTo(CliCommand.USAGE);
        assertThat(run("list", "extra")).isEqualTo(CliCommand.USAGE);
        assertThat(run("disable", "otto", "--roles", "Observer")).isEqualTo(CliCommand.USAGE);
    }

    @Test
    void run_help_exit0() {
        assertThat(run("--help")).isEqualTo(CliCommand.OK);
        assertThat(out()).contains("reset-password NAME");
    }

    @Test
    void run_missingStateDirectory_failsAndCreatesNothing() {
        Path missing = state.resolve("nope");
        assertThat(run(missing, "list")).isEqualTo(CliCommand.FAILED);
        assertThat(err()).contains(missing.toString()).contains("does not exist");
        assertThat(missing).doesNotExist();
    }

    @Test
    void run_damagedUsersFile_failsNamingTheFile() throws IOException {
        Files.writeString(state.resolve("identity/users.yaml"), "users: [ {name: x} ]\n");
        assertThat(run("list")).isEqualTo(CliCommand.FAILED);
        assertThat(err()).contains("users.yaml").contains("users[0]");
    }

    @Test
    void gateway_damagedFileWrittenWhileRunning_keepsUsersAndLogsOnce() throws IOException {
        Files.writeString(state.resolve("identity/users.yaml"), "users: [ {name: x} ]\n");
        assertThat(gateway.authenticate("admin", adminPassword.toCharArray(), "10.0.0.1:1").success()).isTrue();
        assertThat(gateway.users()).extracting(u -> u.name()).containsExactly("admin");
        assertThat(logs.list.stream().filter(e -> e.getLevel() == Level.ERROR
                && e.getFormattedMessage().contains("the changed file is refused"))).hasSize(1);
    }

    @Test
    void gateway_changeAfterCommandLineChange_keepsBoth() {
        input.add(GOOD);
        assertThat(run("add", "otto", "--roles", "Observer")).isEqualTo(CliCommand.OK);
        // The gateway has not looked at the file since; its own change must not lose otto.
        gateway.createApplication(Identity.SYSTEM, "mes", Set.of(Roles.OBSERVER));
        assertThat(run("list")).isEqualTo(CliCommand.OK);
        assertThat(out()).contains("otto").contains("mes").contains("admin");
    }
}
