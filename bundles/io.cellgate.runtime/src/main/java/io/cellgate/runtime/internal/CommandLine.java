package io.cellgate.runtime.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The gateway's command line: {@code --config DIR}, {@code --demo}, {@code --state DIR}, {@code --help}, or an
 * administration command ({@code pki ...}, {@code user ...}: the first argument that is not an option; what
 * follows it belongs to the command, except {@code --state DIR}). Pure parsing, tested without a framework.
 *
 * @param command     the command's name in {@link Mode#COMMAND}, otherwise null
 * @param commandArgs the arguments after the command's name, without {@code --state DIR}
 */
record CommandLine(Mode mode, Path configDir, Path stateDir, String error, String command, List<String> commandArgs) {

    enum Mode { RUN, DEMO, COMMAND, HELP, INVALID }

    static final Path DEFAULT_STATE = Path.of("cellgate-state");

    static final String USAGE = """
            Usage: java -jar cellgate.jar (--config DIR | --demo) [--state DIR]
                   java -jar cellgate.jar COMMAND [ARGS] [--state DIR]
                   java -jar cellgate.jar --help

            CellGate: a zero-trust edge gateway for one manufacturing cell. It polls the cell's
            Modbus devices into a tag model and serves them northbound over authenticated,
            encrypted OPC UA. At the first start it creates the user 'admin' and prints its
            one-time password once.

              --config DIR  run the cell described in DIR: DIR/cell.yaml and the device profiles
                            it names (see docs/configuration.md). Edits to the files apply while
                            the gateway runs; an invalid edit is refused and logged with file,
                            line and field, and the running configuration stays as it was.
              --demo        run the demo cell: three simulated Modbus TCP devices on 127.0.0.1
                            (ports 15020-15022) polled by the gateway; live values are logged,
                            and served over OPC UA on opc.tcp://localhost:4840/cellgate (loopback
                            only) to the user 'operator', whose password is printed once.
              --state DIR   where the gateway keeps its state (default: ./cellgate-state;
                            the Debian package uses /var/lib/cellgate)
              --help        print this text

            A COMMAND works on the files in the state directory and exits (0 done, 1 failed,
            2 usage error); the gateway is not started (no cell, no ports, no devices). It may
            run beside a running gateway, which sees its changes; run it as the account that
            owns the state directory (the Debian package's /usr/bin/cellgate does).
            Commands (COMMAND --help for details):
            """;

    static CommandLine parse(List<String> args) {
        Path config = null;
        Path state = DEFAULT_STATE;
        boolean demo = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("-")) {
                if (demo || config != null) {
                    return invalid("the command '" + arg + "' does not go with --demo or --config");
                }
                return command(arg, args.subList(i + 1, args.size()), state);
            }
            switch (arg) {
                case "--help", "-h" -> {
                    return new CommandLine(Mode.HELP, null, state, null, null, List.of());
                }
                case "--demo" -> demo = true;
                case "--config", "--state" -> {
                    Optional<String> value = i + 1 < args.size() && !args.get(i + 1).startsWith("--")
                            ? Optional.of(args.get(++i)) : Optional.empty();
                    if (value.isEmpty() || value.get().isBlank()) {
                        return invalid(arg + " needs a directory");
                    }
                    if (arg.equals("--config")) {
                        config = Path.of(value.get());
                    } else {
                        state = Path.of(value.get());
                    }
                }
                default -> {
                    return invalid("unknown argument '" + arg + "'");
                }
            }
        }
        if (demo && config != null) {
            return invalid("--demo and --config exclude each other");
        }
        if (demo) {
            return new CommandLine(Mode.DEMO, null, state.toAbsolutePath(), null, null, List.of());
        }
        if (config == null) {
            return invalid("one of --config DIR or --demo is required (or a command: pki, user, ...)");
        }
        return new CommandLine(Mode.RUN, config.toAbsolutePath(), state.toAbsolutePath(), null, null, List.of());
    }

    /** {@code --state DIR} may stand anywhere after the command too; everything else is the command's. */
    private static CommandLine command(String name, List<String> rest, Path state) {
        List<String> commandArgs = new ArrayList<>();
        for (int i = 0; i < rest.size(); i++) {
            if (rest.get(i).equals("--state")) {
                if (i + 1 >= rest.size() || rest.get(i + 1).isBlank() || rest.get(i + 1).startsWith("--")) {
                    return invalid("--state needs a directory");
                }
                state = Path.of(rest.get(++i));
            } else {
                commandArgs.add(rest.get(i));
            }
        }
        return new CommandLine(Mode.COMMAND, null, state.toAbsolutePath(), null, name, List.copyOf(commandArgs));
    }

    private static CommandLine invalid(String error) {
        return new CommandLine(Mode.INVALID, null, null, error, null, List.of());
    }
}
