package io.cellgate.config.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Tells when the configuration files changed: cheap fingerprint (names, times, sizes) every tick, the
 * content hash only when that moved. A change counts once the files have stayed the same for one tick,
 * so that a file an editor is still writing is not loaded half-written.
 */
final class DirectoryWatch {

    private final Path dir;
    private List<String> fingerprint = List.of();
    private boolean settling;
    private String seenHash = "";

    DirectoryWatch(Path dir) {
        this.dir = dir;
    }

    /** True when the files changed since {@link #markSeen()} and have been stable for one tick. */
    boolean poll() {
        List<Path> files = files();
        List<String> now = new ArrayList<>();
        for (Path f : files) {
            try {
                now.add(f + "|" + Files.getLastModifiedTime(f).toMillis() + "|" + Files.size(f));
            } catch (IOException e) {
                now.add(f + "|gone");
            }
        }
        if (!now.equals(fingerprint)) {
            fingerprint = now;
            settling = true;
            return false;
        }
        if (!settling) {
            return false;
        }
        settling = false;
        return !Objects.equals(contentHash(files), seenHash);
    }

    /** Records the current content as the one that was loaded (valid or not), so it is not reloaded. */
    void markSeen() {
        settling = false;
        seenHash = contentHash(files());
    }

    /** cell.yaml and every YAML file of the profile search path. */
    private List<Path> files() {
        List<Path> files = new ArrayList<>();
        files.add(dir.resolve(CellLoader.CELL_FILE));
        for (Path d : CellLoader.searchPath(dir)) {
            try (Stream<Path> s = Files.list(d)) {
                s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().forEach(files::add);
            } catch (IOException e) {
                // A missing profile directory is reported by the load itself.
            }
        }
        return files;
    }

    private static String contentHash(List<Path> files) {
        MessageDigest md = Hashes.sha256();
        for (Path f : files) {
            md.update(f.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            try {
                if (Files.size(f) <= YamlFiles.MAX_FILE_BYTES) {
                    md.update(Files.readAllBytes(f));
                }
            } catch (IOException e) {
                md.update((byte) 1);
            }
        }
        return Hashes.hex(md.digest());
    }
}
