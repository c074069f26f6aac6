package io.cellgate.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.config.ConfigEditor.Snapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The numbered snapshots: ascending ids, never reused, the newest kept, crash leftovers ignored, private modes. */
class SnapshotStoreTest {

    private static final Instant T = Instant.parse("2026-03-01T08:00:00Z");

    @TempDir
    Path state;

    @Test
    void add_threeSnapshots_idsAscendNewestFirstWithTheirText() throws Exception {
        SnapshotStore store = new SnapshotStore(state.resolve("config"));

        store.add(bytes("a: 1\n"), T, "file", "loaded at start");
        store.add(bytes("a: 2\n"), T.plusSeconds(1), "anna", "more");
        Snapshot third = store.add(bytes("a: 3\n"), T.plusSeconds(2), "system", "");

        assertThat(store.list()).extracting(Snapshot::id).containsExactly(3L, 2L, 1L);
        assertThat(third.sha256()).isEqualTo(Editor.sha256(bytes("a: 3\n")));
        assertThat(store.read(2)).get().extracting(Snapshot::identity, Snapshot::reason, Snapshot::time)
                .containsExactly("anna", "more", T.plusSeconds(1));
        assertThat(store.text(1)).get().extracting(b -> new String(b, StandardCharsets.UTF_8)).isEqualTo("a: 1\n");
    }

    @Test
    void add_beyondTheLimit_oldestDeletedIdsNotReused() throws Exception {
        SnapshotStore store = new SnapshotStore(state.resolve("config"), 3);

        for (int i = 1; i <= 5; i++) {
            store.add(bytes("a: " + i + "\n"), T, "file", "");
        }

        assertThat(store.list()).extracting(Snapshot::id).containsExactly(5L, 4L, 3L);
        assertThat(store.text(2)).isEmpty();
        assertThat(store.add(bytes("a: 6\n"), T, "file", "").id()).isEqualTo(6);
    }

    @Test
    void list_leftoversOfACrash_notListedAndRemovedByTheNextWrite() throws Exception {
        SnapshotStore store = new SnapshotStore(state.resolve("config"));
        store.add(bytes("a: 1\n"), T, "file", "");
        // A crash before the rename leaves a temporary; one after the data but before the properties is not complete.
        Path tmp = Files.createDirectories(store.root().resolve(".tmp-123"));
        Files.writeString(tmp.resolve("cell.yaml"), "half");
        Path incomplete = Files.createDirectories(store.root().resolve("00000007"));
        Files.writeString(incomplete.resolve("cell.yaml"), "no properties");

        assertThat(store.list()).extracting(Snapshot::id).containsExactly(1L);
        store.add(bytes("a: 2\n"), T, "file", "");

        assertThat(tmp).doesNotExist();
    }

    @Test
    void add_filesAndDirectories_privateModes() throws Exception {
        SnapshotStore store = new SnapshotStore(state.resolve("config"));

        store.add(bytes("a: 1\n"), T, "file", "");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.root()))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.walk(store.root())) {
            for (Path p : files.toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(p.toString())
                        .isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
