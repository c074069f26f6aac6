package io.cellgate.pki.internal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The PKI commands on a plain classpath, without OSGi ({@code java -cp ... PkiTool --state DIR COMMAND}). The
 * executable's {@code cellgate pki ...} ({@link PkiCommand}) is the usual way; both run the same code.
 */
public final class PkiTool {

    static final String USAGE = "usage: PkiTool --state DIR COMMAND\n" + PkiCommand.COMMANDS;

    private PkiTool() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(List.of(args));
        Path state = null;
        int i = rest.indexOf("--state");
        if (i >= 0 && i + 1 < rest.size()) {
            state = Path.of(rest.get(i + 1));
            rest.remove(i + 1);
            rest.remove(i);
        }
        if (state == null || rest.isEmpty() || rest.contains("--help")) {
            err.println(USAGE);
            return 2;
        }
        return PkiCommand.execute(state, rest, out, err, USAGE);
    }
}
