package io.cellgate.bench.plan;

import io.cellgate.api.config.CellConfig;
import io.cellgate.api.config.DeviceConfig;
import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.PollGroup;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.bench.cell.SyntheticCell;
import io.cellgate.config.CellConfigLoader;
import io.cellgate.config.LoadResult;
import io.cellgate.modbus.ReadBlock;
import io.cellgate.modbus.ReadPlanner;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Counts Modbus read requests per poll cycle: the planner's, the independent minimum
 * ({@link MinimumReads}) and the naive one request per tag, for every shipped profile and for the
 * synthetic 10,000-tag cell. Each poll group is planned on its own, as the driver does; a tag that names
 * no poll group belongs to the device's first group (docs/configuration.md).
 *
 * <p>Run: {@code java -cp bundles/io.cellgate.bench/target/benchmarks.jar io.cellgate.bench.plan.PlanReport
 * [device-configs/profiles]}.
 */
public final class PlanReport {

    /**
     * One line of the table.
     *
     * @param source   profile id (or a total)
     * @param group    poll group
     * @param devices  devices this line stands for (counts are per device)
     * @param tags     tags planned
     * @param planner  requests of the planner's plan
     * @param minimum  independent minimum
     * @param naive    one request per tag
     * @param problems rules the planner's plan breaks (empty when valid)
     */
    public record Row(String source, String group, int devices, int tags, int planner, int minimum, int naive,
            List<String> problems) {

        public boolean plannerIsMinimal() {
            return problems.isEmpty() && planner == minimum;
        }
    }

    private PlanReport() {
    }

