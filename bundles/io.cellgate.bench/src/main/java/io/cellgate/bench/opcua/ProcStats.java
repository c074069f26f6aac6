package io.cellgate.bench.opcua;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and memory of a process, from {@code /proc/<pid>/stat} and {@code /proc/<pid>/status}. */
final class ProcStats {

    private ProcStats() {
    }

    /** utime + stime of the process in clock ticks. */
    static long cpuTicks(long pid) throws IOException {
        return cpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    }

    /**
     * utime + stime from a {@code stat} line. The command name (field 2) is in parentheses and may contain
     * spaces, so fields are counted after the last ')': utime and stime are fields 14 and 15 of the line.
     */
    static long cpuTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        // f[0] is field 3 (state): field n is f[n - 3].
        return Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
    }

    /** A {@code kB} value of {@code /proc/<pid>/status}, e.g. VmRSS or VmHWM, in KiB. */
    static long statusKib(long pid, String key) throws IOException {
        return statusKib(Files.readString(Path.of("/proc", Long.toString(pid), "status")), key);
    }

    static long statusKib(String status, String key) {
        for (String line : status.split("\n")) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.substring(key.length() + 1).trim().split(" +")[0]);
            }
        }
        throw new IllegalArgumentException("no " + key + " in /proc status");
    }

    /** Clock ticks per second ({@code getconf CLK_TCK}); 100 on Linux unless the kernel says otherwise. */
    static long clockTicksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
