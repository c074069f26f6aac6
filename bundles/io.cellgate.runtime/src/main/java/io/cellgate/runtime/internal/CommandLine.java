package io.cellgate.runtime.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The gateway's command line: {@code --config DIR}, {@code --demo}, {@code --state DIR}, {@code --help}.
 * Pure parsing, so that it is tested without a framework.
 */
record CommandLine(Mode mode, Path configDir, Path stateDir, String error) {

    enum Mode { RUN, DEMO, HELP, INVALID }

    static final String USAGE = """
            Usage: java -jar cellgate.jar (--config DIR | --demo) [--state DIR]
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
            """;

    static CommandLine parse(List<String> args) {
        Path config = null;
        Path state = Path.of("cellgate-state");
        boolean demo = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--help", "-h" -> {
                    return new CommandLine(Mode.HELP, null, state, null);
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
            return new CommandLine(Mode.DEMO, null, state.toAbsolutePath(), null);
        }
        if (config == null) {
            return invalid("one of --config DIR or --demo is required");
        }
        return new CommandLine(Mode.RUN, config.toAbsolutePath(), state.toAbsolutePath(), null);
    }

    private static CommandLine invalid(String error) {
        return new CommandLine(Mode.INVALID, null, null, error);
    }
}
