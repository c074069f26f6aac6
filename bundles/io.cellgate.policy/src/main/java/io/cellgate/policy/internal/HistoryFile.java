package io.cellgate.policy.internal;

import io.cellgate.api.policy.PolicyVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy's version history in the state directory ({@code <state>/policy/history.tsv}), so that version
 * numbers keep increasing across restarts: one line per applied version, {@code version TAB sha256 TAB time TAB
 * actor}. Written whole to a temporary file and moved into place, so a crash leaves the old or the new file.
 */
final class HistoryFile {

    static final String SUBDIR = "policy";
    static final String NAME = "history.tsv";
    /** Versions kept; older ones are dropped from the file (the numbers continue from the newest). */
    static final int MAX_ENTRIES = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(HistoryFile.class);
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    private final Path file;

    HistoryFile(Path stateDir) {
        this.file = stateDir.resolve(SUBDIR).resolve(NAME);
    }

    Path path() {
        return file;
    }

    /** The versions stored; a line that cannot be read is skipped with a warning (the rest still counts). */
    List<PolicyVersion> read() {
        List<PolicyVersion> versions = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return versions;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warn("policy history {} cannot be read ({}); versions start after 0 again", file, e.toString());
            return versions;
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", 4);
            try {
                if (f.length != 4 || !HASH.matcher(f[1]).matches()) {
                    throw new IllegalArgumentException("expected version, sha256, time and actor");
                }
                long version = Long.parseLong(f[0]);
                if (version < 1) {
                    throw new IllegalArgumentException("version " + version + " is not positive");
                }
                versions.add(new PolicyVersion(version, f[1], Instant.parse(f[2]), f[3]));
            } catch (IllegalArgumentException | DateTimeException e) {
                LOG.warn("policy history {}:{} skipped: {}", file, i + 1, e.getMessage());
            }
        }
        return versions;
    }

    /** Replaces the file with {@code versions} (the newest {@link #MAX_ENTRIES}). */
    void write(List<PolicyVersion> versions) throws IOException {
        StringBuilder b = new StringBuilder();
        for (PolicyVersion v : versions.subList(Math.max(0, versions.size() - MAX_ENTRIES), versions.size())) {
            b.append(v.version()).append('\t').append(v.hash()).append('\t').append(v.time()).append('\t')
                    .append(v.actor().replaceAll("[\\t\\r\\n]", " ")).append('\n');
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(NAME + ".tmp");
        Files.writeString(tmp, b, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
