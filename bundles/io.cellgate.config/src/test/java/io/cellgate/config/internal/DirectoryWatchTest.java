package io.cellgate.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryWatchTest {

    @TempDir
    Path dir;
    private DirectoryWatch watch;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectories(dir.resolve("profiles"));
        Files.writeString(dir.resolve("cell.yaml"), "cell: { id: c }\ndevices: []\n");
        Files.writeString(dir.resolve("profiles/p.yaml"), "a: 1\n");
        watch = new DirectoryWatch(dir);
        watch.poll();
        watch.markSeen();
    }

    @Test
    void poll_nothingChanged_reportsNoChange() {
        assertThat(watch.poll()).isFalse();
        assertThat(watch.poll()).isFalse();
    }

    @Test
    void poll_profileChanged_reportsOnceTheFilesStayedStableForOneTick() throws IOException {
        Files.writeString(dir.resolve("profiles/p.yaml"), "a: 22\n");

        assertThat(watch.poll()).as("first tick sees the change, waits").isFalse();
        assertThat(watch.poll()).as("second tick: stable, content differs").isTrue();
        watch.markSeen();
        assertThat(watch.poll()).isFalse();
    }

    @Test
    void poll_onlyTheTimestampChanged_reportsNoChange() throws IOException {
        Files.setLastModifiedTime(dir.resolve("cell.yaml"), FileTime.fromMillis(1_000_000));

        assertThat(watch.poll()).isFalse();
        assertThat(watch.poll()).as("same content").isFalse();
    }

    @Test
    void poll_newProfileFile_reportsChange() throws IOException {
        Files.writeString(dir.resolve("profiles/q.yaml"), "b: 1\n");

        watch.poll();

        assertThat(watch.poll()).isTrue();
    }
}
