package io.cellgate.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.cli.CliCommand;
import io.cellgate.api.cli.CliContext;
import io.cellgate.identity.internal.UserCommand;
import io.cellgate.pki.internal.PkiCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dispatcher with the real command services of the pki and identity bundles. */
class CommandDispatcherTest {

    @TempDir
    Path state;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final SortedMap<String, CliCommand> commands = new TreeMap<>();
    private final CommandDispatcher dispatcher = new CommandDispatcher(n -> Optional.ofNullable(commands.get(n)),
            () -> commands);
    private final CommandDispatcher.Terminal terminal = new CommandDispatcher.Terminal() {
        private final PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        private final PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

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
            return Optional.empty();
        }

        @Override
        public boolean interactive() {
            return false;
        }
    };

    CommandDispatcherTest() {
        commands.put("pki", new PkiCommand());
        commands.put("user", new UserCommand());
    }

    private int run(String command, Path stateDir, String... args) {
        out.reset();
        err.reset();
        return dispatcher.run(command, List.of(args), stateDir, terminal);
    }

    @Test
    void run_pkiAndUserList_realCommandsExit0() {
        assertThat(run("pki", state, "list")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("no certificates in " + state.resolve("pki"));
        assertThat(run("user", state, "list")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("no users in");
    }

    @Test
    void run_userAddWithTheAuditBundle_recordLandsInTheInboxOfTheStateDirectory() throws Exception {
        java.nio.file.Files.createDirectories(state);
        CommandDispatcher withInbox = new CommandDispatcher(n -> Optional.ofNullable(commands.get(n)), () -> commands,
                dir -> Optional.of(new io.cellgate.audit.internal.AuditInboxComponent().sink(dir)));

        assertThat(withInbox.run("user", List.of("add", "otto", "--roles", "Operator", "--generate"), state,
                terminal)).as(err.toString(StandardCharsets.UTF_8)).isZero();

        Path inbox = state.resolve("audit/inbox");
        try (var files = java.nio.file.Files.list(inbox)) {
            assertThat(files.toList()).singleElement().satisfies(f -> assertThat(java.nio.file.Files.readString(f))
                    .contains("\"action\":\"user.create\"", "\"resource\":\"user:otto\"",
                            "\"identity\":\"console:" + System.getProperty("user.name")));
        }
    }

    @Test
    void run_changesWithAnUnwritableAuditInbox_refusedExit1NothingChangedReadsStillWork() throws Exception {
        // the inbox's place taken by a file: unwritable for root too
        Path inbox = java.nio.file.Files.createDirectories(state.resolve("audit")).resolve("inbox");
        java.nio.file.Files.writeString(inbox, "not a directory");
        CommandDispatcher withInbox = new CommandDispatcher(n -> Optional.ofNullable(commands.get(n)), () -> commands,
                dir -> Optional.of(new io.cellgate.audit.internal.AuditInboxComponent().sink(dir)));

        assertThat(withInbox.run("user", List.of("add", "otto", "--roles", "Operator", "--generate"), state, terminal))
                .isEqualTo(CliCommand.FAILED);
        assertThat(withInbox.run("pki", List.of("trust", "ab".repeat(20)), state, terminal))
                .isEqualTo(CliCommand.FAILED);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("error: the audit inbox " + inbox
                + " cannot be written (NotDirectoryException on " + inbox + "): the change is refused, nothing was "
                + "changed (fail closed)").doesNotContain("no certificate with thumbprint");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(state.resolve("identity")).doesNotExist();
        assertThat(withInbox.run("user", List.of("list"), state, terminal)).isZero();
        assertThat(withInbox.run("pki", List.of("list"), state, terminal)).isZero();
    }

    @Test
    void run_unknownCommand_exit2ListingTheCommands() {
        assertThat(run("frobnicate", state)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'frobnicate'")
                .contains("pki         the gateway certificate").contains("user        users and passwords");
    }

    @Test
    void run_missingStateDirectory_exit1NamingIt() {
        Path missing = state.resolve("missing");
        assertThat(run("user", missing, "list")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(missing.toString());
    }

    @Test
    void run_commandUsageError_exit2() {
        assertThat(run("pki", state, "frobnicate")).isEqualTo(2);
        assertThat(run("user", state)).isEqualTo(2);
    }

    @Test
    void run_commandThrows_exit1() {
        commands.put("broken", new CliCommand() {
            @Override
            public String summary() {
                return "fails";
            }

            @Override
            public String usage() {
                return "";
            }

            @Override
            public int run(CliContext context) {
                throw new IllegalStateException("boom");
            }
        });
        assertThat(run("broken", state)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("broken failed").contains("boom");
    }

    @Test
    void usage_listsRegisteredCommands() {
        assertThat(dispatcher.usage()).contains("COMMAND [ARGS] [--state DIR]").contains("  pki ").contains("  user ");
    }

    @Test
    void readLine_stdin_lineWithoutEndThenEmpty() {
        StringReader in = new StringReader("a long secret\r\nsecond\n");
        assertThat(ProcessTerminal.readLine(in)).hasValueSatisfying(l -> assertThat(new String(l)).isEqualTo("a long secret"));
        assertThat(ProcessTerminal.readLine(in)).hasValueSatisfying(l -> assertThat(new String(l)).isEqualTo("second"));
        assertThat(ProcessTerminal.readLine(in)).isEmpty();
    }
}
