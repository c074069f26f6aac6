package io.cellgate.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.runtime.internal.Launcher.ConfigDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherTest {

    @TempDir
    Path tmp;

    @Test
    void configDirectoryState_cellYamlPresent_runs() throws Exception {
        Files.writeString(tmp.resolve("cell.yaml"), "cell: {id: x}\n");
        assertThat(Launcher.configDirectoryState(tmp, tmp.resolve("state"))).isEqualTo(ConfigDirectory.PRESENT);
    }

    @Test
    void configDirectoryState_noCellYamlNoLastGood_refused() {
        assertThat(Launcher.configDirectoryState(tmp, tmp.resolve("state"))).isEqualTo(ConfigDirectory.MISSING);
    }

    @Test
    void configDirectoryState_noCellYamlButLastGood_runsOnLastGood() throws Exception {
        Path manifest = tmp.resolve("state/config/last-good/manifest.properties");
        Files.createDirectories(manifest.getParent());
        Files.writeString(manifest, "config.hash=abc\n");
        assertThat(Launcher.configDirectoryState(tmp.resolve("etc"), tmp.resolve("state")))
                .isEqualTo(ConfigDirectory.MISSING_WITH_LAST_GOOD);
    }

    @Test
    void configDirectoryState_onlyPreviousLastGood_stillRuns() throws Exception {
        Path manifest = tmp.resolve("state/config/last-good.old/manifest.properties");
        Files.createDirectories(manifest.getParent());
        Files.writeString(manifest, "config.hash=abc\n");
        assertThat(Launcher.configDirectoryState(tmp.resolve("etc"), tmp.resolve("state")))
                .isEqualTo(ConfigDirectory.MISSING_WITH_LAST_GOOD);
    }
}
