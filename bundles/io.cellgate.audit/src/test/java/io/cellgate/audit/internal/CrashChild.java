package io.cellgate.audit.internal;

import io.cellgate.api.audit.AuditRecord;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;

/** Run by {@link CrashTest} in its own JVM: appends from three threads and prints every confirmed record. */
public final class CrashChild {

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        AuditTrail trail = new AuditTrail(Path.of(args[0]), new AuditTrail.Options(4096, 0, 0), Clock.systemUTC());
        if (!trail.open()) {
            System.exit(3);
        }
        PrintStream out = System.out;
        Runnable writer = () -> {
            for (int i = 0; ; i++) {
                AuditRecord r = trail.append(Trails.event(i));
                if (r == null) {
                    System.exit(4);
                }
                synchronized (out) {
                    out.println("C " + r.seq() + " " + r.hash()); // the log goes to stdout too
                    out.flush();
                }
            }
        };
        for (int t = 0; t < 3; t++) {
            new Thread(writer, "writer-" + t).start();
        }
    }
}
