package io.cellgate.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.runtime.internal.CommandLine.Mode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void parse_config_runsThatDirectory() {
        CommandLine cl = CommandLine.parse(List.of("--config", "/etc/cellgate", "--state", "/var/lib/cellgate"));
        assertThat(cl.mode()).isEqualTo(Mode.RUN);
        assertThat(cl.configDir()).isEqualTo(Path.of("/etc/cellgate"));
        assertThat(cl.stateDir()).isEqualTo(Path.of("/var/lib/cellgate"));
    }

    @Test
    void parse_demo_defaultsStateToWorkingDirectory() {
        CommandLine cl = CommandLine.parse(List.of("--demo"));
        assertThat(cl.mode()).isEqualTo(Mode.DEMO);
        assertThat(cl.stateDir()).isEqualTo(Path.of("cellgate-state").toAbsolutePath());
    }

    @Test
    void parse_help_winsOverEverything() {
        assertThat(CommandLine.parse(List.of("--demo", "--help")).mode()).isEqualTo(Mode.HELP);
    }

    @Test
    void parse_nothing_isInvalidWithReason() {
        CommandLine cl = CommandLine.parse(List.of());
        assertThat(cl.mode()).isEqualTo(Mode.INVALID);
        assertThat(cl.error()).contains("--config DIR or --demo");
    }

    @Test
    void parse_configWithoutDirectory_isInvalid() {
        assertThat(CommandLine.parse(List.of("--config")).error()).isEqualTo("--config needs a directory");
        assertThat(CommandLine.parse(List.of("--config", "--demo")).error()).isEqualTo("--config needs a directory");
    }

    @Test
    void parse_unknownArgument_isNamed() {
        assertThat(CommandLine.parse(List.of("--demo", "--verbose")).error()).isEqualTo("unknown argument '--verbose'");
    }

    @Test
    void parse_demoAndConfig_excludeEachOther() {
        assertThat(CommandLine.parse(List.of("--demo", "--config", "x")).mode()).isEqualTo(Mode.INVALID);
    }
}
