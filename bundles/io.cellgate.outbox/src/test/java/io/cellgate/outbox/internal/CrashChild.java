package io.cellgate.outbox.internal;

import io.cellgate.outbox.Outbox;
import io.cellgate.outbox.OutboxOptions;
import io.cellgate.outbox.Outboxes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child JVM of {@link CrashTest}: appends records forever and prints "A seq n" for each append
 * that returned, i.e. each record the outbox promised to keep. It is killed with SIGKILL.
 *
 * <p>With a second argument {@code batch-lazy}: appends batches of 10 with {@code appendAll}, lazily
 * acknowledges five older entries per batch ("L seq" once the call returned), and every seventh batch
 * calls {@code flush()} ("F" after it returned: every "L" before it is durable).
 */
public final class CrashChild {

    private CrashChild() {}

    public static void main(String[] args) {
        Outbox outbox = Outboxes.open(OutboxOptions.defaults(Path.of(args[0])));
        System.out.println("OPEN");
        System.out.flush();
        if (args.length > 1 && args[1].equals("batch-lazy")) {
            batchLazy(outbox);
        }
        for (long n = 0; ; n++) {
            long seq = outbox.append(record(n));
            System.out.println("A " + seq + " " + n);
            System.out.flush();
        }
    }

    private static void batchLazy(Outbox outbox) {
        java.util.ArrayDeque<Long> unacked = new java.util.ArrayDeque<>();
        long n = 0;
        for (int batch = 1; ; batch++) {
            java.util.List<byte[]> records = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                records.add(record(n + i));
            }
            long[] seqs = outbox.appendAll(records);
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < seqs.length; i++) {
                out.append("A ").append(seqs[i]).append(' ').append(n + i).append('\n');
                unacked.add(seqs[i]);
            }
            n += seqs.length;
            System.out.print(out);
            System.out.flush();
            long[] acks = new long[5];
            for (int i = 0; i < acks.length; i++) {
                acks[i] = unacked.poll();
            }
            outbox.acknowledgeLazily(acks);
            for (long a : acks) {
                System.out.println("L " + a);
            }
            System.out.flush();
            if (batch % 7 == 0) {
                outbox.flush();
                System.out.println("F");
                System.out.flush();
            }
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
