package io.cellgate.config.internal;

import io.cellgate.api.config.DeviceProfile;
import io.cellgate.config.ConfigError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Every profile file on a cell's search path, read to offer the profiles no device uses yet. The first directory
 * that holds {@code <id>.yaml} wins, as when a device names the profile; the cell's applied profiles are taken as
 * they are (the same files, already validated). An invalid file becomes a problem here and nothing else: the cell
 * only fails for a profile a device uses.
 *
 * @param profiles by id, sorted by id
 * @param problems the invalid files' errors, each with file, line and column
 */
record ProfileLibrary(Map<String, DeviceProfile> profiles, List<ConfigError> problems) {

    ProfileLibrary {
        profiles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(profiles));
        problems = List.copyOf(problems);
    }

    static ProfileLibrary scan(Path dir, List<Path> searchPath, Map<String, DeviceProfile> applied) {
        Map<String, DeviceProfile> found = new java.util.TreeMap<>();
        applied.values().stream().filter(p -> p.id().indexOf('@') < 0).forEach(p -> found.put(p.id(), p));
        java.util.Set<String> seen = new java.util.HashSet<>(found.keySet());
        Problems problems = new Problems();
        for (Path d : searchPath) {
            for (Path file : yamlFiles(d)) {
                String fileName = file.getFileName().toString();
                String id = fileName.substring(0, fileName.length() - ".yaml".length());
                if (!seen.add(id)) {
                    continue;
                }
                String name = CellLoader.relativeName(dir, file);
                Node root = YamlFiles.read(file, name, problems, null);
                DeviceProfile p = root == null ? null : ProfileParser.parse(root, name, id, problems);
                if (p != null) {
                    found.put(id, p);
                }
            }
        }
        return new ProfileLibrary(found, problems.list());
    }

    private static List<Path> yamlFiles(Path d) {
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".yaml") && Files.isRegularFile(p)).sorted()
                    .toList();
        } catch (IOException e) {
            // The load reports a missing or unreadable directory a device needs; the library just has less.
            return new ArrayList<>();
        }
    }
}
