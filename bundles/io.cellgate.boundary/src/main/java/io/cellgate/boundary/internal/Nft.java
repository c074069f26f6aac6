package io.cellgate.boundary.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code nft list table inet cellgate} (read only: this class never changes a ruleset). */
final class Nft {

    /** What nft answered. */
    record Listing(int status, String out, String err) {
    }

    /** Thrown when nft cannot be run at all (not installed, not on the PATH). */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    private final List<String> command;

    /** @param command how nft is started, e.g. {@code [nft]}, or {@code [ip, netns, exec, NS, nft]} in tests */
    Nft(List<String> command) {
        this.command = List.copyOf(command);
    }

    Nft() {
        this(List.of("nft"));
    }

    Listing listTable() throws Unavailable, InterruptedException {
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of("list", "table", "inet", "cellgate"));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new Unavailable("nftables is not available: cannot run '" + String.join(" ", command) + "' ("
                    + e.getMessage() + "); install the Debian package nftables");
        }
        try {
            p.getOutputStream().close();
        } catch (IOException ignored) {
            // nft reads nothing; a closed pipe is fine
        }
        try {
            // Small outputs: read both streams fully, stdout first; nft writes errors only after its output.
            String out = read(p.getInputStream());
            String err = read(p.getErrorStream());
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new Unavailable("'" + String.join(" ", cmd) + "' did not finish within 20 s");
            }
            return new Listing(p.exitValue(), out, err);
        } catch (IOException e) {
            throw new Unavailable("reading the output of '" + String.join(" ", cmd) + "' failed: " + e.getMessage());
        }
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
