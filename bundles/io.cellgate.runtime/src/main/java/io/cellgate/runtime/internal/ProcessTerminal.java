package io.cellgate.runtime.internal;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.Optional;

/**
 * The real terminal: secrets from the console without echo, or one line from standard input when it is not a
 * terminal (a script: {@code printf '%s\n' "$pw" | cellgate user add ...}). Never a String of a secret.
 */
final class ProcessTerminal implements CommandDispatcher.Terminal {

    private static final int MAX_SECRET = 1024;

    private final Console console = System.console();
    private final Reader stdin;

    ProcessTerminal(InputStream in) {
        this.stdin = new InputStreamReader(in, Charset.defaultCharset());
    }

    @Override
    public PrintStream out() {
        return System.out;
    }

    @Override
    public PrintStream err() {
        return System.err;
    }

    @Override
    public boolean interactive() {
        return console != null;
    }

    @Override
    public Optional<char[]> readSecret(String prompt) {
        if (console != null) {
            return Optional.ofNullable(console.readPassword("%s", prompt));
        }
        // The prompt goes to stderr so that a script's standard output stays clean.
        System.err.print(prompt);
        System.err.flush();
        return readLine(stdin);
    }

    /** One line without its line end; empty at the end of the input. */
    static Optional<char[]> readLine(Reader in) {
        char[] buf = new char[MAX_SECRET];
        int n = 0;
        try {
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                if (n == buf.length) {
                    Arrays.fill(buf, '\0');
                    throw new IllegalArgumentException("the line on standard input is longer than " + MAX_SECRET
                            + " characters");
                }
                buf[n++] = (char) c;
            }
            if (c < 0 && n == 0) {
                return Optional.empty();
            }
        } catch (IOException e) {
            Arrays.fill(buf, '\0');
            return Optional.empty();
        }
        if (n > 0 && buf[n - 1] == '\r') {
            n--;
        }
        char[] line = Arrays.copyOf(buf, n);
        Arrays.fill(buf, '\0');
        return Optional.of(line);
    }
}
