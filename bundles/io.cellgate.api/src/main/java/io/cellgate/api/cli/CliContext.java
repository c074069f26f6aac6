package io.cellgate.api.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** What a {@link CliCommand} runs with: its arguments, the state directory, and the terminal. */
@ProviderType
public interface CliContext {

    /** The arguments after the command's name, without {@code --state DIR}. */
    List<String> args();

    /** The state directory ({@code --state DIR}, or the default), absolute. */
    Path stateDir();

    PrintStream out();

    PrintStream err();

    /**
     * Reads a secret: from the console without echo (showing {@code prompt} on it), or, when the input is not a
     * terminal, one line from standard input. Empty at the end of the input. The caller clears the array.
     */
    Optional<char[]> readSecret(String prompt);

    /** Whether {@link #readSecret} reads from an interactive console (so that a confirmation can be asked). */
    boolean interactive();

    /**
     * Where this invocation records its audit events: the audit inbox of {@link #stateDir()} (imported into the
     * tamper-evident trail by the running gateway), when the runtime has one. Empty: the command uses the sink it
     * has otherwise (the core's log sink). A command records its changes here rather than in its bound sink.
     *
     * @since 1.1
     */
    default Optional<io.cellgate.api.audit.AuditSink> audit() {
        return Optional.empty();
    }
}
