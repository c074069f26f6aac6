package io.cellgate.api.cli;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One administration command of the executable, e.g. {@code pki} or {@code user}, registered as a service with
 * the service property {@link #NAME}. In command mode the runtime starts no gateway: it waits for the named
 * service, runs it once on the files of the state directory, and exits with the returned status.
 * A command never logs secrets; what it prints goes to {@link CliContext#out()} and {@link CliContext#err()}.
 */
@ConsumerType
public interface CliCommand {

    /** Service property (String): the command's name, the first program argument. */
    String NAME = "cellgate.command";

    /** Exit status: done. */
    int OK = 0;
    /** Exit status: refused or failed (the message on err names what and where). */
    int FAILED = 1;
    /** Exit status: wrong arguments (the message on err says which, followed by the usage). */
    int USAGE = 2;

    /** One line for the executable's {@code --help}. */
    String summary();

    /** The command's usage text (its subcommands and options). */
    String usage();

    /** Runs the command; returns {@link #OK}, {@link #FAILED} or {@link #USAGE}. Must not throw for bad input. */
    int run(CliContext context);
}
