package io.cellgate.outbox.internal;

import io.cellgate.outbox.Outbox;
import io.cellgate.outbox.OutboxOptions;
import io.cellgate.outbox.Outboxes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child JVM of {@link CrashTest}: appends records forever and prints "A seq n" for each append
 * that returned, i.e. each record the outbox promised to keep. It is killed with SIGKILL.
 */
public final class CrashChild {

    private CrashChild() {}

    public static void main(String[] args) {
        Outbox outbox = Outboxes.open(OutboxOptions.defaults(Path.of(args[0])));
        System.out.println("OPEN");
        System.out.flush();
        for (long n = 0; ; n++) {
            long seq = outbox.append(record(n));
            System.out.println("A " + seq + " " + n);
            System.out.flush();
        }
    }

    /** The n-th record: its content and length both depend on n, so a swapped or torn record shows. */
    static byte[] record(long n) {
        StringBuilder s = new StringBuilder("record-").append(n).append('-');
        int pad = (int) (n * 7919 % 600);
        for (int i = 0; i < pad; i++) {
            s.append((char) ('a' + (n + i) % 26));
        }
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
