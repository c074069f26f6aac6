package io.cellgate.health.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** The running JVM and its file systems. */
final class JvmProbe implements SystemProbe {

    @Override
    public double processCpuLoad() {
        // Through JMX, so that no com.sun.management import is needed under OSGi.
        try {
            MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
            Object v = mbs.getAttribute(new ObjectName("java.lang:type=OperatingSystem"), "ProcessCpuLoad");
            return v instanceof Double d && d >= 0 ? d : -1.0;
        } catch (Exception | LinkageError e) {
            return -1.0;
        }
    }

    @Override
    public long heapUsedBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Override
    public long heapMaxBytes() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getMax();
    }

    @Override
    public int liveThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    @Override
    public long usableBytes(Path dir) {
        FileStore store = store(dir);
        try {
            return store == null ? -1 : store.getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public long totalBytes(Path dir) {
        FileStore store = store(dir);
        try {
            return store == null ? -1 : store.getTotalSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    private static FileStore store(Path dir) {
        // The state directory may not exist yet at the first sample: its nearest existing parent is on the same disk.
        for (Path p = dir == null ? null : dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                try {
                    return Files.getFileStore(p);
                } catch (IOException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
