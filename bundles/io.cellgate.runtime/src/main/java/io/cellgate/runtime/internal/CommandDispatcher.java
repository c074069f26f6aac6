package io.cellgate.runtime.internal;

import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.cli.CliCommand;
import io.cellgate.api.cli.CliContext;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one administration command ({@code cellgate pki ...}) and returns its exit status. Framework-free: the
 * commands are looked up through functions, so that tests run it with the real command implementations.
 */
final class CommandDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);

    /** The command registered under a name, waiting a little for it; empty when there is none. */
    private final Function<String, Optional<CliCommand>> lookup;
    /** The commands registered now, by name. */
    private final Supplier<SortedMap<String, CliCommand>> available;

    /** The audit inbox's sink for a state directory; empty without the audit bundle. */
    private final Function<Path, Optional<AuditSink>> audit;

    CommandDispatcher(Function<String, Optional<CliCommand>> lookup, Supplier<SortedMap<String, CliCommand>> available) {
        this(lookup, available, stateDir -> Optional.empty());
    }

    CommandDispatcher(Function<String, Optional<CliCommand>> lookup, Supplier<SortedMap<String, CliCommand>> available,
            Function<Path, Optional<AuditSink>> audit) {
        this.lookup = lookup;
        this.available = available;
        this.audit = audit;
    }

    int run(String name, List<String> args, Path stateDir, Terminal terminal) {
        Optional<CliCommand> command = lookup.apply(name);
        if (command.isEmpty()) {
            terminal.err().println("error: unknown command '" + name + "'\n\n" + usage());
            return CliCommand.USAGE;
        }
        try {
            return command.get().run(new Context(args, stateDir, terminal, audit.apply(stateDir)));
        } catch (RuntimeException e) {
            // A command should report its own failures; this is the last line of defence.
            LOG.error("command '{}' failed", name, e);
            terminal.err().println("error: " + name + " failed: " + e);
            return CliCommand.FAILED;
        }
    }

    /** The usage text with one line per registered command. */
    String usage() {
        StringBuilder b = new StringBuilder(CommandLine.USAGE);
        for (Map.Entry<String, CliCommand> e : available.get().entrySet()) {
            b.append(String.format("  %-12s%s%n", e.getKey(), e.getValue().summary()));
        }
        return b.toString();
    }

    /** The process's streams and console. */
    interface Terminal {
        PrintStream out();

        PrintStream err();

        /** See {@link CliContext#readSecret}. */
        Optional<char[]> readSecret(String prompt);

        boolean interactive();
    }

    private record Context(List<String> args, Path stateDir, Terminal terminal, Optional<AuditSink> audit)
            implements CliContext {

        @Override
        public PrintStream out() {
            return terminal.out();
        }

        @Override
        public PrintStream err() {
            return terminal.err();
        }

        @Override
        public Optional<char[]> readSecret(String prompt) {
            return terminal.readSecret(prompt);
        }

        @Override
        public boolean interactive() {
            return terminal.interactive();
        }
    }
}
