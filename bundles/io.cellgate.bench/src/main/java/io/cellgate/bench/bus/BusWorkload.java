package io.cellgate.bench.bus;

import io.cellgate.api.bus.TagListener;
import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.core.internal.bus.TagBusImpl;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * A tag bus as the gateway runs it, without OSGi: 40 devices of 250 scaled numeric tags (10,000 tags,
 * deadband 0.5) and some subscribers that count what they get. {@link Producer}s play the device pollers:
 * each owns a disjoint set of devices and updates its tags round robin with a new value every time.
 * Used by {@link TagBusBenchmark}; the counting is checked by a unit test.
 */
public final class BusWorkload {

    public static final int DEVICES = 40;
    public static final int TAGS_PER_DEVICE = 250;
    public static final double DEADBAND = 0.5;
    /** A step that always passes the deadband, and one that stays within it. */
    static final double BIG_STEP = 1.0;
    static final double SMALL_STEP = 0.1;

    private final TagBusImpl bus = new TagBusImpl();
    private final List<List<TagPath>> devices = new ArrayList<>();
    private final List<LongAdder> delivered = new ArrayList<>();

    /** @param subscribers listeners subscribed to every value change (>= 0) */
    public BusWorkload(int subscribers) {
        Instant start = Instant.now();
        for (int d = 0; d < DEVICES; d++) {
            String device = String.format(Locale.ROOT, "dev-%02d", d + 1);
            List<TagPath> paths = new ArrayList<>(TAGS_PER_DEVICE);
            List<TagInfo> infos = new ArrayList<>(TAGS_PER_DEVICE);
            for (int t = 0; t < TAGS_PER_DEVICE; t++) {
                TagPath path = new TagPath(device, String.format(Locale.ROOT, "t%03d", t));
                paths.add(path);
                infos.add(new TagInfo(path, DataType.INT16, true, "°C", null, false, null, null, DEADBAND, "fast",
                        1000));
            }
            bus.defineDevice(device, infos, TagValue.good(0.0, start));
            devices.add(paths);
        }
        for (int i = 0; i < subscribers; i++) {
            LongAdder count = new LongAdder();
            delivered.add(count);
            bus.subscribe(new CountingListener(count));
        }
    }

    public TagBusImpl bus() {
        return bus;
    }

    /** Values delivered to each subscriber so far, in subscription order. */
    public long[] delivered() {
        return delivered.stream().mapToLong(LongAdder::sum).toArray();
    }

    /**
     * A producer for the devices {@code index, index + count, index + 2 count, ...}: thread {@code index}
     * of {@code count} producer threads, which together update every tag and never the same one.
     *
     * @param halfInDeadband false: every update moves the value past the deadband (every update is
     *                       delivered); true: every second round stays within it (half are delivered)
     */
    public Producer producer(int index, int count, boolean halfInDeadband) {
        if (count < 1 || index < 0 || index >= count || count > DEVICES) {
            throw new IllegalArgumentException("producer " + index + " of " + count + ": need 0 <= index < count <= "
                    + DEVICES);
        }
        List<TagPath> mine = new ArrayList<>();
        for (int d = index; d < DEVICES; d += count) {
            mine.addAll(devices.get(d));
        }
        return new Producer(bus, mine.toArray(TagPath[]::new), halfInDeadband);
    }

    /** Plays one poller thread; not thread-safe (one per thread). */
    public static final class Producer {

        private final TagBusImpl bus;
        private final TagPath[] paths;
        private final double[] values;
        private final boolean halfInDeadband;
        private int next;
        private long round;
        private Instant sampled = Instant.now();

        Producer(TagBusImpl bus, TagPath[] paths, boolean halfInDeadband) {
            this.bus = bus;
            this.paths = paths;
            this.values = new double[paths.length];
            this.halfInDeadband = halfInDeadband;
        }

        public int tagCount() {
            return paths.length;
        }

        /** Updates the next tag with a new value, as a poll result; true when the bus knew the tag. */
        public boolean updateNext() {
            int i = next;
            double step = halfInDeadband && (round & 1) == 1 ? SMALL_STEP : BIG_STEP;
            double value = values[i] + step;
            values[i] = value;
            if (++next == paths.length) {
                next = 0;
                round++;
                // One timestamp per round, as a poll stamps all values of one response alike.
                sampled = Instant.now();
            }
            return bus.update(paths[i], TagValue.good(value, sampled));
        }
    }

    /** A subscriber that only counts; LongAdder so that two producer threads do not fight over one counter. */
    private record CountingListener(LongAdder count) implements TagListener {
        @Override
        public void onValue(TagInfo tag, TagValue value) {
            count.increment();
        }
    }
}
