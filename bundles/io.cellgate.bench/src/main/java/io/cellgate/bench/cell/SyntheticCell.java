package io.cellgate.bench.cell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Writes a large synthetic cell as a configuration directory (cell.yaml + profiles/*.yaml, the schema of
 * device-configs/): by default 40 Modbus TCP devices of 10 device types, 250 tags each, 10,000 tags.
 *
 * <p>The register maps imitate real ones: mostly 16-bit values with some 32/64-bit, floats and strings,
 * status words with bit tags on the same register, coils and discrete inputs; addresses run in clusters
 * with small gaps (some around the default maxGap of 8), larger gaps and jumps to other address ranges
 * (some further apart than one read can reach). Each cluster is polled {@code fast} (80 %) or {@code slow},
 * with a few single tags of the other group inside; the same seed writes byte-identical files.
 */
public final class SyntheticCell {

    public static final long DEFAULT_SEED = 20_260_101L;
    public static final int DEFAULT_DEVICES = 40;
    public static final int DEFAULT_PROFILES = 10;
    public static final int DEFAULT_TAGS_PER_DEVICE = 250;
    public static final int DEFAULT_BASE_PORT = 16_000;

    private final long seed;
    private final int devices;
    private final int profiles;
    private final int tagsPerDevice;
    private final String host;
    private final int basePort;

    public SyntheticCell(long seed, int devices, int profiles, int tagsPerDevice, String host, int basePort) {
        if (devices < 1 || profiles < 1 || profiles > devices || tagsPerDevice < 1) {
            throw new IllegalArgumentException("need devices >= profiles >= 1 and tagsPerDevice >= 1, got devices "
                    + devices + ", profiles " + profiles + ", tagsPerDevice " + tagsPerDevice);
        }
        if (basePort < 1 || basePort + devices - 1 > 65535) {
            throw new IllegalArgumentException("ports " + basePort + ".." + (basePort + devices - 1)
                    + " are outside 1..65535");
        }
        this.seed = seed;
        this.devices = devices;
        this.profiles = profiles;
        this.tagsPerDevice = tagsPerDevice;
        this.host = host;
        this.basePort = basePort;
    }

    /** The default cell: 40 devices on 127.0.0.1:16000.., 10 profiles of 250 tags. */
    public static SyntheticCell standard() {
        return new SyntheticCell(DEFAULT_SEED, DEFAULT_DEVICES, DEFAULT_PROFILES, DEFAULT_TAGS_PER_DEVICE,
                "127.0.0.1", DEFAULT_BASE_PORT);
    }

    public int tagCount() {
        return devices * tagsPerDevice;
    }

    /** Writes cell.yaml and profiles/ into {@code dir} (created if needed; existing files are replaced). */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("profiles"));
        for (int p = 0; p < profiles; p++) {
            Files.writeString(dir.resolve("profiles").resolve(profileId(p) + ".yaml"), profile(p),
                    StandardCharsets.UTF_8);
        }
        StringBuilder b = new StringBuilder();
        b.append("# Synthetic cell written by io.cellgate.bench.cell.SyntheticCell (seed ").append(seed)
                .append("): ").append(devices).append(" devices x ").append(tagsPerDevice).append(" tags.\n");
        b.append("cell:\n  id: synthetic\n  name: Synthetic cell (").append(tagCount()).append(" tags)\n\n");
        b.append("profiles: [profiles]\n\n");
        b.append("pollGroups:\n  fast: 1s\n  slow: 5s\n\n");
        b.append("devices:\n");
        for (int d = 0; d < devices; d++) {
            b.append("  - id: ").append(deviceId(d)).append('\n');
            b.append("    profile: ").append(profileId(d % profiles)).append('\n');
            b.append("    endpoint: { protocol: modbus-tcp, host: ").append(host).append(", port: ")
                    .append(basePort + d).append(" }\n");
            b.append("    unitId: 1\n");
        }
        Files.writeString(dir.resolve("cell.yaml"), b.toString(), StandardCharsets.UTF_8);
    }

    public static String deviceId(int index) {
        return String.format(Locale.ROOT, "dev-%02d", index + 1);
    }

    public static String profileId(int index) {
        return String.format(Locale.ROOT, "synth-%02d", index + 1);
    }

    /** One profile: {@code tagsPerDevice} tags over the four areas, written in flow style like the shipped ones. */
    String profile(int index) {
        Random r = new Random(seed * 31 + index);
        StringBuilder b = new StringBuilder();
        b.append("profile:\n  id: ").append(profileId(index)).append("\n  vendor: Synthetic\n  model: Type ")
                .append(index + 1).append("\n\ntags:\n");
        // Per area a cursor that walks upwards; each area starts in its own typical range.
        int[] cursor = {r.nextInt(4) * 1000, r.nextInt(4) * 1000, r.nextInt(40) * 100, r.nextInt(40) * 100};
        // Poll group per area: kept along a cluster, drawn anew (80 % fast) after a gap wider than the
        // default maxGap (a new cluster), and now and then a single tag of the other group inside one.
        String[] group = {"fast", "fast", "fast", "fast"};
        int n = 0;
        while (n < tagsPerDevice) {
            double a = r.nextDouble();
            int area = a < 0.10 ? 0 : a < 0.20 ? 1 : a < 0.50 ? 2 : 3;
            int next = area < 2 ? bitAddress(r, cursor[area]) : registerAddress(r, cursor[area]);
            if (next - cursor[area] > 8) {
                group[area] = r.nextDouble() < 0.8 ? "fast" : "slow";
            }
            cursor[area] = next;
            String own = r.nextDouble() < 0.05 ? ("fast".equals(group[area]) ? "slow" : "fast") : group[area];
            if (area == 0) {
                tag(b, n++, "coil", cursor[0]++, null, own, r.nextBoolean() ? "read_write" : null);
            } else if (area == 1) {
                tag(b, n++, "discrete_input", cursor[1]++, null, own, null);
            } else {
                String areaName = area == 2 ? "input_register" : "holding_register";
                double t = r.nextDouble();
                if (t < 0.06 && n + 1 < tagsPerDevice) {
                    // A status word and some of its bits: tags sharing one register.
                    int address = cursor[area]++;
                    tag(b, n++, areaName, address, "type: uint16", own, null);
                    int bits = Math.min(1 + r.nextInt(4), tagsPerDevice - n);
                    List<Integer> indices = new ArrayList<>(IntStream.range(0, 16).boxed().toList());
                    Collections.shuffle(indices, r);
                    for (int bit : indices.subList(0, bits).stream().sorted().toList()) {
                        tag(b, n++, areaName, address, "type: bit, bit: " + bit, own, null);
                    }
                    continue;
                }
                String type;
                int size;
                if (t < 0.36) {
                    type = "type: int16";
                    size = 1;
                } else if (t < 0.58) {
                    type = "type: uint16";
                    size = 1;
                } else if (t < 0.66) {
                    type = "type: int32";
                    size = 2;
                } else if (t < 0.72) {
                    type = "type: uint32, wordOrder: low_first";
                    size = 2;
                } else if (t < 0.88) {
                    type = "type: float32";
                    size = 2;
                } else if (t < 0.91) {
                    type = "type: int64";
                    size = 4;
                } else if (t < 0.95) {
                    type = "type: float64";
                    size = 4;
                } else if (t < 0.97) {
                    int length = 8 + 2 * r.nextInt(13);
                    type = "type: string, length: " + length;
                    size = (length + 1) / 2;
                } else {
                    type = "type: int16, scale: 0.1, deadband: 0.5";
                    size = 1;
                }
                tag(b, n++, areaName, cursor[area], type, own,
                        area == 3 && r.nextDouble() < 0.2 && !type.contains("string") ? "read_write" : null);
                cursor[area] += size;
            }
        }
        return b.toString();
    }

    /** Next register address: mostly adjacent, sometimes a gap around maxGap, now and then a new range. */
    private static int registerAddress(Random r, int cursor) {
        double g = r.nextDouble();
        int next;
        if (g < 0.70) {
            next = cursor;
        } else if (g < 0.85) {
            next = cursor + 1 + r.nextInt(3);
        } else if (g < 0.93) {
            next = cursor + 4 + r.nextInt(9); // 4..12: on both sides of the default maxGap 8
        } else if (g < 0.98) {
            next = cursor + 13 + r.nextInt(48);
        } else {
            next = cursor + 100 + r.nextInt(1900);
        }
        return next > 60_000 ? cursor : next;
    }

    /** Next coil / discrete input address; some jumps exceed one read of 2000 bits. */
    private static int bitAddress(Random r, int cursor) {
        double g = r.nextDouble();
        int next;
        if (g < 0.75) {
            next = cursor;
        } else if (g < 0.90) {
            next = cursor + 1 + r.nextInt(5);
        } else if (g < 0.97) {
            next = cursor + 6 + r.nextInt(35);
        } else {
            next = cursor + 100 + r.nextInt(2900);
        }
        return next > 60_000 ? cursor : next;
    }

    private static void tag(StringBuilder b, int n, String area, int address, String type, String group,
            String access) {
        b.append("  - { name: ").append(String.format(Locale.ROOT, "t%03d", n)).append(", area: ").append(area)
                .append(", address: ").append(address);
        if (type != null) {
            b.append(", ").append(type);
        }
        if (access != null) {
            b.append(", access: ").append(access);
        }
        b.append(", pollGroup: ").append(group).append(" }\n");
    }

    /** Writes the standard cell into the directory given as the only argument. */
    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: SyntheticCell DIR [BASE_PORT]   (writes DIR/cell.yaml and DIR/profiles/)");
            System.exit(2);
        }
        int port = args.length == 2 ? Integer.parseInt(args[1]) : DEFAULT_BASE_PORT;
        SyntheticCell cell = new SyntheticCell(DEFAULT_SEED, DEFAULT_DEVICES, DEFAULT_PROFILES,
                DEFAULT_TAGS_PER_DEVICE, "127.0.0.1", port);
        Path dir = Path.of(args[0]);
        cell.write(dir);
        System.out.println("wrote " + cell.tagCount() + " tags in " + DEFAULT_DEVICES + " devices to " + dir);
    }
}
