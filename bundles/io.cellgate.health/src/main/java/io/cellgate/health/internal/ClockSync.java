package io.cellgate.health.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Whether the system clock is synchronised, from systemd's {@code timedatectl show -p NTPSynchronized --value}
 * ("yes"/"no"). Without systemd (a container, a test machine), or when the command fails, the state is unknown.
 * The command is run at most once per {@code maxAge}, on the health thread, bounded by a 2 s timeout.
 */
final class ClockSync {

    /** Synchronised. */
    static final long YES = 1;
    /** Not synchronised. */
    static final long NO = 0;
    /** Cannot tell. */
    static final long UNKNOWN = -1;

    /** Runs a command and returns its standard output, or null when it failed or timed out. */
    interface Runner {
        String run(List<String> command);
    }

    static final List<String> COMMAND = List.of("timedatectl", "show", "-p", "NTPSynchronized", "--value");

    private final Runner runner;
    private final Clock clock;
    private final Duration maxAge;
    private Instant checked;
    private long state = UNKNOWN;

    ClockSync(Runner runner, Clock clock, Duration maxAge) {
        this.runner = runner;
        this.clock = clock;
        this.maxAge = maxAge;
    }

    synchronized long state() {
        Instant now = clock.instant();
        if (checked == null || !now.isBefore(checked.plus(maxAge))) {
            checked = now;
            state = parse(runner.run(COMMAND));
        }
        return state;
    }

    static long parse(String output) {
        if (output == null) {
            return UNKNOWN;
        }
        return switch (output.strip()) {
            case "yes" -> YES;
            case "no" -> NO;
            default -> UNKNOWN;
        };
    }

    /** Runs the command as a process; null when it cannot be started, fails or takes longer than 2 s. */
    static String runProcess(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (InputStream in = p.getInputStream()) {
                if (!p.waitFor(2, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return null;
                }
                String out = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
                return p.exitValue() == 0 ? out : null;
            }
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