    /**
     * One row per profile and poll group for every profile file in {@code profilesDir}, each loaded with
     * the config bundle's loader as the profile of one device with the loader's default settings.
     */
    public static List<Row> shippedProfiles(Path profilesDir) {
        Path cellDir;
        try {
            cellDir = Files.createTempDirectory("cellgate-plan-");
            List<String> ids;
            try (Stream<Path> files = Files.list(profilesDir)) {
                ids = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted()
                        .map(n -> n.substring(0, n.length() - 5)).toList();
            }
            if (ids.isEmpty()) {
                throw new IllegalArgumentException("no *.yaml profiles in " + profilesDir);
            }
            StringBuilder b = new StringBuilder("cell: { id: plan-count }\n");
            Path relative = cellDir.toAbsolutePath().normalize().relativize(profilesDir.toAbsolutePath().normalize());
            b.append("profiles: ['").append(relative.toString().replace('\\', '/')).append("']\n");
            // The groups the shipped cells use; a profile naming another group fails to load, with its name.
            b.append("pollGroups: { fast: 1s, slow: 5s }\ndevices:\n");
            for (int i = 0; i < ids.size(); i++) {
                b.append("  - { id: d").append(i).append(", profile: ").append(ids.get(i))
                        .append(", endpoint: { protocol: modbus-tcp, host: 127.0.0.1, port: ").append(20000 + i)
                        .append(" } }\n");
            }
            Files.writeString(cellDir.resolve(CellConfigLoader.CELL_FILE), b.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a cell for the profiles of " + profilesDir, e);
        }
        try {
            return rows(load(cellDir), false);
        } finally {
            try {
                Files.deleteIfExists(cellDir.resolve(CellConfigLoader.CELL_FILE));
                Files.deleteIfExists(cellDir);
            } catch (IOException ignored) {
                // a temporary directory left behind is harmless
            }
        }
    }

    /** Loads a configuration directory, or fails with the loader's error report. */
    public static CellConfig load(Path dir) {
        LoadResult result = CellConfigLoader.load(dir);
        return result.config().orElseThrow(() -> new IllegalArgumentException(
                "configuration " + dir + " does not load:" + System.lineSeparator() + result.errorReport()));
    }

    /**
     * Rows for every enabled device and poll group of a cell. Devices with the same profile and planner
     * settings give the same plan, so they share a row; with {@code total}, a last row sums the whole cell.
     */
    public static List<Row> rows(CellConfig cell, boolean total) {
        Map<String, Row> merged = new LinkedHashMap<>();
        int tags = 0;
        int planner = 0;
        int minimum = 0;
        int naive = 0;
        List<String> problems = new ArrayList<>();
        for (DeviceConfig device : cell.devices()) {
            if (!device.enabled()) {
                continue;
            }
            DeviceProfile profile = cell.profiles().get(device.profile());
            // docs/configuration.md: a tag without pollGroup is read in the device's first group.
            String firstGroup = device.pollGroups().get(0).name();
            Set<String> groups = new LinkedHashSet<>();
            device.pollGroups().stream().map(PollGroup::name).forEach(groups::add);
            for (String group : groups) {
                List<TagDefinition> members = profile.tags().stream()
                        .filter(t -> Objects.requireNonNullElse(t.pollGroup(), firstGroup).equals(group)).toList();
                if (members.isEmpty()) {
                    continue;
                }
                Row row = row(profile.id(), group, members, device.maxGap(), device.maxRegistersPerRead());
                tags += row.tags();
                planner += row.planner();
                minimum += row.minimum();
                naive += row.naive();
                row.problems().forEach(p -> problems.add(device.id() + "/" + group + ": " + p));
                String key = profile.id() + "\u0000" + group + "\u0000" + device.maxGap() + "\u0000"
                        + device.maxRegistersPerRead();
                merged.merge(key, row, (a, b) -> new Row(a.source(), a.group(), a.devices() + 1, a.tags(),
                        a.planner(), a.minimum(), a.naive(), a.problems()));
            }
        }
        List<Row> rows = new ArrayList<>(merged.values());
        if (total) {
            rows.add(new Row("cell " + cell.cellId() + " total", "all", (int) cell.devices().stream()
                    .filter(DeviceConfig::enabled).count(), tags, planner, minimum, naive, problems));
        }
        return rows;
    }

    /** Plans one group's tags and counts. */
    public static Row row(String source, String group, List<TagDefinition> tags, int maxGap, int maxRegistersPerRead) {
        List<ReadBlock> plan = ReadPlanner.plan(tags, maxGap, maxRegistersPerRead);
        int minimum = MinimumReads.minimum(tags, maxGap, maxRegistersPerRead);
        return new Row(source, group, 1, tags.size(), plan.size(), minimum, tags.size(),
                PlanCheck.problems(plan, tags, maxGap, maxRegistersPerRead));
    }

    public static void print(String title, List<Row> rows, PrintStream out) {
        out.println(title);
        out.println();
        out.println("| profile | poll group | devices | tags | planner requests | minimum | naive (1 per tag) "
                + "| planner = minimum |");
        out.println("|---|---|---:|---:|---:|---:|---:|---|");
        for (Row r : rows) {
            out.printf(Locale.ROOT, "| %s | %s | %d | %d | %d | %d | %d | %s |%n", r.source(), r.group(), r.devices(),
                    r.tags(), r.planner(), r.minimum(), r.naive(), r.plannerIsMinimal() ? "yes"
                            : r.problems().isEmpty() ? "NO" : "INVALID PLAN: " + r.problems().get(0));
        }
        out.println();
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Finds device-configs/profiles from the working directory upwards. */
    static Path findProfiles() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("device-configs").resolve("profiles");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("device-configs/profiles not found above " + Path.of("").toAbsolutePath()
                + ": pass the profile directory as the first argument");
    }

    public static void main(String[] args) throws IOException {
        Path profiles = args.length > 0 ? Path.of(args[0]) : findProfiles();
        List<Row> shipped = shippedProfiles(profiles);
        print("Shipped profiles (" + profiles + "), per device and poll cycle:", shipped, System.out);

        Path dir = Files.createTempDirectory("cellgate-synthetic-");
        SyntheticCell synthetic = SyntheticCell.standard();
        synthetic.write(dir);
        List<Row> cell;
        try {
            cell = rows(load(dir), true);
        } finally {
            deleteTree(dir);
        }
        print("Synthetic cell (" + synthetic.tagCount() + " tags, seed " + SyntheticCell.DEFAULT_SEED
                + "), per device and poll cycle; the last row sums all devices:", cell, System.out);
        boolean ok = Stream.concat(shipped.stream(), cell.stream()).allMatch(Row::plannerIsMinimal);
        System.out.println(ok ? "planner = minimum everywhere" : "planner differs from the minimum (see above)");
        System.exit(ok ? 0 : 1);
    }
}
